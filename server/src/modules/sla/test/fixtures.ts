/**
 * Test and bench data for the SLA engine: bare tickets (the columns migration 0002 requires,
 * written with SQL so these tests do not depend on the tickets module's code) and clocks that
 * are due, many at a time.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../../db/client.js';

export interface BareTicketOptions {
  ownerId: string;
  teamId?: string | null;
  handlerId?: string | null;
  receivedAt: Date;
  /** Prefix of the ticket numbers (unique per call by default). */
  prefix?: string;
}

/** Inserts `count` tickets (one customer) and answers their ids in number order. */
export async function insertBareTickets(
  ex: Executor,
  count: number,
  o: BareTicketOptions,
): Promise<string[]> {
  const at = o.receivedAt.toISOString();
  const prefix = o.prefix ?? `SLA-${randomBytes(4).toString('hex')}`;
  const [customer] = rowsOf<{ id: string }>(
    await ex.execute(sql`INSERT INTO customers (name, created_at, updated_at)
      VALUES ('SLA test customer', ${at}::timestamptz, ${at}::timestamptz) RETURNING id`),
  );
  const rows = rowsOf<{ id: string }>(
    await ex.execute(sql`
      INSERT INTO tickets (number, channel, category, tier, priority, subject, customer_id,
        received_at, registered_at, registered_by, receiving_agent_id, owner_id, team_id,
        handler_id, created_at, updated_at)
      SELECT ${prefix} || '-' || lpad(g::text, 6, '0'), 'email', 'consultation', 'L1', 'general',
        'SLA test', ${customer!.id}::uuid, ${at}::timestamptz, ${at}::timestamptz,
        ${o.ownerId}::uuid, ${o.ownerId}::uuid, ${o.ownerId}::uuid, ${o.teamId ?? null}::uuid,
        ${o.handlerId ?? null}::uuid, ${at}::timestamptz, ${at}::timestamptz
      FROM generate_series(1, ${count}::int) AS g
      ORDER BY g
      RETURNING id, number`),
  );
  return rows.map((r) => r.id);
}

export interface DueClockOptions {
  /** Tickets whose number starts with this prefix get one clock each. */
  ticketPrefix?: string;
  ticketIds?: string[];
  startedAt: Date;
  warnAt: Date;
  dueAt: Date;
  /** Already warned at this time (so only the breach is left to fire). */
  warnedAt?: Date;
  kind?: string;
  policyVersion?: number;
  policyKey?: string;
}

/** One running clock per ticket, due (or warning) at the given instants. Answers the count. */
export async function insertRunningClocks(ex: Executor, o: DueClockOptions): Promise<number> {
  const which = o.ticketIds
    ? sql`t.id IN (${sql.join(
        o.ticketIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql`t.number LIKE ${`${o.ticketPrefix}-%`}`;
  const rows = rowsOf<{ n: number | string }>(
    await ex.execute(sql`
      WITH ins AS (
        INSERT INTO sla_clocks (ticket_id, policy_version, policy_key, kind, calendar_id, limit_ms,
          warn_after_ms, pauses, repeats, state, started_at, warn_at, due_at, warned_at,
          created_at, updated_at)
        SELECT t.id, ${o.policyVersion ?? 1}::int, ${o.policyKey ?? 'general'},
          ${o.kind ?? 'resolution'}, NULL, 86400000, 69120000, true, false, 'running',
          ${o.startedAt.toISOString()}::timestamptz, ${o.warnAt.toISOString()}::timestamptz,
          ${o.dueAt.toISOString()}::timestamptz, ${o.warnedAt?.toISOString() ?? null}::timestamptz,
          ${o.startedAt.toISOString()}::timestamptz, ${o.startedAt.toISOString()}::timestamptz
        FROM tickets t WHERE ${which}
        RETURNING id, warn_at, due_at, warned_at
      ), timers AS (
        -- What scheduleTimers writes for a running clock: its warning and its due time.
        INSERT INTO sla_timers (clock_id, kind, fire_at)
        SELECT id, 'breach', due_at FROM ins
        UNION ALL SELECT id, 'warning', warn_at FROM ins WHERE warn_at < due_at AND warned_at IS NULL
      ) SELECT count(*) AS n FROM ins`),
  );
  return Number(rows[0]!.n);
}

/** Events fired per clock (of tickets numbered `ticketPrefix`-…, when given): each should be 1. */
export async function firedPerClock(
  ex: Executor,
  kind: 'warning' | 'breach',
  ticketPrefix?: string,
) {
  const which = ticketPrefix
    ? sql`AND e.ticket_id IN (SELECT id FROM tickets WHERE number LIKE ${`${ticketPrefix}-%`})`
    : sql``;
  const [row] = rowsOf<{ clocks: string | number; events: string | number; max: number | null }>(
    await ex.execute(sql`SELECT count(*) AS clocks, coalesce(sum(n), 0) AS events, max(n) AS max
      FROM (SELECT e.clock_id, count(*) AS n FROM sla_events e
            WHERE e.kind = ${kind} ${which} GROUP BY e.clock_id) per`),
  );
  return {
    clocks: Number(row!.clocks),
    events: Number(row!.events),
    maxPerClock: Number(row!.max ?? 0),
  };
}

/** Clocks whose timers are not what their state says (should be none): see timers.ts. */
export async function timerMismatches(ex: Executor): Promise<unknown[]> {
  return rowsOf(
    await ex.execute(sql`
      SELECT c.id, c.state, c.kind, c.due_at, c.warn_at, c.warned_at,
        array_agg(t.kind || '@' || t.fire_at::text) FILTER (WHERE t.clock_id IS NOT NULL) AS timers
      FROM sla_clocks c LEFT JOIN sla_timers t ON t.clock_id = c.id
      GROUP BY c.id
      HAVING (c.state = 'running') <> bool_or(t.kind = 'breach' AND t.fire_at = c.due_at) IS TRUE
          OR (c.state = 'running' AND c.warned_at IS NULL AND c.warn_at < c.due_at)
             <> bool_or(t.kind = 'warning' AND t.fire_at = c.warn_at) IS TRUE
          OR (c.state <> 'running' AND count(t.clock_id) > 0)`),
  );
}
