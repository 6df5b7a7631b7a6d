/**
 * Loading the KPI facts of one month: counts per agent and per team, aggregated in SQL (three
 * statements — tickets, SLA clocks, surveys — each one pass with GROUP BY GROUPING SETS) — never ticket by ticket in JS. The
 * attribution rules (docs/kpi.md, "Who a ticket counts for") are written here once:
 *
 * - owner (首问负责人, first-contact responsibility): tickets received, complaints received,
 *   first responses (timeliness and mean time), first-contact resolution of L1 tickets;
 * - handler (the ticket's handler, else its owner when nobody else handled it): tickets
 *   concluded and resolved, complaints concluded and resolved, reopenings, mean resolution time;
 * - team: the ticket's team, whatever the agent's membership; surveys: the agent and team fixed
 *   on the invitation, in the invitation's period_month (late answers count there);
 * - merged tickets (close_kind 'merged' or merged_into_id set) count for nothing; the ticket they
 *   were merged into counts once.
 */
import { sql, type SQL } from 'drizzle-orm';
import { jsonOf, rowsOf, type Executor } from '../../db/client.js';
import { peakSql } from '../calls/rules/peak.js';
import { getCallSettings } from '../calls/settings.js';
import { emptyFacts, type KpiFacts } from './rules/kpis.js';
import { monthRange } from './rules/schedule.js';
import { TZDate } from '@date-fns/tz';

export interface MonthFacts {
  agents: Map<string, KpiFacts>;
  teams: Map<string, KpiFacts>;
  /** The whole workspace: every ticket once, whoever (or nobody) it counts for. */
  total: KpiFacts;
}

const OWNER_FIELDS = [
  'firstResponseDue',
  'firstResponseInTime',
  'firstResponseMsSum',
  'firstResponseMsCount',
  'received',
  'complaints',
  'l1Resolved',
  'l1FirstContact',
] as const satisfies readonly (keyof KpiFacts)[];
const HANDLER_FIELDS = [
  'concluded',
  'resolved',
  'complaintsConcluded',
  'complaintsResolved',
  'reopenBase',
  'reopened',
  'resolutionMsSum',
  'resolutionMsCount',
] as const satisfies readonly (keyof KpiFacts)[];

type TicketRow = { g: number; id: string | null } & Partial<
  Record<(typeof OWNER_FIELDS)[number] | (typeof HANDLER_FIELDS)[number], string | number | null>
>;

const notMerged = sql`tk.merged_into_id IS NULL AND tk.close_kind IS DISTINCT FROM 'merged'`;

/**
 * An optional narrowing of the facts to some tickets (the reports' channel, category and tier
 * filters). Empty = every ticket, which is what the assessment uses. Surveys follow their
 * ticket: with a scope, campaign answers (no ticket) drop out.
 */
export interface FactsScope {
  channel?: string | undefined;
  category?: string | undefined;
  tier?: string | undefined;
}

const hasScope = (s: FactsScope) => Boolean(s.channel || s.category || s.tier);

/** `AND …` conditions over the alias `tk` (tickets) for a scope. */
export function scopeSql(s: FactsScope): SQL {
  const parts: SQL[] = [];
  if (s.channel) parts.push(sql` AND tk.channel = ${s.channel}`);
  if (s.category) parts.push(sql` AND tk.category = ${s.category}`);
  if (s.tier) parts.push(sql` AND tk.tier = ${s.tier}`);
  return sql.join(parts, sql``);
}

/** Which column a fact is attributed by (docs/kpi.md, "Who a ticket counts for"). */
export type FactSubject = 'owner' | 'handler';
export const subjectOfField = (k: keyof KpiFacts): FactSubject =>
  (OWNER_FIELDS as readonly string[]).includes(k) ? 'owner' : 'handler';

/**
 * The per-ticket conditions of the ticket facts over the CTE `tk` of `ticketFlagsSql`: the
 * aggregate counts `FILTER (WHERE …)` them, the reports' drill-down lists the tickets matching
 * them — one definition, so a drill-down lists exactly the tickets counted.
 */
export const TICKET_FIELD_CONDITIONS = {
  received: sql`received`,
  complaints: sql`received AND complaint`,
  l1Resolved: sql`concluded AND resolved AND l1`,
  l1FirstContact: sql`concluded AND resolved AND l1 AND first_contact`,
  concluded: sql`concluded`,
  resolved: sql`concluded AND resolved`,
  complaintsConcluded: sql`concluded AND complaint`,
  complaintsResolved: sql`concluded AND complaint AND resolved`,
  reopenBase: sql`(concluded AND resolved) OR reopened`,
  reopened: sql`reopened`,
} satisfies Partial<Record<keyof KpiFacts, SQL>>;

/**
 * A narrower window of candidates inside the month (the daily facts recompute some days): only
 * items with an instant in [from, to) are read; their flags still look at the whole month.
 */
export interface CandidateWindow {
  from: Date;
  to: Date;
}

/**
 * `WITH … tk AS (…)`: one row per ticket that may count in the month, with its flags, its scope
 * columns and its anchor — the earliest of its instants inside the month (received, resolved,
 * closed, first reopening), under which the daily facts file it.
 */
