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

    console.error('tickets-create: engine PostgreSQL; raw INSERT, then POST /api/v1/tickets');
    const raw = await rawInserts(database, agent!.id, customer!.id);
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
    ];
  } finally {
    await app.close();
  }
}

/**
 * Rows per second of `INSERT INTO tickets … VALUES (…)`, one row per statement, autocommit, from
 * 10 pooled connections at once for SECONDS after a 1 s warm-up: the floor of what any creation
 * path must do (same table, same indexes and constraints, nothing else).
 */
async function rawInserts(database: Database, userId: string, customerId: string) {
  // Both drivers keep their client on drizzle's `$client` (not in the shared Db type).
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
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
  const drive = async (ms: number) => {
    let n = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          await insert();
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
