/**
 * The month dashboard and its drill-downs, over the KPI engine: the facts are loaded by
 * kpi/facts.ts and evaluated by kpi/rules/kpis.ts, so every number here is the engine's. The
 * drill-down lists the tickets matching the very conditions the engine counts (the
 * *_FIELD_CONDITIONS of kpi/facts.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Database, type Db, type Executor } from '../../db/client.js';
import { cursorBatches } from '../../db/cursor.js';
import { problems } from '../../lib/problem.js';
import {
  CLOCK_FIELD_CONDITIONS,
  clockRowsSql,
  loadMonthsFacts,
  subjectOfField,
  SURVEY_FIELD_CONDITIONS,
  surveyWhereSql,
  TICKET_FIELD_CONDITIONS,
  ticketFlagsSql,
  type FactsScope,
} from '../kpi/facts.js';
import { canSeeAgent, canSeeTeam, visibleResults } from '../kpi/policy.js';
import {
  emptyFacts,
  evaluateKpis,
  type KpiFacts,
  type KpiKey,
  type KpiResult,
  type KpiTargets,
} from '../kpi/rules/kpis.js';
import { monthRange } from '../kpi/rules/schedule.js';
import { assessedMonths, computeResults, workspaceTimeZone } from '../kpi/snapshots.js';
import { currentTargets } from '../kpi/targets.js';
import { drillFactOf, monthsEnding, type DrillPart } from './rules/drill.js';

export interface ReportFilter extends FactsScope {
  month: string;
  teamId?: string | undefined;
  agentId?: string | undefined;
}

export type SubjectKind = 'total' | 'team' | 'agent';

export interface MonthDashboard {
  month: string;
  timeZone: string;
  targetVersion: number;
  targets: KpiTargets;
  subject: { kind: SubjectKind; id: string | null; name: string | null };
  kpis: Record<KpiKey, KpiResult>;
  trend: { month: string; kpis: Record<KpiKey, KpiResult> }[];
  csatCutoff: number | null;
  agents: {
    userId: string;
    name: string;
    teamIds: string[];
    kpis: Record<KpiKey, KpiResult>;
    serviceStar: boolean;
    warnings: KpiKey[];
  }[];
  teams: { teamId: string; name: string; kpis: Record<KpiKey, KpiResult> }[];
}

const scopeOf = (f: FactsScope): FactsScope => ({
  channel: f.channel,
  category: f.category,
  tier: f.tier,
});

async function teamIdsOf(ex: Executor, userId: string): Promise<string[]> {
  return rowsOf<{ team_id: string }>(
    await ex.execute(sql`SELECT team_id FROM team_members WHERE user_id = ${userId}`),
  ).map((r) => r.team_id);
}

/** The headline subject after the record rules: 404 for an unknown id, 403 for another's. */
async function resolveSubject(
  ex: Executor,
  actor: Actor,
  f: Pick<ReportFilter, 'teamId' | 'agentId'>,
): Promise<MonthDashboard['subject']> {
  if (f.agentId) {
    const [u] = rowsOf<{ name: string }>(
      await ex.execute(sql`SELECT name FROM users WHERE id = ${f.agentId}`),
    );
    if (!u) throw problems.notFound('Agent', 'agentId');
    if (!canSeeAgent(actor, f.agentId, await teamIdsOf(ex, f.agentId)))
      throw problems.forbidden('You may not see this agent’s results.');
    return { kind: 'agent', id: f.agentId, name: u.name };
  }
  if (f.teamId) {
    const [t] = rowsOf<{ name: string }>(
      await ex.execute(sql`SELECT name FROM teams WHERE id = ${f.teamId}`),
    );
    if (!t) throw problems.notFound('Team', 'teamId');
    if (!canSeeTeam(actor, f.teamId)) throw problems.forbidden('You may not see this team.');
    return { kind: 'team', id: f.teamId, name: t.name };
  }
  if (!actor.roles.includes('admin') && !actor.roles.includes('supervisor'))
    throw problems.forbidden();
  return { kind: 'total', id: null, name: null };
}

const factsOfSubject = (
  facts: { agents: Map<string, KpiFacts>; teams: Map<string, KpiFacts>; total: KpiFacts },
  s: MonthDashboard['subject'],
) =>
  s.kind === 'agent'
    ? (facts.agents.get(s.id ?? '') ?? emptyFacts())
    : s.kind === 'team'
      ? (facts.teams.get(s.id ?? '') ?? emptyFacts())
      : facts.total;