export function ticketFlagsSql(
  from: Date,
  to: Date,
  scope: FactsScope = {},
  window?: CandidateWindow,
) {
  const f = from.toISOString();
  const t = to.toISOString();
  const wf = (window?.from ?? from).toISOString();
  const wt = (window?.to ?? to).toISOString();
  // With a window, the candidates come first, each instant through its own index (0021, 0028),
  // and the reopenings are read for them only — not a month of tickets and of reopenings.
  const reopen = sql`kind = 'status' AND data ->> 'to' = 'reopened'`;
  const cand = window
    ? sql`cand AS (
      SELECT id FROM tickets WHERE received_at >= ${wf}::timestamptz AND received_at < ${wt}::timestamptz
      UNION SELECT id FROM tickets WHERE resolved_at >= ${wf}::timestamptz AND resolved_at < ${wt}::timestamptz
      UNION SELECT id FROM tickets WHERE closed_at >= ${wf}::timestamptz AND closed_at < ${wt}::timestamptz
      UNION SELECT ticket_id FROM ticket_events WHERE ${reopen}
        AND at >= ${wf}::timestamptz AND at < ${wt}::timestamptz
    ), `
    : sql``;
  const ofCand = (col: SQL) => (window ? sql` AND ${col} IN (SELECT id FROM cand)` : sql``);
  return sql`
    WITH ${cand}reopen_month AS (
      SELECT ticket_id, min(at) AS first_at FROM ticket_events
       WHERE ${reopen}
         AND at >= ${f}::timestamptz AND at < ${t}::timestamptz${ofCand(sql`ticket_id`)}
       GROUP BY ticket_id
    ), reopen_ever AS (
      SELECT DISTINCT ticket_id FROM ticket_events
       WHERE ${reopen} AND at < ${t}::timestamptz${ofCand(sql`ticket_id`)}
    ), tk AS (
      SELECT tk.id, tk.owner_id, coalesce(tk.handler_id, tk.owner_id) AS handler_id, tk.team_id,
        tk.received_at >= ${f}::timestamptz AND tk.received_at < ${t}::timestamptz AS received,
        tk.category = 'complaint' AS complaint,
        tk.tier = 'L1' AS l1,
        (tk.handler_id IS NULL OR tk.handler_id = tk.owner_id) AND re.ticket_id IS NULL AS first_contact,
        coalesce(o.at >= ${f}::timestamptz AND o.at < ${t}::timestamptz, false) AS concluded,
        o.resolved,
        rm.ticket_id IS NOT NULL AS reopened,
        tk.channel, tk.category, tk.tier,
        least(
          CASE WHEN tk.received_at >= ${f}::timestamptz AND tk.received_at < ${t}::timestamptz THEN tk.received_at END,
          CASE WHEN tk.resolved_at >= ${f}::timestamptz AND tk.resolved_at < ${t}::timestamptz THEN tk.resolved_at END,
          CASE WHEN tk.closed_at >= ${f}::timestamptz AND tk.closed_at < ${t}::timestamptz THEN tk.closed_at END,
          rm.first_at) AS anchor
      FROM tickets tk
      CROSS JOIN LATERAL (SELECT
          CASE WHEN tk.close_kind = 'unresolved' THEN tk.closed_at
               WHEN tk.resolved_at IS NOT NULL THEN tk.resolved_at
               WHEN tk.close_kind IN ('confirmed', 'auto_no_reply') THEN tk.closed_at END AS at,
          tk.close_kind IS DISTINCT FROM 'unresolved'
            AND (tk.resolved_at IS NOT NULL OR tk.close_kind IN ('confirmed', 'auto_no_reply')) AS resolved
        ) o
      LEFT JOIN reopen_month rm ON rm.ticket_id = tk.id
      LEFT JOIN reopen_ever re ON re.ticket_id = tk.id
      WHERE ${notMerged}${scopeSql(scope)}${ofCand(sql`tk.id`)}
        AND ((tk.received_at >= ${wf}::timestamptz AND tk.received_at < ${wt}::timestamptz)
          OR (tk.resolved_at >= ${wf}::timestamptz AND tk.resolved_at < ${wt}::timestamptz)
          OR (tk.closed_at >= ${wf}::timestamptz AND tk.closed_at < ${wt}::timestamptz)
          OR ${window ? sql`(rm.first_at >= ${wf}::timestamptz AND rm.first_at < ${wt}::timestamptz)` : sql`rm.ticket_id IS NOT NULL`})
    )`;
}

/**
 * The ticket facts of a month (outcomes, reopenings), one row per owner, handler and team, and
 * one for the whole workspace (the grouping set ()).
 */
export function ticketFactsQuery(from: Date, to: Date, scope: FactsScope = {}) {
  const counts = Object.entries(TICKET_FIELD_CONDITIONS).map(
    ([k, cond]) => sql`count(*) FILTER (WHERE ${cond}) AS ${sql.identifier(k)}`,
  );
  return sql`${ticketFlagsSql(from, to, scope)}
    SELECT GROUPING(owner_id, handler_id, team_id)::int AS g,
      coalesce(owner_id, handler_id, team_id) AS id,
      ${sql.join(counts, sql`, `)}
    FROM tk
    GROUP BY GROUPING SETS ((owner_id), (handler_id), (team_id), ())`;
}

/** The per-clock conditions of the SLA facts over the subquery `x` of `clockRowsSql`. */
export const CLOCK_FIELD_CONDITIONS = {
  firstResponseDue: sql`kind = 'first_response' AND decided`,
  firstResponseInTime: sql`kind = 'first_response' AND decided AND NOT breached`,
  firstResponseMsCount: sql`kind = 'first_response' AND met_in AND business_ms_used IS NOT NULL`,
  resolutionMsCount: sql`kind = 'resolution' AND met_in AND business_ms_used IS NOT NULL`,
} satisfies Partial<Record<keyof KpiFacts, SQL>>;

/**
 * One row per first-response or resolution clock met or breached in the month, with its
 * ticket's scope columns and its anchor (the earlier of met and breached inside the month).
 * A breach is recorded at the due time (CHECK of migration 0045), so breached clocks are read by
 * `due_at`: an index on `breached_at` would make the sweeper's breach marking a non-HOT update.
 */
export function clockRowsSql(
  from: Date,
  to: Date,
  scope: FactsScope = {},
  window?: CandidateWindow,
) {
  const f = from.toISOString();
  const t = to.toISOString();
  const wf = (window?.from ?? from).toISOString();
  const wt = (window?.to ?? to).toISOString();
  return sql`
      SELECT tk.id, c.kind, c.breached, c.business_ms_used,
        tk.owner_id, coalesce(tk.handler_id, tk.owner_id) AS handler_id, tk.team_id,
        tk.channel, tk.category, tk.tier,
        least(
          CASE WHEN c.met_at >= ${f}::timestamptz AND c.met_at < ${t}::timestamptz THEN c.met_at END,
          CASE WHEN c.breached AND c.due_at >= ${f}::timestamptz AND c.due_at < ${t}::timestamptz THEN c.due_at END
        ) AS anchor,
        coalesce((CASE WHEN c.breached THEN c.due_at ELSE c.met_at END) >= ${f}::timestamptz
          AND (CASE WHEN c.breached THEN c.due_at ELSE c.met_at END) < ${t}::timestamptz, false) AS decided,
        coalesce(c.met_at >= ${f}::timestamptz AND c.met_at < ${t}::timestamptz, false) AS met_in
      FROM sla_clocks c JOIN tickets tk ON tk.id = c.ticket_id
      WHERE c.kind IN ('first_response', 'resolution')
        AND ((c.met_at >= ${wf}::timestamptz AND c.met_at < ${wt}::timestamptz)
          OR (c.breached AND c.due_at >= ${wf}::timestamptz AND c.due_at < ${wt}::timestamptz))
        AND ${notMerged}${scopeSql(scope)}`;
}

