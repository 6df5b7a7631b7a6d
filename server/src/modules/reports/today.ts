/**
 * Today on the floor (SPEC 13): volume by channel and hour, queue sizes, the oldest waiting
 * ticket, SLA at risk and breached, open green-channel complaints, CSAT so far today. "Today"
 * is the calendar day in the workspace time zone; `now` comes from the clock.
 *
 * Every figure is a condition over the tickets (`figureCondition`): the board counts the rows
 * that satisfy it and the drill-down (`todayTickets`) lists those very rows — one predicate for
 * both, so a number and its list cannot drift apart.
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db } from '../../db/client.js';
import { problems } from '../../lib/problem.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { localDateOf } from '../sla/rules/calendar.js';
import { visibleTo } from '../tickets/access.js';
import { countQueues, queueCondition } from '../tickets/queries.js';
import type { Queue } from '../tickets/rules/vocabulary.js';
import { presentTicket, type DrillTicket, type TicketRow } from './service.js';

export interface TodayBoard {
  date: string;
  timeZone: string;
  at: string;
  volume: { channel: string; hour: number; count: number }[];
  received: number;
  queues: Record<Queue, number>;
  waiting: number;
  oldestWaitingAt: string | null;
  slaAtRisk: number;
  slaBreached: number;
  greenComplaintsOpen: number;
  csat: { answered: number; average: number | null };
}

/** The board's figures a drill-down can open (`oldestWaitingAt` opens `waiting`, oldest first). */
export const TODAY_FIGURES = [
  'received',
  'waiting',
  'slaAtRisk',
  'slaBreached',
  'greenComplaints',
  'queue',
  'csat',
] as const;
export type TodayFigure = (typeof TODAY_FIGURES)[number];

/** Which figure, and for `received` optionally one bar of the volume chart; for `queue`, which. */
export interface TodayDrill {
  figure: TodayFigure;
  channel?: string | undefined;
  hour?: number | undefined;
  queue?: Queue | undefined;
}

interface Day {
  date: string;
  timeZone: string;
  /** `now`, ISO. */
  at: string;
  /** Local midnight to local midnight, computed by the database. */
  from: SQL;
  to: SQL;
}

async function dayOf(db: Db, now: Date): Promise<Day> {
  const timeZone = await workspaceTimeZone(db);
  const date = localDateOf(now.getTime(), timeZone);
  return {
    date,
    timeZone,
    at: now.toISOString(),
    from: sql`(${date}::date)::timestamp AT TIME ZONE ${timeZone}`,
    to: sql`(${date}::date + 1)::timestamp AT TIME ZONE ${timeZone}`,
  };
}

/** Not concluded and not merged away: what the floor still has to work. */
const OPEN = sql`tickets.status NOT IN ('resolved', 'closed', 'archived') AND tickets.merged_into_id IS NULL`;
const hourOf = (d: Day) =>
  sql`extract(hour FROM tickets.received_at AT TIME ZONE ${d.timeZone})::int`;
/** CSAT answers of today (only answers with a score count). */
const answeredToday = (d: Day) =>
  sql`survey_responses.answered_at >= ${d.from} AND survey_responses.answered_at < ${d.to}
    AND survey_responses.score100 IS NOT NULL`;

/**
 * The condition over `tickets` that a figure counts. For `csat` — which counts answers — the
 * tickets those answers are about; answers without a ticket (campaigns) are counted apart.
 */
function figureCondition(q: TodayDrill, d: Day, actor: Actor): SQL {
  const now = sql`${d.at}::timestamptz`;
  switch (q.figure) {
    case 'received': {
      const parts = [
        sql`tickets.received_at >= ${d.from} AND tickets.received_at < ${d.to}
          AND tickets.merged_into_id IS NULL`,
      ];
      if (q.channel !== undefined) parts.push(sql`tickets.channel = ${q.channel}`);
      if (q.hour !== undefined) parts.push(sql`${hourOf(d)} = ${q.hour}`);
      return sql.join(parts, sql` AND `);
    }
    case 'waiting':
      return sql`${OPEN} AND tickets.status IN ('new', 'reopened')`;
    case 'slaAtRisk':
      return sql`${OPEN} AND tickets.sla_warn_at <= ${now} AND tickets.sla_due_at > ${now}`;
    case 'slaBreached':
      return sql`${OPEN} AND tickets.sla_due_at <= ${now}`;
    case 'greenComplaints':
      return sql`${OPEN} AND tickets.green_channel AND tickets.category = 'complaint'`;
    case 'queue':
      // The console's queue, as countQueues counts it: the queue's condition among the visible.
      return and(visibleTo(actor), queueCondition(q.queue ?? 'all', actor)) ?? sql`true`;
    case 'csat':
      return sql`tickets.id IN (SELECT survey_responses.ticket_id FROM survey_responses
        WHERE ${answeredToday(d)})`;
  }
}