/** The month against the targets: headline KPIs, a 12-month trend, agents and teams. */
export async function monthDashboard(
  db: Db,
  actor: Actor,
  now: Date,
  f: ReportFilter,
): Promise<MonthDashboard> {
  // Independent reads side by side on the pool (PGlite runs them in turn).
  const [timeZone, { version, targets }, subject] = await Promise.all([
    workspaceTimeZone(db),
    currentTargets(db, now),
    resolveSubject(db, actor, f),
  ]);
  const scope = scopeOf(f);
  const kind = subject.kind === 'agent' ? 'agent' : 'team';
  // No transaction around the reads: each is consistent in itself (facts are filed per version,
  // kpi/facts.ts), and outside one they may run on several connections at once.
  // The 12 months at once (daily facts, kpi/facts.ts); the month itself and the months its
  // assessment looks back on (computeResults) whole, the other trend months for the
  // headline subject only.
  const months = monthsEnding(f.month, 12);
  const assessed = new Set(assessedMonths(f.month));
  const byMonth = await loadMonthsFacts(db, months, timeZone, scope, {
    subjectOnly: {
      months: months.filter((m) => !assessed.has(m)),
      subject: { kind: subject.kind, id: subject.id },
    },
  });
  const results = visibleResults(
    await computeResults(db, f.month, targets, timeZone, scope, byMonth),
    actor,
  );
  const trend: MonthDashboard['trend'] = months.map((m) => ({
    month: m,
    kpis: evaluateKpis(factsOfSubject(byMonth.get(m)!, subject), targets, kind),
  }));
  const agents = results.agents.filter(
    (a) => (!f.agentId || a.userId === f.agentId) && (!f.teamId || a.teamIds.includes(f.teamId)),
  );
  const teams = results.teams.filter((t) => !f.teamId || t.teamId === f.teamId);
  return {
    month: f.month,
    timeZone,
    targetVersion: version,
    targets,
    subject,
    kpis: trend[trend.length - 1]!.kpis,
    trend,
    csatCutoff: results.csatCutoff,
    agents: agents.map((a) => ({
      userId: a.userId,
      name: a.name,
      teamIds: a.teamIds,
      kpis: a.kpis,
      serviceStar: a.outcome.serviceStar,
      warnings: a.outcome.warnings,
    })),
    teams: teams.map((t) => ({ teamId: t.teamId, name: t.name, kpis: t.kpis })),
  };
}

// ------------------------------------------------------------------- drill-down

export interface DrillQuery extends FactsScope {
  month: string;
  kpi: KpiKey;
  part: DrillPart;
  subject: SubjectKind;
  id?: string | undefined;
}

/**
 * SQL selecting the ids of the tickets behind one fact (one row per counted item: a ticket, a
 * clock, a survey answer) for a subject, with the engine's conditions.
 */
function countedSql(fact: keyof KpiFacts, q: DrillQuery, timeZone: string): SQL {
  const { from, to } = monthRange(q.month, timeZone);
  const scope = scopeOf(q);
  const col = subjectOfField(fact) === 'owner' ? sql`owner_id` : sql`handler_id`;
  const who =
    q.subject === 'agent'
      ? sql` AND ${col} = ${q.id}`
      : q.subject === 'team'
        ? sql` AND team_id = ${q.id}`
        : sql``;
  if (fact in TICKET_FIELD_CONDITIONS) {
    const cond = TICKET_FIELD_CONDITIONS[fact as keyof typeof TICKET_FIELD_CONDITIONS];
    return sql`${ticketFlagsSql(from, to, scope)} SELECT id FROM tk WHERE (${cond})${who}`;
  }
  if (fact in CLOCK_FIELD_CONDITIONS) {
    const cond = CLOCK_FIELD_CONDITIONS[fact as keyof typeof CLOCK_FIELD_CONDITIONS];
    return sql`SELECT id FROM (${clockRowsSql(from, to, scope)}) x WHERE (${cond})${who}`;
  }
  const cond = SURVEY_FIELD_CONDITIONS[fact as keyof typeof SURVEY_FIELD_CONDITIONS];
  const surveyWho =
    q.subject === 'agent'
      ? sql` AND agent_id = ${q.id}`
      : q.subject === 'team'
        ? sql` AND team_id = ${q.id}`
        : sql``;
  return sql`SELECT ticket_id AS id FROM survey_responses
    WHERE ${surveyWhereSql(q.month, scope)} AND (${cond})${surveyWho}`;
}