/**
 * The SLA facts of a month: first-response and resolution clocks decided or met in it, joined to
 * their (non-merged) tickets, one row per owner, handler and team, and one for the workspace.
 */
export function clockFactsQuery(from: Date, to: Date, scope: FactsScope = {}) {
  const c = CLOCK_FIELD_CONDITIONS;
  return sql`
    SELECT GROUPING(owner_id, handler_id, team_id)::int AS g,
      coalesce(owner_id, handler_id, team_id) AS id,
      count(*) FILTER (WHERE ${c.firstResponseDue}) AS "firstResponseDue",
      count(*) FILTER (WHERE ${c.firstResponseInTime}) AS "firstResponseInTime",
      coalesce(sum(business_ms_used) FILTER (WHERE ${c.firstResponseMsCount}), 0) AS "firstResponseMsSum",
      count(*) FILTER (WHERE ${c.firstResponseMsCount}) AS "firstResponseMsCount",
      coalesce(sum(business_ms_used) FILTER (WHERE ${c.resolutionMsCount}), 0) AS "resolutionMsSum",
      count(*) FILTER (WHERE ${c.resolutionMsCount}) AS "resolutionMsCount"
    FROM (${clockRowsSql(from, to, scope)}) x
    GROUP BY GROUPING SETS ((owner_id), (handler_id), (team_id), ())`;
}

/** The per-answer conditions of the survey facts over `survey_responses`. */
export const SURVEY_FIELD_CONDITIONS = {
  surveysSent: sql`true`,
  surveysAnswered: sql`answered_at IS NOT NULL`,
  csatCount: sql`answered_at IS NOT NULL AND score100 IS NOT NULL`,
} satisfies Partial<Record<keyof KpiFacts, SQL>>;

/** `survey_responses` of a month (by period_month), narrowed to the scope's tickets. */
export function surveyWhereSql(month: string, scope: FactsScope = {}) {
  return sql`period_month = ${`${month}-01`}::date${surveyScopeSql(scope)}`;
}

/** `AND …`: survey answers whose ticket is in the scope (none without a scope). */
function surveyScopeSql(scope: FactsScope) {
  return hasScope(scope)
    ? sql` AND EXISTS (SELECT 1 FROM tickets tk WHERE tk.id = survey_responses.ticket_id${scopeSql(scope)})`
    : sql``;
}

/** Survey facts of a month (by period_month): one row per agent and per team, and the total. */
export function surveyFactsQuery(month: string, scope: FactsScope = {}) {
  const c = SURVEY_FIELD_CONDITIONS;
  return sql`
    SELECT GROUPING(agent_id, team_id)::int AS g, coalesce(agent_id, team_id) AS id,
      count(*) AS "surveysSent",
      count(*) FILTER (WHERE ${c.surveysAnswered}) AS "surveysAnswered",
      coalesce(sum(score100) FILTER (WHERE ${c.csatCount}), 0) AS "csatSum",
      count(*) FILTER (WHERE ${c.csatCount}) AS "csatCount"
    FROM survey_responses
    WHERE ${surveyWhereSql(month, scope)}
    GROUP BY GROUPING SETS ((agent_id), (team_id), ())`;
}

/**
 * Phone facts of a month: calls rung in [from, to) inside a peak window (call settings, workspace
 * time zone), not still ringing — offered, and answered — by the agent the call rang at last and
 * that agent's team at the time (calls.team_id).
 */
export function callFactsQuery(
  from: Date,
  to: Date,
  windows: Parameters<typeof peakSql>[1],
  timeZone: string,
) {
  return sql`
    SELECT GROUPING(agent_id, team_id)::int AS g, coalesce(agent_id, team_id) AS id,
      count(*) AS "peakCallsOffered",
      count(*) FILTER (WHERE answered_at IS NOT NULL) AS "peakCallsAnswered"
    FROM calls
    WHERE ${callsWhereSql(from, to, windows, timeZone)}
    GROUP BY GROUPING SETS ((agent_id), (team_id), ())`;
}

/** Calls offered at peak in [from, to): rung inside a peak window, not still ringing. */
function callsWhereSql(
  from: Date,
  to: Date,
  windows: Parameters<typeof peakSql>[1],
  timeZone: string,
) {
  return sql`ring_at >= ${from.toISOString()}::timestamptz AND ring_at < ${to.toISOString()}::timestamptz
      AND state <> 'ringing' AND direction = 'inbound' AND ${peakSql(sql`ring_at`, windows, timeZone)}`;
}

/** GROUPING(agent_id, team_id) of the phone facts' workspace total (the empty grouping set). */
const PHONE_TOTAL = 3;

// GROUPING(owner_id, handler_id, team_id) is a bit mask of the columns *not* grouped:
// (owner_id) → 0b011, (handler_id) → 0b101, (team_id) → 0b110.
const BY_OWNER = 3;
const BY_HANDLER = 5;
const BY_TEAM = 6;
// GROUPING(agent_id, team_id): (agent_id) → 0b01, (team_id) → 0b10.
const SURVEY_BY_AGENT = 1;
const SURVEY_BY_TEAM = 2;
const TICKETS_TOTAL = 7;
const SURVEYS_TOTAL = 3;

const take = (map: Map<string, KpiFacts>, id: string) => {
  let facts = map.get(id);
  if (!facts) map.set(id, (facts = emptyFacts()));
  return facts;
};

/**
 * Whether anything a month's ticket facts count happened in [from, to): index probes only
 * (migrations 0021, 0028). The facts queries scan every ticket and clock of a busy month; the
 * months an assessment or a 12-month trend looks back on are often empty.
 */
