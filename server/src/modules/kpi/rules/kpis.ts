/**
 * The KPIs of SPEC chapter 8 as pure functions over aggregated facts (docs/kpi.md, "Formulas").
 * The facts are counts per agent, team and month that facts.ts loads with one GROUP BY query;
 * nothing here reads the database or the clock. A KPI whose denominator is zero has no value
 * (`null`, shown "n/a"): it is neither met nor missed.
 */

/** Counts for one subject (agent or team) and one month. All are ≥ 0. */
export interface KpiFacts {
  /** First-response clocks decided in the month (met, or breached): responses due. */
  firstResponseDue: number;
  /** …of which met without a breach: responses within target. */
  firstResponseInTime: number;
  /** Business milliseconds used by first-response clocks met in the month, and how many. */
  firstResponseMsSum: number;
  firstResponseMsCount: number;
  /** Business milliseconds used by resolution clocks met in the month, and how many. */
  resolutionMsSum: number;
  resolutionMsCount: number;
  /** Tickets concluded in the month (resolved, or closed unresolved), merged ones excluded. */
  concluded: number;
  /** …of which resolved. */
  resolved: number;
  /** L1 tickets resolved in the month, and those resolved at first contact. */
  l1Resolved: number;
  l1FirstContact: number;
  /** Tickets received in the month (merged excluded), and the complaints among them. */
  received: number;
  complaints: number;
  /** Complaints concluded in the month, and those resolved. */
  complaintsConcluded: number;
  complaintsResolved: number;
  /** Tickets resolved or reopened in the month, and those reopened in it. */
  reopenBase: number;
  reopened: number;
  /** Survey invitations of the month (period_month), answered ones, and the scores. */
  surveysSent: number;
  surveysAnswered: number;
  csatSum: number;
  csatCount: number;
  /** Phone calls rung in a peak window of the month (calls still ringing excluded): offered,
   * and answered — the connection rate at peak (接通率, SPEC 8). */
  peakCallsOffered: number;
  peakCallsAnswered: number;
}

export const emptyFacts = (): KpiFacts => ({
  firstResponseDue: 0,
  firstResponseInTime: 0,
  firstResponseMsSum: 0,
  firstResponseMsCount: 0,
  resolutionMsSum: 0,
  resolutionMsCount: 0,
  concluded: 0,
  resolved: 0,
  l1Resolved: 0,
  l1FirstContact: 0,
  received: 0,
  complaints: 0,
  complaintsConcluded: 0,
  complaintsResolved: 0,
  reopenBase: 0,
  reopened: 0,
  surveysSent: 0,
  surveysAnswered: 0,
  csatSum: 0,
  csatCount: 0,
  peakCallsOffered: 0,
  peakCallsAnswered: 0,
});

/** Adds facts (a team over several months, a quarter). */
export function addFacts(a: KpiFacts, b: KpiFacts): KpiFacts {
  const out = emptyFacts();
  // Facts stored before a field existed lack it: count it as 0.
  for (const k of Object.keys(out) as (keyof KpiFacts)[]) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}

export const KPI_KEYS = [
  'response_timeliness',
  'resolution_rate',
  'fcr_l1',
  'csat',
  'complaint_rate',
  'complaint_resolution',
  'reopen_rate',
  'mean_first_response',
  'mean_resolution',
  'survey_response_rate',
  'phone_connection_rate',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export interface KpiDefinition {
  key: KpiKey;
  /** 'higher': more is better (target is a minimum); 'lower': less is better (a maximum). */
  direction: 'higher' | 'lower';
  /** percent 0–100, points 0–100 (CSAT), or business milliseconds. */
  unit: 'percent' | 'points' | 'ms';
  /** Whom it is assessed for: complaint rate only for teams (see docs/kpi.md). */
  scope: 'all' | 'team';
  /** [numerator, denominator]; the value is numerator / denominator (× 100 for percent). */
  measure(f: KpiFacts): [number, number];
}

const pct = (n: number, d: number): [number, number] => [n, d];

export const KPI_DEFINITIONS: Record<KpiKey, KpiDefinition> = {
  response_timeliness: {
    key: 'response_timeliness',
    direction: 'higher',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.firstResponseInTime, f.firstResponseDue),
  },
  resolution_rate: {
    key: 'resolution_rate',
    direction: 'higher',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.resolved, f.concluded),
  },
  fcr_l1: {
    key: 'fcr_l1',
    direction: 'higher',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.l1FirstContact, f.l1Resolved),
  },
  csat: {
    key: 'csat',
    direction: 'higher',
    unit: 'points',
    scope: 'all',
    measure: (f) => [f.csatSum, f.csatCount],
  },
  complaint_rate: {
    key: 'complaint_rate',
    direction: 'lower',
    unit: 'percent',
    scope: 'team',
    measure: (f) => pct(f.complaints, f.received),
  },
  complaint_resolution: {
    key: 'complaint_resolution',
    direction: 'higher',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.complaintsResolved, f.complaintsConcluded),
  },
  reopen_rate: {
    key: 'reopen_rate',
    direction: 'lower',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.reopened, f.reopenBase),
  },
  mean_first_response: {
    key: 'mean_first_response',
    direction: 'lower',
    unit: 'ms',
    scope: 'all',
    measure: (f) => [f.firstResponseMsSum, f.firstResponseMsCount],
  },
  mean_resolution: {
    key: 'mean_resolution',
    direction: 'lower',
    unit: 'ms',
    scope: 'all',
    measure: (f) => [f.resolutionMsSum, f.resolutionMsCount],
  },
  survey_response_rate: {
    key: 'survey_response_rate',
    direction: 'higher',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.surveysAnswered, f.surveysSent),
  },
  phone_connection_rate: {
    key: 'phone_connection_rate',
    direction: 'higher',
    unit: 'percent',
    scope: 'all',
    measure: (f) => pct(f.peakCallsAnswered, f.peakCallsOffered),
  },
};

