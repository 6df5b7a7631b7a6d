import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { DEMO_PASSWORD, seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { load, openBenchDatabase, type BenchResult, type LoadResult } from './lib.js';

/**
 * Authenticated `GET /api/v1/me` (session lookup, user query, full plugin stack) against a bare
 * Fastify route answering the same JSON, both driven identically. The ratio says how much of
 * Fastify's raw throughput survives our per-request work; goal ≥ 0.5.
 */
export default async function meBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  try {
    await seedDemo(database.db, systemClock.now());
    const app = await buildApp({
      database,
      clock: systemClock,
      config: testConfig(),
      logger: false,
    });
    const bare = Fastify();
    try {
      return await measure(app, bare, database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL');
    } finally {
      await bare.close();
      await app.close();
    }
  } finally {
    await close();
  }
}

async function measure(
  app: FastifyInstance,
  bare: FastifyInstance,
  engine: string,
): Promise<BenchResult[]> {
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const cookie = await signIn(base);

  // Check once by hand that the cookie works, and keep the body for the bare route to answer.
  const first = await fetch(`${base}/api/v1/me`, { headers: { cookie } });
  if (first.status !== 200) throw new Error(`GET /api/v1/me answered ${first.status}`);
  const body: unknown = await first.json();
  bare.get('/bare', async () => body);
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

  console.error(`me: engine ${engine}; bare route, then /api/v1/me`);
  const bareRun = await load({ url: `${bareBase}/bare` });
  const meRun = await load({ url: `${base}/api/v1/me`, headers: { cookie } });

  const row = (metric: string, value: number, unit: string, run?: LoadResult): BenchResult => ({
    name: 'me',
    metric,
    value,
    unit,
    ...(run?.failed ? { invalid: `${run.failed} failed requests` } : {}),
  });
  const failed = meRun.failed + bareRun.failed;
  return [
    row('bare req/s', bareRun.reqPerSec, 'req/s', bareRun),
    row('bare p50', bareRun.p50Ms, 'ms'),
    row('bare p99', bareRun.p99Ms, 'ms'),
    row(`/me req/s (${engine})`, meRun.reqPerSec, 'req/s', meRun),
    row(`/me p50 (${engine})`, meRun.p50Ms, 'ms'),
    row(`/me p99 (${engine})`, meRun.p99Ms, 'ms'),
    {
      ...row(`/me ÷ bare (${engine})`, meRun.reqPerSec / bareRun.reqPerSec, 'ratio'),
      goal: { atLeast: 0.5 },
      ...(failed ? { invalid: `${failed} failed requests` } : {}),
    },
  ];
}

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'agent@kefu.demo', password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!session) throw new Error('sign-in set no kefu_session cookie');
  return session.split(';')[0]!;
}