async function hasTicketActivity(ex: Executor, from: Date, to: Date): Promise<boolean> {
  const f = from.toISOString();
  const t = to.toISOString();
  const [row] = rowsOf<{ any: boolean }>(
    await ex.execute(sql`SELECT
      EXISTS (SELECT 1 FROM tickets WHERE received_at >= ${f}::timestamptz AND received_at < ${t}::timestamptz)
      OR EXISTS (SELECT 1 FROM tickets WHERE resolved_at >= ${f}::timestamptz AND resolved_at < ${t}::timestamptz)
      OR EXISTS (SELECT 1 FROM tickets WHERE closed_at >= ${f}::timestamptz AND closed_at < ${t}::timestamptz)
      OR EXISTS (SELECT 1 FROM ticket_events WHERE kind = 'status' AND data ->> 'to' = 'reopened'
                   AND at >= ${f}::timestamptz AND at < ${t}::timestamptz)
      OR EXISTS (SELECT 1 FROM sla_clocks WHERE kind IN ('first_response', 'resolution')
                   AND met_at >= ${f}::timestamptz AND met_at < ${t}::timestamptz)
      OR EXISTS (SELECT 1 FROM sla_clocks WHERE kind IN ('first_response', 'resolution')
                   AND breached AND due_at >= ${f}::timestamptz AND due_at < ${t}::timestamptz) AS any`),
  );
  return Boolean(row?.any);
}

/**
 * The facts of a month: ticket and clock facts from the daily facts (kpi_daily_facts, brought
 * up to date first — see refreshMonthFacts), surveys and calls counted directly. Equal, by
 * construction and by test (facts-daily.test.ts), to loadMonthFactsDirect.
 */
export async function loadMonthFacts(
  ex: Executor,
  month: string,
  timeZone: string,
  scope: FactsScope = {},
): Promise<MonthFacts> {
  return (await loadMonthsFacts(ex, [month], timeZone, scope)).get(month)!;
}

type FactRow = { g: number; id: string | null; m?: string } & Record<string, string | number>;

/**
 * The facts of several months at once (the reports' 12-month trend, an assessment's earlier
 * months): each month brought up to date, then one statement each for the ticket and clock
 * facts (kpi_month_facts), the surveys and the calls of all of them.
 */
