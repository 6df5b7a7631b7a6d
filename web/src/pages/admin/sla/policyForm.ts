/** The policy list as the editor's form holds it, and back (durations in units, warnAt in %). */
import type { SlaPolicy, SlaRecipient, SlaTarget } from '../../../api/sla';

export const TARGET_KINDS = [
  'first_response',
  'off_hours_ack',
  'assignment',
  'follow_up_contact',
  'handling_plan',
  'progress_update',
  'progress',
  'resolution',
  'complaint_registered',
  'complaint_contacted',
  'complaint_plan',
] as const;
export const RECIPIENTS: readonly SlaRecipient[] = ['owner', 'handler', 'team_lead', 'supervisors'];
export const CUSTOMER_TIERS = ['vip', 'regular', 'prospect'] as const;

export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'workingDays';
export const UNITS: readonly DurationUnit[] = ['seconds', 'minutes', 'hours', 'workingDays'];
const UNIT_MS: Record<Exclude<DurationUnit, 'workingDays'>, number> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
};

export interface TargetForm {
  kind: string;
  amount: number;
  unit: DurationUnit;
  clock: 'business' | '24x7';
  pausesWhilePendingCustomer: boolean;
  warnPercent: number;
  repeats: boolean;
  when: 'always' | 'inside' | 'outside';
}

export interface PolicyForm {
  key: string;
  nameZh: string;
  nameEn: string;
  channels: string[];
  categories: string[];
  tiers: string[];
  priorities: string[];
  customerTiers: string[];
  /** Applies on top of the first-match policy whenever it matches (`applies: 'always'`). */
  appliesAlways: boolean;
  targets: TargetForm[];
  /** No escalation of its own: the server's default applies. */
  defaultEscalation: boolean;
  warnNotify: SlaRecipient[];
  breachNotify: SlaRecipient[];
  raisePriority: boolean;
}

function toTargetForm(t: SlaTarget): TargetForm {
  const ms = t.durationMs;
  const [amount, unit]: [number, DurationUnit] = t.workingDays
    ? [t.workingDays, 'workingDays']
    : ms % UNIT_MS.hours === 0
      ? [ms / UNIT_MS.hours, 'hours']
      : ms % UNIT_MS.minutes === 0
        ? [ms / UNIT_MS.minutes, 'minutes']
        : [ms / UNIT_MS.seconds, 'seconds'];
  return {
    kind: t.kind,
    amount,
    unit,
    clock: t.clock,
    pausesWhilePendingCustomer: t.pausesWhilePendingCustomer,
    warnPercent: Math.round(t.warnAt * 100),
    repeats: t.repeats,
    when: t.onlyInsideWorkingHours ? 'inside' : t.onlyOutsideWorkingHours ? 'outside' : 'always',
  };
}

export function toPolicyForm(p: SlaPolicy): PolicyForm {
  return {
    key: p.key,
    nameZh: p.name.zh,
    nameEn: p.name.en,
    channels: p.match.channels ?? [],
    categories: p.match.categories ?? [],
    tiers: p.match.tiers ?? [],
    priorities: p.match.priorities ?? [],
    customerTiers: p.match.customerTiers ?? [],
    appliesAlways: p.applies === 'always',
    targets: p.targets.map(toTargetForm),
    defaultEscalation: !p.escalation,
    warnNotify: p.escalation?.warning.notify ?? ['owner'],
    breachNotify: p.escalation?.breach.notify ?? ['owner', 'team_lead', 'supervisors'],
    raisePriority: p.escalation?.breach.raisePriority ?? false,
  };
}

export const newTarget = (): TargetForm => ({
  kind: 'resolution',
  amount: 24,
  unit: 'hours',
  clock: 'business',
  pausesWhilePendingCustomer: true,
  warnPercent: 80,
  repeats: false,
  when: 'always',
});

export const newPolicy = (n: number): PolicyForm => ({
  ...toPolicyForm({
    key: `policy_${n}`,
    name: { zh: '', en: '' },
    match: {},
    targets: [],
  }),
  targets: [newTarget()],
});

function fromTargetForm(t: TargetForm): SlaTarget {
  const working = t.unit === 'workingDays';
  return {
    kind: t.kind,
    durationMs: working ? 0 : Math.round(t.amount * UNIT_MS[t.unit as keyof typeof UNIT_MS]),
    ...(working ? { workingDays: t.amount } : {}),
    clock: t.clock,
    pausesWhilePendingCustomer: t.pausesWhilePendingCustomer,
    warnAt: t.warnPercent / 100,
    repeats: t.repeats,
    // Written only when set, as version 1 has them: a save without edits changes nothing.
    ...(t.when === 'inside' ? { onlyInsideWorkingHours: true } : {}),
    ...(t.when === 'outside' ? { onlyOutsideWorkingHours: true } : {}),
  };
}

/**
 * Back to the API's shape. `original` (the same key in the version edited) keeps escalation
 * settings this editor does not show, so saving never drops them.
 */
export function fromPolicyForm(p: PolicyForm, original?: SlaPolicy): SlaPolicy {
  const kept = original?.escalation;
  const match: SlaPolicy['match'] = {};
  for (const k of ['channels', 'categories', 'tiers', 'priorities', 'customerTiers'] as const) {
    if (p[k]?.length) match[k] = p[k];
  }
  return {
    key: p.key.trim(),
    name: { zh: p.nameZh.trim(), en: p.nameEn.trim() },
    match,
    targets: (p.targets ?? []).map(fromTargetForm),
    // Written only when set: a save without edits changes nothing.
    ...(p.appliesAlways ? { applies: 'always' as const } : {}),
    ...(p.defaultEscalation
      ? {}
      : {
          escalation: {
            warning: { ...kept?.warning, notify: p.warnNotify ?? [] },
            breach: {
              ...kept?.breach,
              notify: p.breachNotify ?? [],
              raisePriority: p.raisePriority,
            },
          },
        }),
  };
}

/** An API error path (`policies.2.targets.0.durationMs`) → the editor's field. */
export function formPathOf(name: (string | number)[]): (string | number)[] {
  if (name[0] !== 'policies' || typeof name[1] !== 'number') return name;
  const [, i, ...rest] = name;
  const field = (...p: (string | number)[]) => ['policies', i!, ...p];
  if (rest[0] === 'name') return field(rest[1] === 'en' ? 'nameEn' : 'nameZh');
  if (rest[0] === 'match' && rest[1]) return field(rest[1]);
  if (rest[0] === 'targets' && typeof rest[1] === 'number') {
    const leaf = rest[2];
    const mapped =
      leaf === 'durationMs' || leaf === 'workingDays'
        ? 'amount'
        : leaf === 'warnAt'
          ? 'warnPercent'
          : leaf === 'onlyInsideWorkingHours' || leaf === 'onlyOutsideWorkingHours'
            ? 'when'
            : leaf;
    return mapped === undefined ? field('targets') : field('targets', rest[1], mapped);
  }
  if (rest[0] === 'escalation') {
    return field(
      rest[1] === 'warning'
        ? 'warnNotify'
        : rest[2] === 'raisePriority'
          ? 'raisePriority'
          : 'breachNotify',
    );
  }
  return rest.length ? field(...rest) : name;
}