/** Target (met at or better) and warning floor (worse than it = written warning); null = none. */
export interface KpiTarget {
  target: number | null;
  floor: number | null;
}
export type KpiTargets = Record<KpiKey, KpiTarget>;

/** Version 1 of the targets: SPEC chapter 8. Only timeliness has a floor in the SPEC (90 %). */
export const DEFAULT_TARGETS: KpiTargets = {
  response_timeliness: { target: 95, floor: 90 },
  resolution_rate: { target: 90, floor: null },
  fcr_l1: { target: 90, floor: null },
  csat: { target: 90, floor: null },
  complaint_rate: { target: 2, floor: null },
  complaint_resolution: { target: 100, floor: null },
  reopen_rate: { target: null, floor: null },
  mean_first_response: { target: null, floor: null },
  mean_resolution: { target: null, floor: null },
  survey_response_rate: { target: null, floor: null },
  phone_connection_rate: { target: 85, floor: null },
};

/** A floor must not be better than its target (e.g. timeliness floor 96 with target 95). */
export function targetErrors(targets: KpiTargets): { path: string; message: string }[] {
  return KPI_KEYS.flatMap((key) => {
    const { target, floor } = targets[key];
    if (target === null || floor === null) return [];
    const bad = KPI_DEFINITIONS[key].direction === 'higher' ? floor > target : floor < target;
    return bad
      ? [{ path: `targets.${key}.floor`, message: 'must not be better than the target' }]
      : [];
  });
}

/**
 * na: no value (nothing to count) or not assessed for this subject; info: a value, no target;
 * met: at the target or better; below_target: worse than the target but not the floor;
 * below_floor: worse than the floor (a written warning).
 */
export type KpiStatus = 'na' | 'info' | 'met' | 'below_target' | 'below_floor';

export interface KpiResult {
  value: number | null;
  numerator: number;
  denominator: number;
  status: KpiStatus;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function kpiValue(def: KpiDefinition, facts: KpiFacts): KpiResult['value'] {
  const [n, d] = def.measure(facts);
  if (d <= 0) return null;
  if (def.unit === 'percent') return round2((n / d) * 100);
  if (def.unit === 'ms') return Math.round(n / d);
  return round2(n / d);
}

/** Whether `value` is at the limit or better, in the KPI's direction. */
const atOrBetter = (def: KpiDefinition, value: number, limit: number) =>
  def.direction === 'higher' ? value >= limit : value <= limit;

export function kpiStatus(def: KpiDefinition, value: number | null, t: KpiTarget): KpiStatus {
  if (value === null) return 'na';
  if (t.floor !== null && !atOrBetter(def, value, t.floor)) return 'below_floor';
  if (t.target === null) return t.floor === null ? 'info' : 'met';
  return atOrBetter(def, value, t.target) ? 'met' : 'below_target';
}

/** Every KPI for one subject. Team-only KPIs are 'na' for agents. */
export function evaluateKpis(
  facts: KpiFacts,
  targets: KpiTargets,
  subject: 'agent' | 'team',
): Record<KpiKey, KpiResult> {
  const out = {} as Record<KpiKey, KpiResult>;
  for (const key of KPI_KEYS) {
    const def = KPI_DEFINITIONS[key];
    const [numerator, denominator] = def.measure(facts);
    const applies = def.scope === 'all' || subject === 'team';
    const value = applies ? kpiValue(def, facts) : null;
    out[key] = { value, numerator, denominator, status: kpiStatus(def, value, targets[key]) };
  }
  return out;
}