export async function loadMonthsFacts(
  ex: Executor,
  months: string[],
  timeZone: string,
  scope: FactsScope = {},
  opts: {
    /**
     * Months of which only this subject's facts are wanted (the reports' trend beyond the
     * assessed months): their rollups are read for the subject alone, so the other agents and
     * teams are absent (empty) in them. Without a scope only; the subject's own facts are
     * exactly those of a full read.
     */
    subjectOnly?: { months: string[]; subject: FactsSubject };
  } = {},
): Promise<Map<string, MonthFacts>> {
  const list = [...new Set(months)].sort();
  const result = new Map<string, MonthFacts>();
  if (list.length === 0) return result;
  const from = monthRange(list[0]!, timeZone).from;
  const to = monthRange(list[list.length - 1]!, timeZone).to;
  const monthsSql = sql`${`{${list.map((m) => `${m}-01`).join(',')}}`}::date[]`;
  // One statement for what must be refreshed (tickets, surveys) and the facts versions as they
  // are: when nothing is stale (the usual read), the versions need no second look.
  const [state] = rowsOf<{
    built: string[] | string;
    dirty: string[] | string;
    other: boolean;
    survey_stale: boolean;
    versions: string | VersionRow[] | null;
  }>(
    await ex.execute(sql`SELECT
      coalesce((SELECT array_agg(to_char(month, 'YYYY-MM')) FROM kpi_fact_months
        WHERE month = ANY (${monthsSql}) AND time_zone = ${timeZone}), '{}') AS built,
      coalesce((SELECT array_agg(DISTINCT to_char(at AT TIME ZONE ${timeZone}, 'YYYY-MM'))
        FROM kpi_facts_dirty WHERE at >= ${from.toISOString()}::timestamptz
          AND at < ${to.toISOString()}::timestamptz), '{}') AS dirty,
      EXISTS (SELECT 1 FROM kpi_fact_months WHERE time_zone <> ${timeZone}) AS other,
      EXISTS (SELECT 1 FROM kpi_survey_dirty WHERE month = ANY (${monthsSql}))
        OR (SELECT count(*) FROM kpi_survey_months WHERE month = ANY (${monthsSql})) < ${list.length}
        AS survey_stale,
      ${versionsSql(monthsSql, timeZone)} AS versions`),
  );
  const built = new Set(textArray(state?.built ?? []));
  const dirty = new Set(textArray(state?.dirty ?? []));
  let refreshed = false;
  for (const m of list)
    if (state?.other || !built.has(m) || dirty.has(m)) {
      await refreshMonthFacts(ex, m, timeZone);
      refreshed = true;
    }

  const c = SURVEY_FIELD_CONDITIONS;
  const surveySums = sql`count(*) AS "surveysSent",
        count(*) FILTER (WHERE ${c.surveysAnswered}) AS "surveysAnswered",
        coalesce(sum(score100) FILTER (WHERE ${c.csatCount}), 0) AS "csatSum",
        count(*) FILTER (WHERE ${c.csatCount}) AS "csatCount"`;
  if (!hasScope(scope) && state?.survey_stale) {
    await refreshSurveyMonths(ex, list, surveySums);
    refreshed = true;
  }
  // The calls side by side with the ticket and survey facts (another connection on a pool);
  // marked handled here, awaited (and so thrown) below.
  const phoneRows = (async () => {
    const { peakWindows } = await getCallSettings(ex);
    return rowsOf<FactRow>(
      await ex.execute(sql`
        SELECT m, GROUPING(agent_id, team_id)::int AS g, coalesce(agent_id, team_id) AS id,
          count(*) AS "peakCallsOffered",
          count(*) FILTER (WHERE answered_at IS NOT NULL) AS "peakCallsAnswered"
        FROM (SELECT *, to_char(ring_at AT TIME ZONE ${timeZone}, 'YYYY-MM') AS m FROM calls
          WHERE ${callsWhereSql(from, to, peakWindows, timeZone)}) c
        WHERE m = ANY (${`{${list.join(',')}}`}::text[])
        GROUP BY GROUPING SETS ((m, agent_id), (m, team_id), (m))`),
    );
  })();
  phoneRows.catch(() => undefined);
  const factCols = [...TICKET_KEYS, ...CLOCK_KEYS];
  // Ticket, clock and survey facts per month, without the calls.
  const base = new Map<string, MonthFacts>();
  if (!hasScope(scope)) {
    // Without a scope: the rollups already grouped per owner, handler, team and workspace
    // (migration 0037), read as they are — and not even read again while the month's facts
    // version (rewritten with them) is one this process has filed before.
    const versions = refreshed
      ? rowsOf<{ versions: string | VersionRow[] | null }>(
          await ex.execute(sql`SELECT ${versionsSql(monthsSql, timeZone)} AS versions`),
        )[0]?.versions
      : state?.versions;
    const keyOf = new Map(
      jsonOf<VersionRow[]>(versions)
        .filter((v) => v.tv && v.sv)
        .map((v) => [v.m, `${v.m}|${timeZone}|${v.tv}|${v.sv}`]),
    );
    const only = opts.subjectOnly;
    const partial = new Set(only ? only.months : []);
    const subjectKey = only ? `|${only.subject.kind}:${only.subject.id ?? ''}` : '';
    for (const m of list) {
      const key = keyOf.get(m) ?? '';
      const hit = factsCache.get(key) ?? (partial.has(m) ? factsCache.get(key + subjectKey) : null);
      if (hit) base.set(m, hit);
    }
    const missing = list.filter((m) => !base.has(m) && !partial.has(m));
    const missingPart = list.filter((m) => !base.has(m) && partial.has(m));
    const read = async (ms: string[], subject: FactsSubject | null) => {
      if (ms.length === 0) return;
      const msSql = sql`${`{${ms.map((m) => `${m}-01`).join(',')}}`}::date[]`;
      const { tickets: whoT, surveys: whoS } = subjectRowsSql(subject);
      // The ticket and survey rollups side by side (two connections on a pool).
      const [tickets, surveys] = await Promise.all([
        ex
          .execute(
            sql`
          SELECT to_char(month, 'YYYY-MM') AS m, g, id,
            ${sql.join(
              factCols.map((k) => sql`${column(k)} AS ${sql.identifier(k)}`),
              sql`, `,
            )}
          FROM kpi_month_rollups WHERE month = ANY (${msSql})${whoT}`,
          )
          .then((r) => rowsOf<FactRow>(r)),
        ex
          .execute(
            sql`
          SELECT to_char(month, 'YYYY-MM') AS m, g, id,
            surveys_sent AS "surveysSent", surveys_answered AS "surveysAnswered",
            csat_sum AS "csatSum", csat_count AS "csatCount"
          FROM kpi_survey_month_rollups WHERE month = ANY (${msSql})${whoS}`,
          )
          .then((r) => rowsOf<FactRow>(r)),
      ]);
      for (const [m, facts] of fileByMonth(ms, tickets, surveys)) {
        base.set(m, facts);
        const key = keyOf.get(m);
        if (key) rememberFacts(subject ? key + subjectKey : key, facts);
      }
    };
    await Promise.all([read(missing, null), read(missingPart, only?.subject ?? null)]);
  } else {
    // A scope sums the month rows of its channel, category and tier, and counts its answers.
    const where: SQL[] = [sql`month = ANY (${monthsSql})`];
    if (scope.channel) where.push(sql`channel = ${scope.channel}`);
    if (scope.category) where.push(sql`category = ${scope.category}`);
    if (scope.tier) where.push(sql`tier = ${scope.tier}`);
    const tickets = rowsOf<FactRow>(
      await ex.execute(sql`
        SELECT to_char(month, 'YYYY-MM') AS m, GROUPING(owner_id, handler_id, team_id)::int AS g,
          coalesce(owner_id, handler_id, team_id) AS id,
          ${sql.join(
            factCols.map((k) => sql`sum(${column(k)}) AS ${sql.identifier(k)}`),
            sql`, `,
          )}
        FROM kpi_month_facts
        WHERE ${sql.join(where, sql` AND `)}
        GROUP BY GROUPING SETS ((month, owner_id), (month, handler_id), (month, team_id), (month))`),
    );
    const surveys = rowsOf<FactRow>(
      await ex.execute(sql`
        SELECT to_char(period_month, 'YYYY-MM') AS m,
          GROUPING(agent_id, team_id)::int AS g, coalesce(agent_id, team_id) AS id, ${surveySums}
        FROM survey_responses
        WHERE period_month = ANY (${monthsSql})${surveyScopeSql(scope)}
        GROUP BY GROUPING SETS ((period_month, agent_id), (period_month, team_id), (period_month))`),
    );
    for (const [m, facts] of fileByMonth(list, tickets, surveys)) base.set(m, facts);
  }
  const phone = await phoneRows;
  // Each caller gets its own copy (the cached facts are never handed out), with its calls.
  for (const m of list) {
    const facts = copyFacts(base.get(m)!);
    filePhone(
      facts,
      phone.filter((r) => r.m === m),
    );
    result.set(m, facts);
  }
  return result;
}

/** Whose facts a read may be narrowed to (loadMonthsFacts' subjectOnly). */
export interface FactsSubject {
  kind: 'total' | 'team' | 'agent';
  id: string | null;
}

type VersionRow = { m: string; tv: string | null; sv: string | null };

/** The months' facts versions (tickets and clocks; surveys) as a JSON array of VersionRow. */
const versionsSql = (
  monthsSql: SQL,
  timeZone: string,
) => sql`(SELECT coalesce(json_agg(json_build_object(
      'm', to_char(x.month, 'YYYY-MM'), 'tv', f.facts_version, 'sv', s.facts_version)), '[]')
    FROM unnest(${monthsSql}) x (month)
    LEFT JOIN kpi_fact_months f ON f.month = x.month AND f.time_zone = ${timeZone}
    LEFT JOIN kpi_survey_months s ON s.month = x.month)`;

/**
 * The rollup rows fileFacts files for one subject: the workspace row; a team's row; an agent's
 * rows as owner and as handler (the GROUPING values of the rollups, see BY_OWNER and below).
 */
function subjectRowsSql(subject: FactsSubject | null): { tickets: SQL; surveys: SQL } {
  if (!subject) return { tickets: sql``, surveys: sql`` };
  if (subject.kind === 'total')
    return {
      tickets: sql` AND g = ${TICKETS_TOTAL}`,
      surveys: sql` AND g = ${SURVEYS_TOTAL}`,
    };
  const id = sql`${subject.id ?? '00000000-0000-0000-0000-000000000000'}::uuid`;
  return subject.kind === 'team'
    ? {
        tickets: sql` AND g = ${BY_TEAM} AND id = ${id}`,
        surveys: sql` AND g = ${SURVEY_BY_TEAM} AND id = ${id}`,
      }
    : {
        tickets: sql` AND g IN (${BY_OWNER}, ${BY_HANDLER}) AND id = ${id}`,
        surveys: sql` AND g = ${SURVEY_BY_AGENT} AND id = ${id}`,
      };
}