export async function todayBoard(db: Db, actor: Actor, now: Date): Promise<TodayBoard> {
  const d = await dayOf(db, now);
  const cond = (figure: TodayFigure) => figureCondition({ figure }, d, actor);
  const volume = rowsOf<{ channel: string; hour: number | string; count: number | string }>(
    await db.execute(sql`
      SELECT tickets.channel, ${hourOf(d)} AS hour, count(*)::int AS count
      FROM tickets WHERE ${cond('received')}
      GROUP BY 1, 2 ORDER BY 2, 1`),
  ).map((r) => ({ channel: r.channel, hour: Number(r.hour), count: Number(r.count) }));
  // OPEN first narrows to what every figure here requires anyway.
  const [s] = rowsOf<Record<string, string | number | Date | null>>(
    await db.execute(sql`
      SELECT
        count(*) FILTER (WHERE ${cond('waiting')})::int AS waiting,
        min(tickets.received_at) FILTER (WHERE ${cond('waiting')}) AS oldest,
        count(*) FILTER (WHERE ${cond('slaAtRisk')})::int AS at_risk,
        count(*) FILTER (WHERE ${cond('slaBreached')})::int AS breached,
        count(*) FILTER (WHERE ${cond('greenComplaints')})::int AS green
      FROM tickets WHERE ${OPEN}`),
  );
  const [c] = rowsOf<{ answered: number | string; average: number | string | null }>(
    await db.execute(sql`
      SELECT count(*)::int AS answered, round(avg(score100), 2) AS average
      FROM survey_responses WHERE ${answeredToday(d)}`),
  );
  return {
    date: d.date,
    timeZone: d.timeZone,
    at: d.at,
    volume,
    received: volume.reduce((sum, v) => sum + v.count, 0),
    queues: await countQueues(db, actor),
    waiting: Number(s?.waiting ?? 0),
    oldestWaitingAt: s?.oldest ? new Date(s.oldest as string).toISOString() : null,
    slaAtRisk: Number(s?.at_risk ?? 0),
    slaBreached: Number(s?.breached ?? 0),
    greenComplaintsOpen: Number(s?.green ?? 0),
    csat: {
      answered: Number(c?.answered ?? 0),
      average: c?.average === null || c?.average === undefined ? null : Number(c.average),
    },
  };
}

export interface TodayTickets {
  figure: TodayFigure;
  date: string;
  at: string;
  /** What the board shows for this figure (at `at`). */
  count: number;
  /** Counted items that are not tickets: today's CSAT answers to campaigns (0 elsewhere). */
  withoutTicket: number;
  tickets: DrillTicket[];
}

function checkTodayDrill(q: TodayDrill) {
  if (q.figure !== 'received' && (q.channel !== undefined || q.hour !== undefined))
    throw problems.invalid([{ path: 'channel', message: 'only for figure=received' }]);
  if ((q.figure === 'queue') !== (q.queue !== undefined))
    throw problems.invalid([{ path: 'queue', message: 'required with figure=queue, only there' }]);
}

/** Waiting tickets oldest first (the first is the board's "oldest waiting"); others newest. */
const ascending = (q: TodayDrill) => q.figure === 'waiting';

const selectToday = (q: TodayDrill, cond: SQL, after: SQL, limit: number) => {
  const dir = ascending(q) ? sql`ASC` : sql`DESC`;
  return sql`
      SELECT tickets.id, tickets.number, tickets.subject, tickets.status, tickets.channel,
        tickets.category, tickets.tier, tickets.received_at,
        tickets.received_at::text AS received_key,
        tm.name AS team_name, o.name AS owner_name, h.name AS handler_name
      FROM tickets
      LEFT JOIN teams tm ON tm.id = tickets.team_id
      LEFT JOIN users o ON o.id = tickets.owner_id
      LEFT JOIN users h ON h.id = tickets.handler_id
      WHERE (${cond})${after}
      ORDER BY tickets.received_at ${dir}, tickets.id ${dir}
      LIMIT ${limit}`;
};

/** The tickets behind one number of the today board, exactly those counted. */
export async function todayTickets(
  db: Db,
  actor: Actor,
  now: Date,
  q: TodayDrill & { limit: number },
): Promise<TodayTickets> {
  checkTodayDrill(q);
  const d = await dayOf(db, now);
  const cond = figureCondition(q, d, actor);
  const [c] = rowsOf<{ n: number | string }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM tickets WHERE ${cond}`),
  );
  let count = Number(c?.n ?? 0);
  let withoutTicket = 0;
  if (q.figure === 'csat') {
    // The figure counts answers: one per ticket, plus those about no ticket.
    const [a] = rowsOf<{ n: number | string; orphan: number | string }>(
      await db.execute(sql`SELECT count(*)::int AS n,
          count(*) FILTER (WHERE survey_responses.ticket_id IS NULL)::int AS orphan
        FROM survey_responses WHERE ${answeredToday(d)}`),
    );
    count = Number(a?.n ?? 0);
    withoutTicket = Number(a?.orphan ?? 0);
  }
  const rows = rowsOf<TicketRow>(await db.execute(selectToday(q, cond, sql``, q.limit)));
  return {
    figure: q.figure,
    date: d.date,
    at: d.at,
    count,
    withoutTicket,
    tickets: rows.map(presentTicket),
  };
}

/**
 * Every ticket behind a number of the today board, in batches (bounded memory), for the export
 * (GET /reports/today/export). The figure's condition is fixed at `now`, so the list is the
 * board's at that instant; batches are keyset pages (short queries on either engine: the
 * embedded one has a single connection, which a cursor held for a whole download would block).
 * Validates before the first batch is asked for (`prepare`), so errors come before any byte.
 */
export async function todayTicketBatches(
  db: Db,
  actor: Actor,
  now: Date,
  q: TodayDrill,
  batch = 1000,
): Promise<AsyncIterable<DrillTicket[]>> {
  checkTodayDrill(q);
  const d = await dayOf(db, now);
  const cond = figureCondition(q, d, actor);
  const cmp = ascending(q) ? sql`>` : sql`<`;
  return (async function* () {
    let after = sql``;
    for (;;) {
      const rows = rowsOf<TicketRow & { received_key: string }>(
        await db.execute(selectToday(q, cond, after, batch)),
      );
      if (rows.length === 0) return;
      yield rows.map(presentTicket);
      if (rows.length < batch) return;
      // The instant as the database wrote it (microseconds: a JS Date would round them off).
      const last = rows[rows.length - 1]!;
      after = sql` AND (tickets.received_at, tickets.id) ${cmp} (${last.received_key}::timestamptz, ${last.id}::uuid)`;
    }
  })();
}
