import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf, type Database } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { generateTickets } from './generate/tickets.js';
import { openBenchDatabase, type BenchResult, signInApi } from './lib.js';

const CONNECTIONS = 10;
const SECONDS = 5;
/** Tickets already there, so both sides write into a table with real indexes of real size. */
const PRELOAD = Number(process.env.BENCH_TICKETS_CREATE_PRELOAD ?? 20_000);

/**
 * Ticket creation through the whole API (session, CSRF, validation, number, ticket row, timeline,
 * SLA clocks and timers, audit, presenting the answer) against a raw single-row INSERT into the
 * same table with `pg`, each driven by 10 concurrent clients for 5 s after a warm-up, in one run
 * on PostgreSQL. Goal: API ÷ raw ≥ 0.4. PGlite has one connection and no `pg` driver: SKIPPED.
 */
export default async function ticketsCreateBench(): Promise<BenchResult[]> {
  if (!process.env.DATABASE_URL) {
    console.error('tickets-create: SKIPPED on PGlite (needs DATABASE_URL: PostgreSQL only)');
    return [
      { name: 'tickets-create', metric: 'SKIPPED on PGlite (PostgreSQL only)', value: 0, unit: '' },
    ];
  }
  const { database, close } = await openBenchDatabase();
  try {
    return await measure(database);
  } finally {
    await close();
  }
}