/** Files ticket (and clock) and survey rows per month. */
function fileByMonth(months: string[], tickets: FactRow[], surveys: FactRow[]) {
  const split = (rows: FactRow[]) => {
    const out = new Map<string, FactRow[]>();
    for (const r of rows) {
      const list = out.get(r.m!);
      if (list) list.push(r);
      else out.set(r.m!, [r]);
    }
    return out;
  };
  const t = split(tickets);
  const s = split(surveys);
  return months.map(
    (m) => [m, fileFacts((t.get(m) ?? []) as unknown as TicketRow[], s.get(m) ?? [], [])] as const,
  );
}

/**
 * Facts filed from the rollups of a month at one facts version (kpi_fact_months.facts_version
 * and kpi_survey_months.facts_version, random, replaced whenever the month's rows are rewritten):
 * the same key always means the same rows, in any database. A few dozen months are kept.
 */
const factsCache = new Map<string, MonthFacts>();
const FACTS_CACHE_SIZE = 48;

/** Empties this process's cache of filed facts (the reports bench measures reads without it). */
export function forgetCachedFacts() {
  factsCache.clear();
}

function rememberFacts(key: string, facts: MonthFacts) {
  factsCache.delete(key);
  factsCache.set(key, facts);
  while (factsCache.size > FACTS_CACHE_SIZE) factsCache.delete(factsCache.keys().next().value!);
}

function copyFacts(f: MonthFacts): MonthFacts {
  const copy = (m: Map<string, KpiFacts>) => new Map([...m].map(([id, x]) => [id, { ...x }]));
  return { agents: copy(f.agents), teams: copy(f.teams), total: { ...f.total } };
}

/**
 * Brings the survey sums of `months` up to date (kpi_survey_month_facts, migration 0030): a
 * month never built, or with answers written since (kpi_survey_dirty), is summed again from its
 * answers, under the daily facts' lock; the log rows it saw are deleted with it.
 */
