import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../server/src/db/client.js';
import { resolveCalendar } from '../server/src/modules/sla/calendar-store.js';
import { startClocks } from '../server/src/modules/sla/clocks.js';
import { currentVersion } from '../server/src/modules/sla/policies.js';
import { matchPolicy, type TicketFacts } from '../server/src/modules/sla/rules/policy.js';
import { planTargets } from '../server/src/modules/sla/rules/plan.js';
import { seedSlaDefaults } from '../server/src/modules/sla/seed.js';
import { sweepDueClocks } from '../server/src/modules/sla/sweep.js';
import {
  firedPerClock,
  insertBareTickets,
  insertRunningClocks,
} from '../server/src/modules/sla/test/fixtures.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

const TIMERS = 100_000;
const BATCH = 5000;
/** Sweepers at once on PostgreSQL (each its own pooled connection); PGlite has one connection. */
const SWEEPERS_PG = 2;
const NOW = new Date('2026-03-10T04:00:00Z');

/**
 * The SLA sweeper over 100,000 due timers (50,000 breaches, 50,000 warnings): wall time to fire
 * them all — each marks its clock, writes its `sla_events` row and one in-app notification to
 * the ticket's owner — then proof that each fired exactly once and none is left. Goal on PostgreSQL: ≤ 2 s. Then the same sweep on a second database where an
 * alert channel listens to breaches (a figure without a goal). Plus the cost of computing every
 * target of a new ticket on the China calendar (pure), and of starting its clocks in the database.
 */
export default async function slaSweepBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const alerting of [false, true]) {
    const { database, close } = await openBenchDatabase();
    try {
      results.push(...(await measure(database, alerting)));
    } finally {
      await close();
    }
  }
  return results;
}

/**
 * `alerting`: one enabled alert channel listens to SLA breaches, so each of the 50,000 breaches
 * also queues an `alert_events` row (migration 0046 queues none when no channel listens — the
 * default install). Printed beside the goal's figure, without a goal of its own.
 */
async function measure(database: Database, alerting: boolean): Promise<BenchResult[]> {
  const { db } = database;
  const engine = database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  await seedSlaDefaults(db, NOW);
  if (alerting)
    await db.execute(sql`INSERT INTO alert_channels (name, event_types, channel_type, url,
        created_at, updated_at)
      VALUES ('bench', ARRAY['sla_breach'], 'webhook', 'https://alerts.example/hook', now(), now())`);
  const [owner] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
      VALUES ('bench@sla.test', '值班客服', '{agent}', now(), now()) RETURNING id`),
  );
  const received = new Date('2026-03-09T01:00:00Z');
  // 100,000 due timers, each firing one event: 50,000 clocks past due (their warning went out
  // earlier), and 50,000 past their warning time but not yet due.
  const half = TIMERS / 2;
  await insertBareTickets(db, half, { ownerId: owner!.id, receivedAt: received, prefix: 'B' });
  await insertBareTickets(db, half, { ownerId: owner!.id, receivedAt: received, prefix: 'W' });
  const seeded =
    (await insertRunningClocks(db, {
      ticketPrefix: 'B',
      startedAt: received,
      warnAt: new Date('2026-03-10T01:00:00Z'),
      warnedAt: new Date('2026-03-10T01:00:05Z'),
      dueAt: new Date('2026-03-10T03:00:00Z'),
    })) +
    (await insertRunningClocks(db, {
      ticketPrefix: 'W',
      startedAt: received,
      warnAt: new Date('2026-03-10T03:00:00Z'),
      dueAt: new Date('2026-03-11T03:00:00Z'),
    }));
  const due = await dueTimerCount(database);
  // Experiments only (docs/benchmarks.md): statements run before the sweep, e.g. a trigger disabled.
  for (const stmt of (process.env.BENCH_SLA_BEFORE_SQL ?? '').split(';').filter((s) => s.trim()))
    await db.execute(sql.raw(stmt));
  await db.execute(sql`ANALYZE`);
  // The timers were written long before they fell due: start from a settled database.
  if (database.engine === 'postgres') await db.execute(sql`CHECKPOINT`).catch(() => undefined);

  const sweepers = database.engine === 'postgres' ? SWEEPERS_PG : 1;
  console.error(
    `sla-sweep: engine ${engine}; ${due} due timers on ${seeded} clocks, ${sweepers} sweeper(s), batch ${BATCH}${alerting ? ', breaches alerting a channel' : ''}`,
  );
  const t0 = performance.now();
  const runs = await Promise.all(
    Array.from({ length: sweepers }, () => sweepDueClocks(db, NOW, BATCH)),
  );
  const sweepMs = performance.now() - t0;
  const fired = runs.reduce((n, r) => n + r.breaches + r.warnings, 0);
  const breaches = await firedPerClock(db, 'breach', 'B');
  const warnings = await firedPerClock(db, 'warning', 'W');
  // One alert queued per breach when a channel listens, none otherwise.
  const [queued] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT count(*) AS n FROM alert_events WHERE event_type = 'sla_breach'`),
  );
  const alerts = Number(queued!.n);
  const exactlyOnce =
    alerts === (alerting ? half : 0) &&
    due === TIMERS &&
    fired === TIMERS &&
    breaches.clocks === half &&
    breaches.events === half &&
    warnings.clocks === half &&
    warnings.events === half &&
    Math.max(breaches.maxPerClock, warnings.maxPerClock) === 1 &&
    (await dueTimerCount(database)) === 0;
  const invalid = exactlyOnce
    ? {}
    : {
        invalid: `due ${due}, fired ${fired}, alerts ${alerts}: breaches ${JSON.stringify(breaches)}, warnings ${JSON.stringify(warnings)}`,
      };
  const twice =
    Math.max(0, breaches.events - breaches.clocks) + Math.max(0, warnings.events - warnings.clocks);

  if (alerting)
    return [
      {
        name: 'sla-sweep',
        metric: `fire 100k due timers, breaches alerting a channel (${engine}, ${sweepers}×${BATCH})`,
        value: sweepMs,
        unit: 'ms',
        ...invalid,
      },
    ];
  const { pureUs, startMs } = await targetCosts(database);
  return [
    {
      name: 'sla-sweep',
      metric: `fire 100k due timers (${engine}, ${sweepers}×${BATCH})`,
      value: sweepMs,
      unit: 'ms',
      ...(database.engine === 'postgres' ? { goal: { atMost: 2000 } } : {}),
      ...invalid,
    },
    {
      name: 'sla-sweep',
      metric: `timers fired per second (${engine})`,
      value: (TIMERS / sweepMs) * 1000,
      unit: '/s',
      ...invalid,
    },
    {
      name: 'sla-sweep',
      metric: 'timers fired more than once',
      value: twice,
      unit: 'timers',
      ...invalid,
    },
    {
      name: 'sla-sweep',
      metric: 'compute all targets of a new ticket (pure)',
      value: pureUs,
      unit: 'µs',
    },
    {
      name: 'sla-sweep',
      metric: `startClocks for a new ticket, in its transaction (${engine})`,
      value: startMs * 1000,
      unit: 'µs',
    },
  ];
}

