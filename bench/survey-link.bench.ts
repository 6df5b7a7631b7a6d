import { isNull } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { surveyInvitations } from '../server/src/db/schema/index.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { mintToken } from '../server/src/modules/surveys/delivery.js';
import { load, openBenchDatabase, type BenchResult } from './lib.js';

/**
 * The customer's survey link: `GET /api/v1/public/surveys/:token` (token hash lookup, invitation,
 * pinned template version, no session) — what the phone page fetches before it can show the
 * questions — against a bare Fastify route answering the same JSON. Goal: p95 ≤ 50 ms; the load
 * tool reports p99, which is stricter, so the goal is judged on p99.
 */
export default async function surveyLinkBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  try {
    await seedDemo(database.db, systemClock.now());
    const [open] = await database.db
      .select({ id: surveyInvitations.id })
      .from(surveyInvitations)
      .where(isNull(surveyInvitations.answeredAt))
      .limit(1);
    if (!open) throw new Error('the demo seeded no unanswered survey invitation');
    const token = await mintToken(database.db, open.id, 'link', systemClock.now());
    const app = await buildApp({
      database,
      clock: systemClock,
      // Every visitor of the load comes from one address: the per-address limit (10,000 a
      // minute in tests) would answer 429 once the route is faster than ≈ 1,000 req/s.
      config: { ...testConfig(), KEFU_PUBLIC_RATE_PER_MINUTE: 1_000_000 },
      logger: false,
    });
    const bare = Fastify();
    try {
      return await measure(
        app,
        bare,
        token,
        database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL',
      );
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
  token: string,
  engine: string,
): Promise<BenchResult[]> {
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `${base}/api/v1/public/surveys/${token}`;
  const first = await fetch(url);
  if (first.status !== 200) throw new Error(`the survey link answered ${first.status}`);
  const body: unknown = await first.json();
  bare.get('/bare', async () => body);
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

  const bareRun = await load({ url: `${bareBase}/bare`, connections: 10 });
  const run = await load({ url, connections: 10 });
  const failed = run.failed ? { invalid: `${run.failed} failed requests` } : {};
  return [
    { name: 'survey-link', metric: 'bare p99', value: bareRun.p99Ms, unit: 'ms' },
    {
      name: 'survey-link',
      metric: `survey link req/s (${engine})`,
      value: run.reqPerSec,
      unit: 'req/s',
      ...failed,
    },
    { name: 'survey-link', metric: `survey link p50 (${engine})`, value: run.p50Ms, unit: 'ms' },
    {
      name: 'survey-link',
      metric: `survey link p99 (${engine}; goal is p95)`,
      value: run.p99Ms,
      unit: 'ms',
      goal: { atMost: 50 },
      ...failed,
    },
    {
      name: 'survey-link',
      metric: `survey link ÷ bare req/s (${engine})`,
      value: run.reqPerSec / bareRun.reqPerSec,
      unit: 'ratio',
    },
  ];
}