async function refreshSurveyMonths(ex: Executor, months: string[], sums: SQL) {
  const monthsSql = sql`${`{${months.map((m) => `${m}-01`).join(',')}}`}::date[]`;
  const [state] = rowsOf<{ stale: boolean }>(
    await ex.execute(sql`SELECT
      EXISTS (SELECT 1 FROM kpi_survey_dirty WHERE month = ANY (${monthsSql}))
      OR (SELECT count(*) FROM kpi_survey_months WHERE month = ANY (${monthsSql})) < ${months.length} AS stale`),
  );
  if (!state?.stale) return;
  await ex.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('kpi-daily-facts'))`);
    const stale = rowsOf<{ m: string }>(
      await tx.execute(sql`WITH d AS (
          DELETE FROM kpi_survey_dirty WHERE month = ANY (${monthsSql}) RETURNING month)
        SELECT DISTINCT to_char(month, 'YYYY-MM-DD') AS m FROM d
        UNION SELECT to_char(x, 'YYYY-MM-DD') FROM unnest(${monthsSql}) x
          WHERE NOT EXISTS (SELECT 1 FROM kpi_survey_months s WHERE s.month = x)`),
    ).map((r) => r.m);
    if (stale.length === 0) return;
    const staleSql = sql`${`{${stale.join(',')}}`}::date[]`;
    await tx.execute(sql`DELETE FROM kpi_survey_month_facts WHERE month = ANY (${staleSql})`);
    await tx.execute(sql`INSERT INTO kpi_survey_month_facts (month, agent_id, team_id,
        surveys_sent, surveys_answered, csat_sum, csat_count)
      SELECT period_month, agent_id, team_id, ${sums}
      FROM survey_responses WHERE period_month = ANY (${staleSql})
      GROUP BY period_month, agent_id, team_id`);
    await tx.execute(sql`INSERT INTO kpi_survey_months (month)
      SELECT x FROM unnest(${staleSql}) x
      ON CONFLICT (month) DO UPDATE SET facts_version = gen_random_uuid()`);
    // Grouped once here per agent, team and workspace, so reads take them as they are.
    await tx.execute(sql`DELETE FROM kpi_survey_month_rollups WHERE month = ANY (${staleSql})`);
    await tx.execute(sql`INSERT INTO kpi_survey_month_rollups (month, g, id,
        surveys_sent, surveys_answered, csat_sum, csat_count)
      SELECT month, GROUPING(agent_id, team_id), coalesce(agent_id, team_id),
        sum(surveys_sent), sum(surveys_answered), sum(csat_sum), sum(csat_count)
      FROM kpi_survey_month_facts WHERE month = ANY (${staleSql})
      GROUP BY GROUPING SETS ((month, agent_id), (month, team_id), (month))`);
  });
}

/** array_agg arrives as a JS array from node-postgres and as '{…}' text from some drivers. */
function textArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/[{}"]/g, '').split(',').filter(Boolean);
}

/** The facts of a month counted from the tickets and clocks themselves (no daily facts). */
export async function loadMonthFactsDirect(
  ex: Executor,
  month: string,
  timeZone: string,
  scope: FactsScope = {},
): Promise<MonthFacts> {
  const { from, to } = monthRange(month, timeZone);
  // Hash aggregates over a million tickets: more memory than the 4 MB default avoids spilling
  // (SET LOCAL: only inside the caller's transaction; a no-op outside one).
  await ex.execute(sql`SET LOCAL work_mem = '64MB'`);
  const tickets = (await hasTicketActivity(ex, from, to))
    ? [
        ...rowsOf<TicketRow>(await ex.execute(ticketFactsQuery(from, to, scope))),
        ...rowsOf<TicketRow>(await ex.execute(clockFactsQuery(from, to, scope))),
      ]
    : [];
  const surveys = rowsOf<FactRow>(await ex.execute(surveyFactsQuery(month, scope)));
  const { peakWindows } = await getCallSettings(ex);
  const phone = rowsOf<FactRow>(await ex.execute(callFactsQuery(from, to, peakWindows, timeZone)));
  return fileFacts(tickets, surveys, phone);
}

// ------------------------------------------------------------------ daily facts

const TICKET_KEYS = Object.keys(
  TICKET_FIELD_CONDITIONS,
) as (keyof typeof TICKET_FIELD_CONDITIONS)[];
const CLOCK_KEYS = [
  'firstResponseDue',
  'firstResponseInTime',
  'firstResponseMsSum',
  'firstResponseMsCount',
  'resolutionMsSum',
  'resolutionMsCount',
] as const satisfies readonly (keyof KpiFacts)[];
const column = (k: string) => sql.identifier(k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const DIMENSIONS = sql`owner_id, handler_id, team_id, channel, category, tier`;

/** [start, end) of a local date as instants. */
function dayRange(day: string, timeZone: string): CandidateWindow {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return {
    from: new Date(new TZDate(y, m - 1, d, 0, 0, timeZone).getTime()),
    to: new Date(new TZDate(y, m - 1, d + 1, 0, 0, timeZone).getTime()),
  };
}

/**
 * Recomputes the daily facts of `month` filed under `days` (all of the month when null): each
 * ticket and clock that counts in the month, with the month's own flags and conditions
 * (ticketFlagsSql, clockRowsSql, *_FIELD_CONDITIONS), summed per anchor day and per owner,
 * handler, team, channel, category and tier.
 */
async function writeDailyFacts(
  ex: Executor,
  month: string,
  timeZone: string,
  days: string[] | null,
) {
  const { from, to } = monthRange(month, timeZone);
  const window =
    days && days.length > 0
      ? {
          from: dayRange(
            days.reduce((a, b) => (a < b ? a : b)),
            timeZone,
          ).from,
          to: dayRange(
            days.reduce((a, b) => (a > b ? a : b)),
            timeZone,
          ).to,
        }
      : undefined;
  const onDays = days ? sql` WHERE day = ANY (${`{${days.join(',')}}`}::date[])` : sql``;
  // Each item with the local date of its anchor (one bound parameter, so GROUP BY day works).
  const dated = (rows: SQL) =>
    sql`(SELECT *, (anchor AT TIME ZONE ${timeZone})::date AS day FROM (${rows}) r
      WHERE anchor IS NOT NULL) d${onDays}`;
  const m = `${month}-01`;
  await ex.execute(sql`${ticketFlagsSql(from, to, {}, window)}
    INSERT INTO kpi_daily_facts (month, day, ${DIMENSIONS}, ${sql.join(TICKET_KEYS.map(column), sql`, `)})
    SELECT ${m}::date, day, ${DIMENSIONS},
      ${sql.join(
        TICKET_KEYS.map((k) => sql`count(*) FILTER (WHERE ${TICKET_FIELD_CONDITIONS[k]})`),
        sql`, `,
      )}
    FROM ${dated(sql`SELECT * FROM tk`)}
    GROUP BY day, ${DIMENSIONS}`);
  const c = CLOCK_FIELD_CONDITIONS;
  await ex.execute(sql`
    INSERT INTO kpi_daily_facts (month, day, ${DIMENSIONS}, ${sql.join(CLOCK_KEYS.map(column), sql`, `)})
    SELECT ${m}::date, day, ${DIMENSIONS},
      count(*) FILTER (WHERE ${c.firstResponseDue}),
      count(*) FILTER (WHERE ${c.firstResponseInTime}),
      coalesce(sum(business_ms_used) FILTER (WHERE ${c.firstResponseMsCount}), 0),
      count(*) FILTER (WHERE ${c.firstResponseMsCount}),
      coalesce(sum(business_ms_used) FILTER (WHERE ${c.resolutionMsCount}), 0),
      count(*) FILTER (WHERE ${c.resolutionMsCount})
    FROM ${dated(clockRowsSql(from, to, {}, window))}
    GROUP BY day, ${DIMENSIONS}`);
}

/**
 * Brings the daily facts of `month` up to date: a month never built (or cut in another time
 * zone) is built whole; otherwise the days of the instants logged in kpi_facts_dirty since
 * (migration 0030: every write to tickets, reopenings and clocks logs them) are recomputed.
 * The log rows are deleted in the same transaction as the recomputation, which reads at least
 * what they describe; rows written by transactions still open stay for the next refresh. One
 * refresh at a time (advisory lock); a month already up to date takes no lock.
 */
export async function refreshMonthFacts(ex: Executor, month: string, timeZone: string) {
  const { from, to } = monthRange(month, timeZone);
  const f = from.toISOString();
  const t = to.toISOString();
  const m = `${month}-01`;
  const status = sql`SELECT
      coalesce((SELECT time_zone = ${timeZone} FROM kpi_fact_months WHERE month = ${m}::date), false) AS built,
      EXISTS (SELECT 1 FROM kpi_fact_months WHERE time_zone <> ${timeZone}) AS other_zone,
      EXISTS (SELECT 1 FROM kpi_facts_dirty WHERE at >= ${f}::timestamptz AND at < ${t}::timestamptz) AS dirty`;
  type Status = { built: boolean; other_zone: boolean; dirty: boolean };
  const [before] = rowsOf<Status>(await ex.execute(status));
  if (before && before.built && !before.other_zone && !before.dirty) return;
  await ex.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('kpi-daily-facts'))`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    // Months cut in another time zone have other days: forget them.
    await tx.execute(sql`WITH gone AS (
        DELETE FROM kpi_fact_months WHERE time_zone <> ${timeZone} RETURNING month),
      daily AS (DELETE FROM kpi_daily_facts WHERE month IN (SELECT month FROM gone))
      DELETE FROM kpi_month_facts WHERE month IN (SELECT month FROM gone)`);
    const days = rowsOf<{ day: string }>(
      await tx.execute(sql`WITH d AS (
          DELETE FROM kpi_facts_dirty WHERE at >= ${f}::timestamptz AND at < ${t}::timestamptz
          RETURNING at)
        SELECT DISTINCT to_char(at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day FROM d`),
    ).map((r) => r.day);
    const [built] = rowsOf<{ one: number }>(
      await tx.execute(sql`SELECT 1 AS one FROM kpi_fact_months WHERE month = ${m}::date`),
    );
    if (!built) {
      await tx.execute(sql`DELETE FROM kpi_daily_facts WHERE month = ${m}::date`);
      if (await hasTicketActivity(tx, from, to)) await writeDailyFacts(tx, month, timeZone, null);
      await tx.execute(sql`INSERT INTO kpi_fact_months (month, time_zone)
        VALUES (${m}::date, ${timeZone})`);
    } else if (days.length > 0) {
      await tx.execute(sql`DELETE FROM kpi_daily_facts WHERE month = ${m}::date
        AND day = ANY (${`{${days.join(',')}}`}::date[])`);
      await writeDailyFacts(tx, month, timeZone, days);
    } else return;
    // The month's rows summed over its days: what reads use.
    const keys = [...TICKET_KEYS, ...CLOCK_KEYS].map(column);
    await tx.execute(sql`DELETE FROM kpi_month_facts WHERE month = ${m}::date`);
    await tx.execute(sql`INSERT INTO kpi_month_facts (month, ${DIMENSIONS}, ${sql.join(keys, sql`, `)})
      SELECT month, ${DIMENSIONS}, ${sql.join(
        keys.map((k) => sql`sum(${k})`),
        sql`, `,
      )}
      FROM kpi_daily_facts WHERE month = ${m}::date
      GROUP BY month, ${DIMENSIONS}`);
    // And grouped per owner, handler, team and workspace: what reads without a scope take.
    await tx.execute(sql`DELETE FROM kpi_month_rollups WHERE month = ${m}::date`);
    await tx.execute(sql`INSERT INTO kpi_month_rollups (month, g, id, ${sql.join(keys, sql`, `)})
      SELECT month, GROUPING(owner_id, handler_id, team_id), coalesce(owner_id, handler_id, team_id),
        ${sql.join(
          keys.map((k) => sql`sum(${k})`),
          sql`, `,
        )}
      FROM kpi_month_facts WHERE month = ${m}::date
      GROUP BY GROUPING SETS ((month, owner_id), (month, handler_id), (month, team_id), (month))`);
    await tx.execute(sql`UPDATE kpi_fact_months SET facts_version = gen_random_uuid()
      WHERE month = ${m}::date`);
  });
}