async function measure(database: Database): Promise<BenchResult[]> {
  const { db } = database;
  const now = systemClock.now();
  await seedDemo(db, now);
  const [agent] = rowsOf<{ id: string; team_id: string }>(
    await db.execute(sql`SELECT u.id, tm.team_id FROM users u
      JOIN team_members tm ON tm.user_id = u.id WHERE u.email = 'agent@kefu.demo'`),
  );
  await generateTickets(database, {
    count: PRELOAD,
    now,
    headAgent: { id: agent!.id, teamId: agent!.team_id },
  });
  const [customer] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM customers ORDER BY created_at LIMIT 1`),
  );

  const app = await buildApp({
    database,
    clock: systemClock,
    // No per-user write limit in the way of a load test.
    config: testConfig(),
    logger: false,
  });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { cookie, csrf } = await signInApi(base, 'agent@kefu.demo');
    const body = JSON.stringify({
      channel: 'chat',
      category: 'product_use',
      priority: 'important',
      subject: '路由器频繁掉线，重启后仍无法上网',
      description:
        '客户在线反映家中路由器每隔十分钟掉线一次，已按手册重启并恢复出厂设置，问题依旧。',
      customerId: customer!.id,
    });
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const first = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers, body });
    if (first.status !== 201)
      throw new Error(`create answered ${first.status}: ${await first.text()}`);

    const template = ((await first.json()) as { data: { id: string } }).data.id;
    console.error(
      'tickets-create: engine PostgreSQL; raw INSERT, raw rows of a registration, then POST /api/v1/tickets',
    );
    const raw = await rawInserts(database, agent!.id, customer!.id);
    const rawRegistrations = await rawRegistrationRows(database, template);
    const run = (duration: number) =>
      autocannon({
        url: `${base}/api/v1/tickets`,
        method: 'POST',
        headers,
        body,
        connections: CONNECTIONS,
        duration,
        workers: 1,
      });
    const warm = await run(1);
    const api = await run(SECONDS);
    const failed = warm.non2xx + warm.errors + api.non2xx + api.errors + api.timeouts;
    const invalid = failed ? { invalid: `${failed} failed requests` } : {};
    return [
      {
        name: 'tickets-create',
        metric: 'raw single-row INSERT (pg, 10 clients)',
        value: raw,
        unit: 'rows/s',
      },
      {
        name: 'tickets-create',
        metric: 'POST /api/v1/tickets (10 connections)',
        value: api.requests.average,
        unit: 'req/s',
        ...invalid,
      },
      {
        name: 'tickets-create',
        metric: 'raw rows of a registration, one statement (pg, 10 clients)',
        value: rawRegistrations,
        unit: 'regs/s',
      },
      { name: 'tickets-create', metric: 'API p50', value: api.latency.p50, unit: 'ms' },
      { name: 'tickets-create', metric: 'API p99', value: api.latency.p99, unit: 'ms' },
      {
        name: 'tickets-create',
        metric: 'API ÷ raw INSERT (PostgreSQL)',
        value: api.requests.average / raw,
        unit: 'ratio',
        goal: { atLeast: 0.4 },
        ...invalid,
      },
      {
        // No goal: how much of a creation is the application, over the rows it must write.
        name: 'tickets-create',
        metric: 'API ÷ raw rows of a registration',
        value: api.requests.average / rawRegistrations,
        unit: 'ratio',
        ...invalid,
      },
    ];
  } finally {
    await app.close();
  }
}

/** Both drivers keep their client on drizzle's `$client` (not in the shared Db type). */
const poolOf = (database: Database) => (database.db as unknown as { $client: pg.Pool }).$client;

/** Runs of `op` a second from CONNECTIONS concurrent loops, for SECONDS after a 1 s warm-up. */
async function perSecond(op: () => Promise<unknown>) {
  const drive = async (ms: number) => {
    let n = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          await op();
          n++;
        }
      }),
    );
    return n;
  };
  await drive(1000);
  const t0 = performance.now();
  const n = await drive(SECONDS * 1000);
  return (n / (performance.now() - t0)) * 1000;
}

/** Columns a copy may write: not generated, not an identity that refuses values. */
async function copyableColumns(pool: pg.Pool, table: string, skip: string[]) {
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1
        AND is_generated = 'NEVER' AND coalesce(identity_generation, '') <> 'ALWAYS'
      ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name).filter((c) => !skip.includes(c));
}

/**
 * Registrations per second written as bare SQL: the very rows one API creation wrote (the
 * `template` ticket — its ticket row, SLA clocks and timers, timeline entries and audit rows),
 * copied under new ids by ONE autocommit statement of data-modifying CTEs, from 10 pooled
 * connections for SECONDS after a 1 s warm-up. The floor of a registration that keeps the same
 * records: no checks, no planning in Node, no presenting, one round trip.
 */
async function rawRegistrationRows(database: Database, template: string) {
  const pool = poolOf(database);
  const list = (cols: string[], prefix = '') => cols.map((c) => `${prefix}${c}`).join(', ');
  const ticketCols = await copyableColumns(pool, 'tickets', ['id', 'number']);
  const clockCols = await copyableColumns(pool, 'sla_clocks', ['id', 'ticket_id']);
  const timerCols = await copyableColumns(pool, 'sla_timers', ['id', 'clock_id']);
  const eventCols = await copyableColumns(pool, 'ticket_events', ['id', 'ticket_id']);
  const auditCols = await copyableColumns(pool, 'audit_events', ['target_id']);
  const text = `WITH
    clock_ids AS (SELECT id AS old, gen_random_uuid() AS new FROM sla_clocks WHERE ticket_id = $1),
    t AS (INSERT INTO tickets (id, number, ${list(ticketCols)})
          SELECT $2, $3, ${list(ticketCols)} FROM tickets WHERE id = $1 RETURNING id),
    c AS (INSERT INTO sla_clocks (id, ticket_id, ${list(clockCols)})
          SELECT m.new, $2, ${list(clockCols, 'c.')} FROM sla_clocks c JOIN clock_ids m ON m.old = c.id
          RETURNING id),
    tm AS (INSERT INTO sla_timers (clock_id, ${list(timerCols)})
          SELECT m.new, ${list(timerCols, 's.')} FROM sla_timers s JOIN clock_ids m ON m.old = s.clock_id
          RETURNING clock_id),
    e AS (INSERT INTO ticket_events (id, ticket_id, ${list(eventCols)})
          SELECT gen_random_uuid(), $2, ${list(eventCols)} FROM ticket_events WHERE ticket_id = $1
          ORDER BY seq RETURNING id),
    a AS (INSERT INTO audit_events (target_id, ${list(auditCols)})
          SELECT $2::text, ${list(auditCols)} FROM audit_events WHERE target_id = $1::text
            AND action <> 'ticket.read' RETURNING id)
    SELECT (SELECT count(*) FROM t) AS tickets`;
  const copy = () => pool.query(text, [template, randomUUID(), `RAW-${randomUUID()}`]);
  const { rows } = await pool.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM sla_clocks WHERE ticket_id = $1)
          + (SELECT count(*) FROM ticket_events WHERE ticket_id = $1) AS n`,
    [template],
  );
  if (Number(rows[0]!.n) === 0) throw new Error('template ticket has no clocks or entries');
  return perSecond(copy);
}

/**
 * Rows per second of `INSERT INTO tickets … VALUES (…)`, one row per statement, autocommit, from
 * 10 pooled connections at once for SECONDS after a 1 s warm-up: the floor of what any creation
 * path must do (same table, same indexes and constraints, nothing else).
 */
async function rawInserts(database: Database, userId: string, customerId: string) {
  const pool = poolOf(database);
  const insert = () => {
    const at = new Date().toISOString();
    return pool.query(
      `INSERT INTO tickets (number, channel, category, tier, priority, subject, description,
         customer_id, received_at, registered_at, registered_by, receiving_agent_id, owner_id,
         created_at, updated_at)
       VALUES ($1, 'chat', 'product_use', 'L1', 'important', $2, $3, $4, $5, $5, $6, $6, $6, $5, $5)`,
      [
        `RAW-${randomUUID()}`,
        '路由器频繁掉线，重启后仍无法上网',
        '客户在线反映家中路由器每隔十分钟掉线一次，已按手册重启并恢复出厂设置，问题依旧。',
        customerId,
        at,
        userId,
      ],
    );
  };
  return perSecond(insert);
}