async function dueTimerCount(database: Database): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await database.db.execute(
      sql`SELECT count(*) AS n FROM sla_timers WHERE fire_at <= ${NOW.toISOString()}::timestamptz`,
    ),
  );
  return Number(row!.n);
}

/** µs per ticket for matching and planning every target; µs per startClocks call (queries too). */
async function targetCosts(database: Database) {
  const { db } = database;
  const version = (await currentVersion(db))!;
  const calendar = await resolveCalendar(db, {});
  const base = Date.parse('2026-01-05T00:00:00+08:00');
  const kinds: Omit<TicketFacts, 'receivedAt'>[] = [
    {
      channel: 'email',
      category: 'complaint',
      tier: 'L3',
      priority: 'general',
      customerTier: 'regular',
    },
    {
      channel: 'chat',
      category: 'after_sales',
      tier: 'L2',
      priority: 'important',
      customerTier: 'vip',
    },
    {
      channel: 'portal',
      category: 'consultation',
      tier: 'L1',
      priority: 'general',
      customerTier: 'regular',
    },
    {
      channel: 'phone',
      category: 'product_use',
      tier: 'L1',
      priority: 'urgent',
      customerTier: 'regular',
    },
  ];
  const facts = (i: number): TicketFacts => ({
    ...kinds[i % kinds.length]!,
    // Spread over the year (holidays, 调休, nights and weekends included).
    receivedAt: base + ((i * 7_919_777) % (360 * 86_400_000)),
  });
  const plan = (i: number) => {
    const f = facts(i);
    const policy = matchPolicy(version.policies, f);
    return policy ? planTargets(policy, f, calendar.cal).targets.length : 0;
  };
  for (let i = 0; i < 2000; i++) plan(i); // warm-up
  const n = 20_000;
  let targets = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) targets += plan(i);
  const pureUs = ((performance.now() - t0) * 1000) / n;
  if (targets === 0) throw new Error('no targets planned');

  const [owner] = rowsOf<{ id: string }>(await db.execute(sql`SELECT id FROM users LIMIT 1`));
  const count = 300;
  const ids = await insertBareTickets(db, count, {
    ownerId: owner!.id,
    receivedAt: NOW,
    prefix: 'S',
  });
  // Inside one transaction, as the tickets module calls it (its own commit is not counted).
  const t1 = performance.now();
  await db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      await startClocks(tx, { ticketId: ids[i]!, facts: facts(i) }, NOW);
    }
  });
  const startMs = (performance.now() - t1) / count;
  return { pureUs, startMs };
}