/** Files a month's ticket, clock, survey and phone rows per agent, team and workspace. */
function fileFacts(tickets: TicketRow[], surveys: FactRow[], phone: FactRow[]): MonthFacts {
  const agents = new Map<string, KpiFacts>();
  const teams = new Map<string, KpiFacts>();
  const total = emptyFacts();
  for (const row of tickets) {
    const g = Number(row.g);
    if (g === TICKETS_TOTAL) {
      for (const k of [...OWNER_FIELDS, ...HANDLER_FIELDS])
        if (row[k] !== undefined) total[k] = Number(row[k] ?? 0);
      continue;
    }
    if (!row.id) continue;
    if (g === BY_TEAM) {
      const facts = take(teams, row.id);
      for (const k of [...OWNER_FIELDS, ...HANDLER_FIELDS])
        if (row[k] !== undefined) facts[k] = Number(row[k] ?? 0);
    } else {
      const fields = g === BY_OWNER ? OWNER_FIELDS : g === BY_HANDLER ? HANDLER_FIELDS : [];
      const facts = take(agents, row.id);
      for (const k of fields) if (row[k] !== undefined) facts[k] = Number(row[k] ?? 0);
    }
  }
  for (const row of surveys) {
    const g = Number(row.g);
    const id = row.id;
    const facts =
      g === SURVEYS_TOTAL
        ? total
        : !id
          ? null
          : g === SURVEY_BY_AGENT
            ? take(agents, id)
            : g === SURVEY_BY_TEAM
              ? take(teams, id)
              : null;
    if (!facts) continue;
    facts.surveysSent = Number(row.surveysSent);
    facts.surveysAnswered = Number(row.surveysAnswered);
    facts.csatSum = Number(row.csatSum);
    facts.csatCount = Number(row.csatCount);
  }
  const facts = { agents, teams, total };
  filePhone(facts, phone);
  return facts;
}

/** Files a month's phone rows (per agent, team and workspace) into its facts. */
function filePhone({ agents, teams, total }: MonthFacts, phone: FactRow[]) {
  for (const row of phone) {
    const g = Number(row.g);
    if (g === PHONE_TOTAL) {
      total.peakCallsOffered = Number(row.peakCallsOffered);
      total.peakCallsAnswered = Number(row.peakCallsAnswered);
      continue;
    }
    if (!row.id) continue;
    const facts =
      g === SURVEY_BY_AGENT
        ? take(agents, row.id)
        : g === SURVEY_BY_TEAM
          ? take(teams, row.id)
          : null;
    if (!facts) continue;
    facts.peakCallsOffered = Number(row.peakCallsOffered);
    facts.peakCallsAnswered = Number(row.peakCallsAnswered);
  }
}

/**
 * Consumes the whole dirty log (the daily-facts job): every built month with logged instants
 * is brought up to date; instants of months never built are dropped (a month is built whole
 * when it is first read). Returns the months refreshed.
 */
export async function refreshDirtyFacts(db: Executor, timeZone: string): Promise<string[]> {
  const months = rowsOf<{ m: string; built: boolean }>(
    await db.execute(sql`SELECT d.m, EXISTS (SELECT 1 FROM kpi_fact_months f
        WHERE f.month = (d.m || '-01')::date AND f.time_zone = ${timeZone}) AS built
      FROM (SELECT DISTINCT to_char(at AT TIME ZONE ${timeZone}, 'YYYY-MM') AS m
            FROM kpi_facts_dirty) d ORDER BY d.m`),
  );
  const refreshed: string[] = [];
  for (const { m, built } of months) {
    if (built) {
      await refreshMonthFacts(db, m, timeZone);
      refreshed.push(m);
      continue;
    }
    const { from, to } = monthRange(m, timeZone);
    await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('kpi-daily-facts'))`);
      // Built meanwhile? Then its refresh consumes them instead.
      await tx.execute(sql`DELETE FROM kpi_facts_dirty
        WHERE at >= ${from.toISOString()}::timestamptz AND at < ${to.toISOString()}::timestamptz
          AND NOT EXISTS (SELECT 1 FROM kpi_fact_months WHERE month = ${`${m}-01`}::date)`);
    });
  }
  return refreshed;
}
