/**
 * Where the time of one ticket creation and one queue page goes, statement by statement:
 *   DATABASE_URL=… node --import tsx bench/tickets-profile.ts      (or PGlite without it)
 * Every statement sent through `pg` (or PGlite) is timed in-process; the figures are the mean
 * of N sequential requests after a warm-up, so lock waits are absent and what is left is work.
 * Not a `.bench.ts` file: it measures nothing with a goal, it explains the figures of
 * tickets-create and tickets-queues (docs/benchmarks.md).
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf } from '../server/src/db/client.js';
import { DEMO_PASSWORD, seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { generateTickets } from './generate/tickets.js';
import { openBenchDatabase } from './lib.js';

const N = Number(process.env.PROFILE_RUNS ?? 30);

interface Stat {
  count: number;
  ms: number;
}
let log: Map<string, Stat> | null = null;
const shorten = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 110);
function note(text: string, ms: number) {
  if (!log) return;
  const key = shorten(text);
  const s = log.get(key) ?? { count: 0, ms: 0 };
  s.count++;
  s.ms += ms;
  log.set(key, s);
}

// Time every statement on both drivers (pg: the client under the pool and transactions).
type QueryFn = (this: unknown, ...args: unknown[]) => unknown;
function wrap(proto: { query: QueryFn }) {
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
    const t0 = performance.now();
    // pg.Pool#query hands its client a callback and gets no promise back.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (...r: unknown[]) => unknown;
      args[last] = (...r: unknown[]) => {
        note(text, performance.now() - t0);
        return cb(...r);
      };
      return original.apply(this, args);
    }
    const out = original.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function')
      void (out as Promise<unknown>).then(
        () => note(text, performance.now() - t0),
        () => note(text, performance.now() - t0),
      );
    return out;
  };
}
wrap(pg.Client.prototype as unknown as { query: QueryFn });
wrap(PGlite.prototype as unknown as { query: QueryFn });

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
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@kefu.demo', password: DEMO_PASSWORD }),
    });
    const csrf = ((await signIn.json()) as { data: { csrfToken: string } }).data.csrfToken;
    const cookie = signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('kefu_session='))!
      .split(';')[0]!;
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
      log = new Map();
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await fn();
      const wall = (performance.now() - t0) / N;
      await new Promise((r) => setTimeout(r, 50));
      const stats = [...log.entries()].sort((a, b) => b[1].ms - a[1].ms);
      log = null;
      const perReq = stats.reduce((n, [, s]) => n + s.count, 0) / N;
      const dbMs = stats.reduce((n, [, s]) => n + s.ms, 0) / N;
      console.log(
        `\n${name} (${database.engine}): ${wall.toFixed(1)} ms a request, ` +
          `${perReq.toFixed(1)} statements, ${dbMs.toFixed(1)} ms in them`,
      );
      for (const [text, s] of stats)
        console.log(
          `  ${(s.count / N).toFixed(1).padStart(4)} × ${(s.ms / s.count).toFixed(2).padStart(6)} ms  ${text}`,
        );
    }
  } finally {
    await app.close();
  }
} finally {
  await close();
}
