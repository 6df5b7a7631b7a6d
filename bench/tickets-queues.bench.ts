import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Actor } from '../server/src/access/actor.js';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf, type Database } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { listTickets } from '../server/src/modules/tickets/queries.js';
import { listTicketsQuery } from '../server/src/modules/tickets/schemas.js';
import { generateTickets } from './generate/tickets.js';
import { openBenchDatabase, type BenchResult, signInApi } from './lib.js';

/** Measured requests per query (after WARMUP), one at a time, API and bare interleaved. */
const RUNS = 200;
const WARMUP = 20;
const RSS_GOAL_MB = 512;

/**
 * The agent's three queue queries at `BENCH_TICKETS` tickets (default 1,000,000; `BENCH_QUEUES`
 * = a comma-separated subset of mine, team, search): through the
 * API (a listening server, real HTTP, session cookie, the whole stack including presenting the
 * page and the audit of the read) against the very SQL `listTickets` issues, run bare on the same
 * database. p50/p95 of each, the ratio of the p95s (goal ≤ 2), and the process RSS while the
 * server answers (goal ≤ 512 MB; the server, the bench and — on PGlite — the database share it).
 */
export default async function ticketsQueuesBench(): Promise<BenchResult[]> {
  const count = Number(process.env.BENCH_TICKETS ?? 1_000_000);
  const { database, close } = await openBenchDatabase();
  try {
    return await measure(database, count);
  } finally {
    await close();
  }
}

interface Query {
  key: string;
  label: string;
  query: string;
}

const QUERIES: Query[] = [
  { key: 'mine', label: 'my open tickets by due date', query: 'queue=mine&sort=due_asc' },
  {
    key: 'team',
    label: 'team queue, category + status',
    query: 'queue=team&category=consultation&status=new,in_progress&sort=due_asc',
  },
  { key: 'search', label: 'text search "退款"', query: `q=${encodeURIComponent('退款')}` },
];

async function measure(database: Database, count: number): Promise<BenchResult[]> {
  const { db } = database;
  const engine = database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const now = systemClock.now();
  // A kept database (BENCH_DATABASE) that already holds the tickets is not seeded again.
  const [have] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM tickets`),
  );
  const reuse = have!.n >= count;
  if (!reuse) await seedDemo(db, now);
  const [agent] = rowsOf<{ id: string; name: string; team_id: string }>(
    await db.execute(sql`SELECT u.id, u.name, tm.team_id FROM users u
      JOIN team_members tm ON tm.user_id = u.id WHERE u.email = 'agent@kefu.demo'`),
  );
  const results: BenchResult[] = [];
  if (reuse) console.error(`tickets-queues: engine ${engine}; reusing ${have!.n} tickets`);
  else {
    console.error(`tickets-queues: engine ${engine}; generating ${count} tickets`);
    const gen = await generateTickets(database, {
      count,
      now,
      headAgent: { id: agent!.id, teamId: agent!.team_id },
      log: (l) => console.error(`  ${l}`),
    });
    console.error(
      `  loaded in ${(gen.ms / 1000).toFixed(1)} s: ${Math.round(gen.rowsPerSec)} rows/s, ${gen.clocks} clocks`,
    );
    results.push({
      name: 'tickets-queues',
      metric: `load ${count} tickets + customers + clocks (${engine})`,
      value: gen.rowsPerSec,
      unit: 'rows/s',
    });
  }

  const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { cookie } = await signInApi(base, 'agent@kefu.demo');
    const actor: Actor = {
      userId: agent!.id,
      name: agent!.name,
      email: 'agent@kefu.demo',
      roles: ['agent'],
      teamIds: [agent!.team_id],
      via: 'session',
      principalKey: 'bench',
    };
    const bare = bareRunner(database);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    let failed = 0;
    // BENCH_QUEUES=mine,team runs only those (the search takes minutes at 100k on PostgreSQL).
    const only = process.env.BENCH_QUEUES?.split(',');
    for (const q of QUERIES.filter((x) => !only || only.includes(x.key))) {
      const url = `${base}/api/v1/tickets?${q.query}&limit=50`;
      const parsed = listTicketsQuery.parse(Object.fromEntries(new URLSearchParams(q.query)));
      const { sql: text, params } = listTickets(db, actor, { ...parsed, limit: 50 }).toSQL();
      const api = async () => {
        const res = await fetch(url, { headers: { cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      };
      const raw = () => bare(text, params);
      if (process.env.BENCH_EXPLAIN) {
        const plan = await explain(database, text, params);
        console.error(`  EXPLAIN ${q.key}:\n${plan}`);
      }
      let rows = 0;
      for (let i = 0; i < WARMUP; i++) {
        await api();
        rows = await raw();
      }
      const apiMs: number[] = [];
      const bareMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        apiMs.push(await timed(api));
        bareMs.push(await timed(raw));
      }
      const a = { p50: pct(apiMs, 50), p95: pct(apiMs, 95) };
      const b = { p50: pct(bareMs, 50), p95: pct(bareMs, 95) };
      console.error(
        `  ${q.key}: ${rows} rows; API p50 ${a.p50.toFixed(1)} p95 ${a.p95.toFixed(1)} ms; ` +
          `bare p50 ${b.p50.toFixed(1)} p95 ${b.p95.toFixed(1)} ms`,
      );
      const row = (metric: string, value: number, unit: string): BenchResult => ({
        name: 'tickets-queues',
        metric: `${q.key}: ${metric}`,
        value,
        unit,
      });
      results.push(
        row(`bare SQL p50 (${engine})`, b.p50, 'ms'),
        row(`bare SQL p95 (${engine})`, b.p95, 'ms'),
        row(`API p50 (${engine})`, a.p50, 'ms'),
        row(`API p95 (${engine})`, a.p95, 'ms'),
        {
          ...row(`API p95 ÷ bare p95 — ${q.label}`, a.p95 / b.p95, 'ratio'),
          goal: { atMost: 2 },
          ...(failed ? { invalid: `${failed} failed requests` } : {}),
        },
      );
    }
    clearInterval(sampler);
    results.push({
      name: 'tickets-queues',
      metric: `peak RSS while serving (${engine}, one process)`,
      value: peakRss / 1024 / 1024,
      unit: 'MB',
      goal: { atMost: RSS_GOAL_MB },
    });
    return results;
  } finally {
    await app.close();
  }
}

/** The same SQL and parameters straight on the driver: no HTTP, no Fastify, no presenting. */
function bareRunner(database: Database): (text: string, params: unknown[]) => Promise<number> {
  // Both drivers keep their client on drizzle's `$client` (not in the shared Db type).
  const client = (database.db as unknown as { $client: pg.Pool | PGlite }).$client;
  if (database.engine === 'postgres') {
    const pool = client as pg.Pool;
    return async (text, params) => (await pool.query(text, params)).rows.length;
  }
  const lite = client as PGlite;
  return async (text, params) => (await lite.query(text, params)).rows.length;
}

/** `BENCH_EXPLAIN=1`: the plan of each bare query, with timings and buffers. */
async function explain(database: Database, text: string, params: unknown[]): Promise<string> {
  const client = (database.db as unknown as { $client: pg.Pool | PGlite }).$client;
  const statement = `EXPLAIN (ANALYZE, BUFFERS) ${text}`;
  const rows =
    database.engine === 'postgres'
      ? (await (client as pg.Pool).query(statement, params)).rows
      : (await (client as PGlite).query(statement, params)).rows;
  return (rows as Record<string, string>[]).map((r) => `    ${r['QUERY PLAN']}`).join('\n');
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function pct(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
