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
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { emptyFacts, type KpiFacts } from './rules/kpis.js';
import { monthRange } from './rules/schedule.js';

export interface MonthFacts {
  agents: Map<string, KpiFacts>;
  teams: Map<string, KpiFacts>;
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

/** The ticket facts of a month (outcomes, reopenings), one row per owner, handler and team. */
export function ticketFactsQuery(from: Date, to: Date) {
  const f = from.toISOString();
  const t = to.toISOString();
  return sql`
    WITH reopen_month AS (
      SELECT DISTINCT ticket_id FROM ticket_events
       WHERE kind = 'status' AND data ->> 'to' = 'reopened'
         AND at >= ${f}::timestamptz AND at < ${t}::timestamptz
    ), reopen_ever AS (
      SELECT DISTINCT ticket_id FROM ticket_events
       WHERE kind = 'status' AND data ->> 'to' = 'reopened' AND at < ${t}::timestamptz
    ), tk AS (
      SELECT tk.owner_id, coalesce(tk.handler_id, tk.owner_id) AS handler_id, tk.team_id,
        tk.received_at >= ${f}::timestamptz AND tk.received_at < ${t}::timestamptz AS received,
        tk.category = 'complaint' AS complaint,
        tk.tier = 'L1' AS l1,
        (tk.handler_id IS NULL OR tk.handler_id = tk.owner_id) AND re.ticket_id IS NULL AS first_contact,
        coalesce(o.at >= ${f}::timestamptz AND o.at < ${t}::timestamptz, false) AS concluded,
        o.resolved,
        rm.ticket_id IS NOT NULL AS reopened
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
      WHERE ${notMerged}
        AND ((tk.received_at >= ${f}::timestamptz AND tk.received_at < ${t}::timestamptz)
          OR (tk.resolved_at >= ${f}::timestamptz AND tk.resolved_at < ${t}::timestamptz)
          OR (tk.closed_at >= ${f}::timestamptz AND tk.closed_at < ${t}::timestamptz)
          OR rm.ticket_id IS NOT NULL)
    )
    SELECT GROUPING(owner_id, handler_id, team_id)::int AS g,
      coalesce(owner_id, handler_id, team_id) AS id,
      count(*) FILTER (WHERE received) AS "received",
      count(*) FILTER (WHERE received AND complaint) AS "complaints",
      count(*) FILTER (WHERE concluded AND resolved AND l1) AS "l1Resolved",
      count(*) FILTER (WHERE concluded AND resolved AND l1 AND first_contact) AS "l1FirstContact",
      count(*) FILTER (WHERE concluded) AS "concluded",
      count(*) FILTER (WHERE concluded AND resolved) AS "resolved",
      count(*) FILTER (WHERE concluded AND complaint) AS "complaintsConcluded",
      count(*) FILTER (WHERE concluded AND complaint AND resolved) AS "complaintsResolved",
      count(*) FILTER (WHERE (concluded AND resolved) OR reopened) AS "reopenBase",
      count(*) FILTER (WHERE reopened) AS "reopened"
    FROM tk
    GROUP BY GROUPING SETS ((owner_id), (handler_id), (team_id))`;
}

/**
 * The SLA facts of a month: first-response and resolution clocks decided or met in it, joined to
 * their (non-merged) tickets, one row per owner, handler and team.
 */
export function clockFactsQuery(from: Date, to: Date) {
  const f = from.toISOString();
  const t = to.toISOString();
  return sql`
    SELECT GROUPING(owner_id, handler_id, team_id)::int AS g,
      coalesce(owner_id, handler_id, team_id) AS id,
      count(*) FILTER (WHERE kind = 'first_response' AND decided) AS "firstResponseDue",
      count(*) FILTER (WHERE kind = 'first_response' AND decided AND NOT breached) AS "firstResponseInTime",
      coalesce(sum(business_ms_used) FILTER (WHERE kind = 'first_response' AND met_in), 0) AS "firstResponseMsSum",
      count(business_ms_used) FILTER (WHERE kind = 'first_response' AND met_in) AS "firstResponseMsCount",
      coalesce(sum(business_ms_used) FILTER (WHERE kind = 'resolution' AND met_in), 0) AS "resolutionMsSum",
      count(business_ms_used) FILTER (WHERE kind = 'resolution' AND met_in) AS "resolutionMsCount"
    FROM (
      SELECT c.kind, c.breached, c.business_ms_used,
        tk.owner_id, coalesce(tk.handler_id, tk.owner_id) AS handler_id, tk.team_id,
        coalesce((CASE WHEN c.breached THEN c.breached_at ELSE c.met_at END) >= ${f}::timestamptz
          AND (CASE WHEN c.breached THEN c.breached_at ELSE c.met_at END) < ${t}::timestamptz, false) AS decided,
        coalesce(c.met_at >= ${f}::timestamptz AND c.met_at < ${t}::timestamptz, false) AS met_in
      FROM sla_clocks c JOIN tickets tk ON tk.id = c.ticket_id
      WHERE c.kind IN ('first_response', 'resolution')
        AND ((c.met_at >= ${f}::timestamptz AND c.met_at < ${t}::timestamptz)
          OR (c.breached_at >= ${f}::timestamptz AND c.breached_at < ${t}::timestamptz))
        AND ${notMerged}
    ) x
    GROUP BY GROUPING SETS ((owner_id), (handler_id), (team_id))`;
}

/** Survey facts of a month (by period_month): one row per agent and per team. */
export function surveyFactsQuery(month: string) {
  return sql`
    SELECT GROUPING(agent_id, team_id)::int AS g, coalesce(agent_id, team_id) AS id,
      count(*) AS "surveysSent",
      count(*) FILTER (WHERE answered_at IS NOT NULL) AS "surveysAnswered",
      coalesce(sum(score100) FILTER (WHERE answered_at IS NOT NULL), 0) AS "csatSum",
      count(score100) FILTER (WHERE answered_at IS NOT NULL) AS "csatCount"
    FROM survey_responses
    WHERE period_month = ${`${month}-01`}::date
    GROUP BY GROUPING SETS ((agent_id), (team_id))`;
}

// GROUPING(owner_id, handler_id, team_id) is a bit mask of the columns *not* grouped:
// (owner_id) → 0b011, (handler_id) → 0b101, (team_id) → 0b110.
const BY_OWNER = 3;
const BY_HANDLER = 5;
const BY_TEAM = 6;
// GROUPING(agent_id, team_id): (agent_id) → 0b01, (team_id) → 0b10.
const SURVEY_BY_AGENT = 1;
const SURVEY_BY_TEAM = 2;

const take = (map: Map<string, KpiFacts>, id: string) => {
  let facts = map.get(id);
  if (!facts) map.set(id, (facts = emptyFacts()));
  return facts;
};

export async function loadMonthFacts(
  ex: Executor,
  month: string,
  timeZone: string,
): Promise<MonthFacts> {
  const { from, to } = monthRange(month, timeZone);
  // Hash aggregates over a million tickets: more memory than the 4 MB default avoids spilling
  // (SET LOCAL: only inside the caller's transaction; a no-op outside one).
  await ex.execute(sql`SET LOCAL work_mem = '64MB'`);
  const tickets = [
    ...rowsOf<TicketRow>(await ex.execute(ticketFactsQuery(from, to))),
    ...rowsOf<TicketRow>(await ex.execute(clockFactsQuery(from, to))),
  ];
  const surveys = rowsOf<{ g: number; id: string | null } & Record<string, string | number>>(
    await ex.execute(surveyFactsQuery(month)),
  );
  const agents = new Map<string, KpiFacts>();
  const teams = new Map<string, KpiFacts>();
  for (const row of tickets) {
    if (!row.id) continue;
    const g = Number(row.g);
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
    if (!row.id) continue;
    const g = Number(row.g);
    const facts =
      g === SURVEY_BY_AGENT
        ? take(agents, row.id)
        : g === SURVEY_BY_TEAM
          ? take(teams, row.id)
          : null;
    if (!facts) continue;
    facts.surveysSent = Number(row.surveysSent);
    facts.surveysAnswered = Number(row.surveysAnswered);
    facts.csatSum = Number(row.csatSum);
    facts.csatCount = Number(row.csatCount);
  }
  return { agents, teams };
}