export interface DrillTicket {
  id: string;
  number: string;
  subject: string;
  status: string;
  channel: string;
  category: string;
  tier: string;
  receivedAt: string;
  teamName: string | null;
  ownerName: string | null;
  handlerName: string | null;
}

export interface TicketRow {
  id: string;
  number: string;
  subject: string;
  status: string;
  channel: string;
  category: string;
  tier: string;
  received_at: string | Date;
  team_name: string | null;
  owner_name: string | null;
  handler_name: string | null;
}

export const presentTicket = (r: TicketRow): DrillTicket => ({
  id: r.id,
  number: r.number,
  subject: r.subject,
  status: r.status,
  channel: r.channel,
  category: r.category,
  tier: r.tier,
  receivedAt: new Date(r.received_at).toISOString(),
  teamName: r.team_name,
  ownerName: r.owner_name,
  handlerName: r.handler_name,
});

const selectTickets = (ids: SQL, after: SQL, limit?: number) => sql`
  SELECT t.id, t.number, t.subject, t.status, t.channel, t.category, t.tier, t.received_at,
    tm.name AS team_name, o.name AS owner_name, h.name AS handler_name
  FROM tickets t
  LEFT JOIN teams tm ON tm.id = t.team_id
  LEFT JOIN users o ON o.id = t.owner_id
  LEFT JOIN users h ON h.id = t.handler_id
  WHERE t.id IN (SELECT id FROM (${ids}) ids WHERE id IS NOT NULL)${after}
  ORDER BY t.received_at DESC, t.id DESC${
    limit === undefined
      ? sql``
      : sql`
  LIMIT ${limit}`
  }`;

export async function checkDrill(db: Db, actor: Actor, q: DrillQuery) {
  if (q.kpi === 'phone_connection_rate')
    throw problems.invalid([
      { path: 'kpi', message: 'the connection rate counts calls, not tickets: see the call log' },
    ]);
  if (q.subject !== 'total' && !q.id)
    throw problems.invalid([{ path: 'id', message: 'required for an agent or a team' }]);
  await resolveSubject(
    db,
    actor,
    q.subject === 'agent' ? { agentId: q.id } : q.subject === 'team' ? { teamId: q.id } : {},
  );
}

/** The tickets behind a KPI's numerator or denominator, newest first. */
export async function drillTickets(
  db: Db,
  actor: Actor,
  q: DrillQuery & { limit: number },
): Promise<{ fact: keyof KpiFacts; count: number; tickets: DrillTicket[] }> {
  await checkDrill(db, actor, q);
  const timeZone = await workspaceTimeZone(db);
  const fact = drillFactOf(q.kpi, q.part);
  const ids = countedSql(fact, q, timeZone);
  const [c] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT count(*) AS n FROM (${ids}) c`),
  );
  const rows = rowsOf<TicketRow>(await db.execute(selectTickets(ids, sql``, q.limit)));
  return { fact, count: Number(c?.n ?? 0), tickets: rows.map(presentTicket) };
}

/**
 * Every ticket of a drill-down in batches (bounded memory), for the exports. On PostgreSQL the
 * list is read through a cursor (db/cursor.ts): the engine's conditions are evaluated once. The
 * embedded engine has a single connection, so a transaction held open for a whole download
 * would stop every other request: there, batches are pages after the last row (keyset), each
 * a short query that lets other requests run in between.
 */
export async function* drillTicketBatches(
  database: Database,
  actor: Actor,
  q: DrillQuery,
  batch = 1000,
): AsyncGenerator<DrillTicket[]> {
  const { db } = database;
  await checkDrill(db, actor, q);
  const timeZone = await workspaceTimeZone(db);
  const ids = countedSql(drillFactOf(q.kpi, q.part), q, timeZone);
  if (database.engine === 'postgres') {
    for await (const rows of cursorBatches<TicketRow>(database, selectTickets(ids, sql``), batch))
      yield rows.map(presentTicket);
    return;
  }
  let after = sql``;
  for (;;) {
    const rows = rowsOf<TicketRow>(await db.execute(selectTickets(ids, after, batch)));
    if (rows.length === 0) return;
    yield rows.map(presentTicket);
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    const at = new Date(last.received_at).toISOString();
    after = sql` AND (t.received_at, t.id) < (${at}::timestamptz, ${last.id}::uuid)`;
  }
}
