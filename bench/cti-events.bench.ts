import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { callSettings } from '../server/src/db/schema/index.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { signBody } from '../server/src/modules/calls/rules/signature.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

/**
 * CTI events per second through the signed webhook (`POST /api/v1/cti/sim/events`: signature
 * check, event stored once, the call re-folded from all its events, screen-pop notification,
 * audit) — every event a new one: each call rings, is answered and ends (a third of the calls
 * missed instead, which opens a call-back task). Baseline in the same run, same client: a bare
 * Fastify route that parses the JSON and answers. CONNECTIONS loops post for SECONDS each.
 */
const CONNECTIONS = 10;
const SECONDS = 10;
const SECRET = 'bench-secret-0123456789abcdef';

async function drive(url: string, signed: boolean) {
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const loop = async (c: number) => {
    let n = 0;
    while (performance.now() < until) {
      const callId = `bench-${c}-${n++}-${randomUUID().slice(0, 8)}`;
      const kinds = n % 3 === 0 ? ['ringing', 'missed'] : ['ringing', 'answered', 'ended'];
      const t0 = Date.now() - 60_000;
      for (const [k, type] of kinds.entries()) {
        const body = JSON.stringify({
          eventId: randomUUID(),
          callId,
          type,
          occurredAt: new Date(t0 + k * 5000).toISOString(),
          callerNumber: `1380013${String(n % 10000).padStart(4, '0')}`,
          agent: 'agent@kefu.demo',
          queue: 'hotline',
        });
        const ts = String(Math.floor(Date.now() / 1000));
        const s = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(signed && {
              'x-kefu-timestamp': ts,
              'x-kefu-signature': signBody(SECRET, ts, body),
            }),
          },
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        if (res.status === 200) ok += 1;
        else failed += 1;
      }
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => loop(c)));
  const secs = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSec: ok / secs,
    p95: latencies[Math.floor(latencies.length * 0.95)] ?? NaN,
    failed,
  };
}

export default async function ctiEventsBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  const engine = database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  // The demo workspace: agent@kefu.demo exists, so ringing events pop a screen for them.
  await seedDemo(database.db, systemClock.now());
  const config = { ...testConfig(), KEFU_PUBLIC_RATE_PER_MINUTE: 1_000_000 };
  const app = await buildApp({ database, clock: systemClock, config, logger: false });
  const bare = Fastify();
  bare.post('/bare', async (req) => ({
    data: { echoed: (req.body as { callId: string }).callId },
  }));
  try {
    await database.db
      .update(callSettings)
      .set({ providers: [{ key: 'sim', name: 'bench', secret: SECRET }] });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
    await drive(`${bareBase}/bare`, false); // warm-up
    const bareRun = await drive(`${bareBase}/bare`, false);
    const run = await drive(`${base}/api/v1/cti/sim/events`, true);
    const failed = run.failed ? { invalid: `${run.failed} events refused` } : {};
    const name = 'cti-events';
    return [
      { name, metric: 'bare route req/s (same client)', value: bareRun.perSec, unit: 'req/s' },
      {
        name,
        metric: `signed webhook events/s (${engine}, ${CONNECTIONS} connections)`,
        value: run.perSec,
        unit: 'events/s',
        ...failed,
      },
      { name, metric: `webhook p95 (${engine})`, value: run.p95, unit: 'ms', ...failed },
      { name, metric: 'bare route p95', value: bareRun.p95, unit: 'ms' },
      {
        name,
        metric: `webhook ÷ bare (${engine})`,
        value: run.perSec / bareRun.perSec,
        unit: 'ratio',
      },
    ];
  } finally {
    await bare.close();
    await app.close();
    await close();
  }
}
