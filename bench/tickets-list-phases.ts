/**
 * Where the time of one queue page goes, phase by phase, through a listening server:
 *   DATABASE_URL=… BENCH_DATABASE=<kept db> node --import tsx bench/tickets-list-phases.ts
 * (PGlite without DATABASE_URL.) A kept database that holds tickets is used as it is; otherwise
 * the demo and 5,000 generated tickets are seeded. Phases come from Node's own diagnostics
 * channels (http server, Fastify's handler tracing): before the handler (routing, hooks, session,
 * query validation), the handler (SQL, presenting, the read's audit), serialising and sending,
 * and what the client sees beyond the server (HTTP, fetch). Then the statements of a request
 * (statement-profile.ts). Explains tickets-queues (docs/benchmarks.md); no goal of its own.
 */
import diagnostics from 'node:diagnostics_channel';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { generateTickets } from './generate/tickets.js';
import { openBenchDatabase, signInApi } from './lib.js';
import { profileStatements } from './statement-profile.js';

const N = Number(process.env.PROFILE_RUNS ?? 200);
const QUERY = process.env.PROFILE_QUERY ?? 'queue=mine&sort=due_asc';

interface Marks {
  start: number;
  handler?: number;
  handled?: number;
  sent?: number;
  finish?: number;
}
const marks = new Map<object, Marks>();
let current: Marks | null = null;
diagnostics.subscribe('http.server.request.start', (msg) => {
  const m: Marks = { start: performance.now() };
  marks.set((msg as { response: object }).response, m);
  current = m;
});
diagnostics.subscribe('http.server.response.finish', (msg) => {
  const m = marks.get((msg as { response: object }).response);
  if (m) m.finish = performance.now();
});
const handler = diagnostics.tracingChannel('fastify.request.handler');
handler.subscribe({
  start: () => void (current && (current.handler = performance.now())),
  end: () => {},
  asyncStart: () => void (current && (current.handled = performance.now())),
  asyncEnd: () => void (current && (current.sent = performance.now())),
  error: () => {},
});

const { database, close } = await openBenchDatabase();
try {
  const { db } = database;
  const now = systemClock.now();
  const [have] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM tickets`),
  );
  if (have!.n === 0) {
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
  }
  const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { cookie } = await signInApi(base, 'agent@kefu.demo');
    const client: number[] = [];
    const list = async (keep: boolean) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/tickets?${QUERY}&limit=50`, { headers: { cookie } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`list ${res.status}`);
      if (keep) client.push(performance.now() - t0);
    };
    for (let i = 0; i < 20; i++) await list(false);
    marks.clear();
    for (let i = 0; i < N; i++) await list(true);
    const done = [...marks.values()].filter((m) => m.finish && m.handler && m.handled && m.sent);
    const phase = (name: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      console.log(
        `  ${name.padEnd(44)} mean ${mean.toFixed(2).padStart(6)}  p50 ${at(50).toFixed(2).padStart(6)}  p95 ${at(95).toFixed(2).padStart(6)} ms`,
      );
      return mean;
    };
    console.log(`\nGET /api/v1/tickets?${QUERY} (${database.engine}, ${done.length} requests)`);
    phase(
      'before the handler (routing, hooks, query)',
      done.map((m) => m.handler! - m.start),
    );
    phase(
      'handler (SQL, presenting, audit)',
      done.map((m) => m.handled! - m.handler!),
    );
    phase(
      'serialise + send',
      done.map((m) => m.sent! - m.handled!),
    );
    phase(
      'after send to finish',
      done.map((m) => m.finish! - m.sent!),
    );
    phase(
      'server total',
      done.map((m) => m.finish! - m.start),
    );
    phase('client (fetch, whole answer read)', client);
    await profileStatements(`statements (${database.engine})`, 'a request', 50, async () => {
      for (let i = 0; i < 50; i++) await list(false);
    });
    // PROFILE_CONCURRENCY=n: n clients at once (the read audits' group commit shows here).
    const clients = Number(process.env.PROFILE_CONCURRENCY ?? 0);
    if (clients > 1) {
      const each = Math.ceil(N / clients);
      client.length = 0;
      const t0 = performance.now();
      await profileStatements(
        `${clients} concurrent clients (${database.engine})`,
        'a request',
        each * clients,
        async () => {
          await Promise.all(
            Array.from({ length: clients }, async () => {
              for (let i = 0; i < each; i++) await list(true);
            }),
          );
        },
      );
      const secs = (performance.now() - t0) / 1000;
      phase(`client, ${clients} at once`, client);
      console.log(`  ${((each * clients) / secs).toFixed(0)} requests/s`);
    }
  } finally {
    await app.close();
  }
} finally {
  await close();
}
