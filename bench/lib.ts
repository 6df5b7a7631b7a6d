import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { DEMO_PASSWORD } from '../server/src/demo/seed.js';

/** One row of the final table. A bench file returns several (raw figures, then the ratio). */
export interface BenchResult {
  /** The bench it belongs to, e.g. `me`. */
  name: string;
  metric: string;
  value: number;
  unit: string;
  /** Only rows that are judged carry a goal. */
  goal?: { atLeast: number } | { atMost: number };
  /** Set when the measurement cannot be trusted (errors, non-2xx answers, …). */
  invalid?: string;
}

/** What every `bench/*.bench.ts` file exports as default. */
export type Bench = () => Promise<BenchResult[]>;

export function goalMet(r: BenchResult): boolean | undefined {
  if (!r.goal) return undefined;
  return 'atLeast' in r.goal ? r.value >= r.goal.atLeast : r.value <= r.goal.atMost;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections?: number;
  seconds?: number;
  warmupSeconds?: number;
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests that did not end in a 2xx: non-2xx answers, connection errors and timeouts. */
  failed: number;
}

/**
 * Drives `url` with autocannon: a discarded warm-up run (JIT, connection pools, caches), then
 * the measured run. The load generator runs in a worker thread so it does not share the event
 * loop with the servers under test, which live in this process.
 */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const { connections = 10, seconds = 5, warmupSeconds = 1 } = opts;
  const run = (duration: number) =>
    autocannon({ url: opts.url, headers: opts.headers, connections, duration, workers: 1 });
  const warm = await run(warmupSeconds);
  const r = await run(seconds);
  return {
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    failed: warm.non2xx + warm.errors + r.non2xx + r.errors + r.timeouts,
  };
}

/**
 * A migrated database on the engine the server would use: PGlite in memory, or — when
 * DATABASE_URL is set — a throwaway database on that server, so seeding always starts empty
 * and the named database is left untouched. `close` drops it again — unless `BENCH_DATABASE`
 * names a database to keep and reuse.
 */
export async function openBenchDatabase(): Promise<{ database: Database; close(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return { database, close: () => database.close() };
  }
  // BENCH_DATABASE=<name>: that database is kept (created when missing, migrated, never
  // dropped), so a bench that seeds a million rows can skip the seeding on the next run.
  const kept = process.env.BENCH_DATABASE;
  if (kept && !/^[a-z_][a-z0-9_]*$/.test(kept)) throw new Error(`BENCH_DATABASE: bad name ${kept}`);
  const name = kept ?? `kefu_bench_${randomBytes(6).toString('hex')}`;
  if (kept) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!exists.rowCount) await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
  } else await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  await migrate(database);
  if (kept) return { database, close: () => database.close() };
  return {
    database,
    async close() {
      await database.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Signs a demo user in through the real API: the session cookie (`kefu_session=…`) and the CSRF
 * token that writes need. Throws unless the sign-in answered 200.
 */
export async function signInApi(
  base: string,
  email: string,
): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  const csrf = ((await res.json()) as { data: { csrfToken: string } }).data.csrfToken;
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('kefu_session='))!
    .split(';')[0]!;
  return { cookie, csrf };
}
