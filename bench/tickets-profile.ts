/**
 * Where the time of one ticket creation and one queue page goes, statement by statement:
 *   DATABASE_URL=… node --import tsx bench/tickets-profile.ts      (or PGlite without it)
 * Every statement sent through `pg` (or PGlite) is timed in-process; the figures are the mean
 * of N sequential requests after a warm-up, so lock waits are absent and what is left is work.
 * Not a `.bench.ts` file: it measures nothing with a goal, it explains the figures of
 * tickets-create and tickets-queues (docs/benchmarks.md).
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { generateTickets } from './generate/tickets.js';
import { openBenchDatabase, signInApi } from './lib.js';
import { profileStatements } from './statement-profile.js';

const N = Number(process.env.PROFILE_RUNS ?? 30);

const { database, close } = await openBenchDatabase();
try {
  const { db } = database;
  const now = systemClock.now();
  await seedDemo(db, now);
  const [agent] = rowsOf<{ id: string; team_id: string }>(
    await db.execute(sql`SELECT u.id, tm.team_id FROM users u
      JOIN team_members tm ON tm.user_id = u.id WHERE u.email = 'agent@kefu.demo'`),
  );
  await generateTickets(database, {
    count: 5000,
    now,
    headAgent: { id: agent!.id, teamId: agent!.team_id },
  });
  const [customer] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM customers ORDER BY created_at LIMIT 1`),
  );
  const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { cookie, csrf } = await signInApi(base, 'agent@kefu.demo');
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const body = JSON.stringify({
      channel: process.env.PROFILE_CHANNEL ?? 'chat',
      category: process.env.PROFILE_CATEGORY ?? 'product_use',
      priority: 'important',
      subject: '路由器频繁掉线，重启后仍无法上网',
      description: '客户在线反映家中路由器每隔十分钟掉线一次。',
      customerId: customer!.id,
    });
    const create = async () => {
      const res = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers, body });
      if (res.status !== 201) throw new Error(`create ${res.status}: ${await res.text()}`);
    };
    const list = async () => {
      const res = await fetch(`${base}/api/v1/tickets?queue=mine&sort=due_asc&limit=50`, {
        headers: { cookie },
      });
      if (res.status !== 200) throw new Error(`list ${res.status}`);
      await res.arrayBuffer();
    };
    for (const [name, fn] of [
      ['POST /api/v1/tickets', create],
      ['GET /api/v1/tickets?queue=mine&sort=due_asc', list],
    ] as const) {
      for (let i = 0; i < 5; i++) await fn();
      await profileStatements(`${name} (${database.engine})`, 'a request', N, async () => {
        for (let i = 0; i < N; i++) await fn();
      });
    }
  } finally {
    await app.close();
  }
} finally {
  await close();
}
