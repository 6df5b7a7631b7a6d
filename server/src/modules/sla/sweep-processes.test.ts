/**
 * Exactly-once on a real PostgreSQL server with separate processes (each its own `pg` pool):
 * two sweepers racing over 10,000 due timers, and a sweeper killed mid-batch then restarted.
 * PGlite is one in-process connection, so these need DATABASE_URL.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../db/client.js';
import { createTestDatabase } from '../../test/harness.js';
import { seedSlaDefaults } from './seed.js';
import { meetClock } from './clocks.js';
import { sweepDueClocks } from './sweep.js';
import {
  firedPerClock,
  insertBareTickets,
  insertRunningClocks,
  timerMismatches,
} from './test/fixtures.js';

const onPostgres = !!process.env.DATABASE_URL;
if (!onPostgres) {
  console.log(
    'SLA multi-process sweeper tests SKIPPED: they need PostgreSQL (set DATABASE_URL=postgres://…)',
  );
}

const SCRIPT = fileURLToPath(new URL('./test/sweep-process.ts', import.meta.url));
const NOW = '2026-03-10T04:00:00.000Z';
const D = (iso: string) => new Date(iso);

let database: Database;
let url: string;
let drop: () => Promise<void>;
let ownerId: string;

interface Sweeper {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  ready: Promise<void>;
  exit: Promise<number | null>;
  /** Resolves when the process is inside its n-th batch (not committed yet). */
  batch(n: number): Promise<void>;
  go(): void;
}

function startSweeper(batchSize: number, pauseMs = 0): Sweeper {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, url, NOW, String(batchSize), String(pauseMs)],
    { stdio: 'pipe' },
  );
  const lines: string[] = [];
  const waiters: { test: (l: string) => boolean; resolve: () => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.test(line))) w.resolve();
    }
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const waitFor = (test: (l: string) => boolean) =>
    new Promise<void>((resolve) => {
      if (lines.some(test)) resolve();
      else waiters.push({ test, resolve });
    });
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code) console.error(stderr);
      resolve(code);
    }),
  );
  return {
    child,
    lines,
    exit,
    ready: waitFor((l) => l === 'ready'),
    batch: (n) => waitFor((l) => l === `in batch ${n}`),
    go: () => child.stdin.write('go\n'),
  };
}

const totals = (s: Sweeper) =>
  JSON.parse(s.lines.findLast((l) => l.startsWith('{')) ?? '{}') as {
    warnings: number;
    breaches: number;
  };

/** `count` tickets numbered `prefix`-…, half with a breach due, half with only a warning due. */
async function dueTimers(prefix: string, count: number) {
  await insertBareTickets(database.db, count, {
    ownerId,
    receivedAt: D('2026-03-09T01:00:00Z'),
    prefix,
  });
  const ids = rowsOf<{ id: string }>(
    await database.db.execute(
      sql`SELECT id FROM tickets WHERE number LIKE ${`${prefix}-%`} ORDER BY number`,
    ),
  ).map((r) => r.id);
  const started = D('2026-03-09T01:00:00Z');
  const half = count / 2;
  await insertRunningClocks(database.db, {
    ticketIds: ids.slice(0, half),
    startedAt: started,
    warnAt: D('2026-03-10T01:00:00Z'),
    dueAt: D('2026-03-10T03:00:00Z'),
  });
  await insertRunningClocks(database.db, {
    ticketIds: ids.slice(half),
    startedAt: started,
    warnAt: D('2026-03-10T03:00:00Z'),
    dueAt: D('2026-03-11T03:00:00Z'),
  });
}

describe.skipIf(!onPostgres)('SLA sweeper processes on PostgreSQL', () => {
  beforeAll(async () => {
    const created = await createTestDatabase();
    database = created.database;
    url = created.url!;
    drop = created.drop;
    await seedSlaDefaults(database.db, D(NOW));
    [{ id: ownerId }] = rowsOf<{ id: string }>(
      await database.db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
        VALUES ('owner@sla.test', 'Owner', '{agent}', now(), now()) RETURNING id`),
    ) as [{ id: string }];
  });
  afterAll(() => drop?.());

  it('two sweeper processes over 10,000 due timers fire each exactly once', async () => {
    await dueTimers('TWO', 10_000);
    const a = startSweeper(100);
    const b = startSweeper(100);
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
    const [ta, tb] = [totals(a), totals(b)];
    // Both did part of the work, and together exactly all of it.
    expect(ta.breaches + ta.warnings).toBeGreaterThan(0);
    expect(tb.breaches + tb.warnings).toBeGreaterThan(0);
    expect(ta.breaches + tb.breaches).toBe(5000);
    expect(ta.warnings + tb.warnings).toBe(5000);
    expect(await firedPerClock(database.db, 'breach', 'TWO')).toEqual({
      clocks: 5000,
      events: 5000,
      maxPerClock: 1,
    });
    expect(await firedPerClock(database.db, 'warning', 'TWO')).toEqual({
      clocks: 5000,
      events: 5000,
      maxPerClock: 1,
    });
  }, 120_000);

  it('a sweeper killed mid-sweep loses nothing, and its restart doubles nothing', async () => {
    await dueTimers('KILL', 10_000);
    const first = startSweeper(200, 40);
    await first.ready;
    first.go();
    await first.batch(5);
    first.child.kill('SIGKILL'); // inside batch 5's transaction (it pauses 40 ms in each)
    await first.exit;
    const firedWarnings = await firedPerClock(database.db, 'warning', 'KILL');
    const firedBreaches = await firedPerClock(database.db, 'breach', 'KILL');
    const fired = firedWarnings.events + firedBreaches.events;
    // Whole batches committed (at least the four before), the one in hand rolled back.
    expect(fired).toBeGreaterThanOrEqual(4 * 200);
    expect(fired).toBeLessThan(10_000);
    expect(fired % 200).toBe(0);

    const restart = startSweeper(200);
    await restart.ready;
    restart.go();
    expect(await restart.exit).toBe(0);
    const t = totals(restart);
    expect(t.breaches + t.warnings).toBe(10_000 - fired);
    expect(await firedPerClock(database.db, 'breach', 'KILL')).toEqual({
      clocks: 5000,
      events: 5000,
      maxPerClock: 1,
    });
    expect(await firedPerClock(database.db, 'warning', 'KILL')).toEqual({
      clocks: 5000,
      events: 5000,
      maxPerClock: 1,
    });
  }, 120_000);

  it('a clock command and a sweep never deadlock: each skips or waits, and the clock row decides', async () => {
    const due = { startedAt: D('2026-03-09T01:00:00Z'), warnAt: D('2026-03-10T02:00:00Z') };
    const [early, late] = await insertBareTickets(database.db, 2, {
      ownerId,
      receivedAt: due.startedAt,
      prefix: 'LOCK',
    });
    for (const [ticketId, dueAt] of [
      [early!, '2026-03-10T03:00:00Z'],
      [late!, '2026-03-10T03:30:00Z'],
    ] as const) {
      await insertRunningClocks(database.db, {
        ticketIds: [ticketId],
        ...due,
        warnedAt: D('2026-03-10T02:00:01Z'),
        dueAt: D(dueAt),
      });
    }
    const hold = () => {
      let release!: () => void;
      return { wait: new Promise<void>((r) => (release = r)), release: () => release() };
    };

    // 1. The ticket's command holds its clock (met, uncommitted): a sweep does not wait for it
    //    and fires nothing for it; once committed, the clock is met (late), never breached twice.
    const meetHeld = hold();
    let meetStarted!: () => void;
    const started = new Promise<void>((r) => (meetStarted = r));
    const meeting = database.db.transaction(async (tx) => {
      await meetClock(tx, early!, 'resolution', D(NOW));
      meetStarted();
      await meetHeld.wait;
    });
    await started;
    const t0 = performance.now();
    const swept = await sweepDueClocks(database.db, D('2026-03-10T03:15:00Z'), 100);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(swept.breaches).toBe(0);
    meetHeld.release();
    await meeting;
    // 2. The sweep holds its batch (hook waiting): the command waits for the sweep, then meets.
    const sweepHeld = hold();
    let inBatch!: () => void;
    const batchStarted = new Promise<void>((r) => (inBatch = r));
    const sweeping = sweepDueClocks(database.db, D(NOW), 100, {
      onFired: async () => {
        inBatch();
        await sweepHeld.wait;
      },
    });
    await batchStarted;
    const meetingLate = database.db.transaction((tx) => meetClock(tx, late!, 'resolution', D(NOW)));
    // The command is blocked on the clock row the sweep marked; the sweep is not blocked.
    const blocked = await Promise.race([
      meetingLate.then(() => false),
      new Promise((r) => setTimeout(() => r(true), 300)),
    ]);
    expect(blocked).toBe(true);
    sweepHeld.release();
    const met = await meetingLate;
    expect(met.met).toMatchObject({ state: 'met', breached: true });
    expect((await sweeping).breaches).toBe(1);
    const events = await firedPerClock(database.db, 'breach', 'LOCK');
    expect(events).toEqual({ clocks: 1, events: 1, maxPerClock: 1 });
    const byTicket = rowsOf<{ ticket_id: string }>(
      await database.db.execute(sql`SELECT ticket_id FROM sla_events WHERE kind = 'breach'
        AND ticket_id IN (${early!}::uuid, ${late!}::uuid)`),
    );
    expect(byTicket).toEqual([{ ticket_id: late }]);
    expect(await timerMismatches(database.db)).toEqual([]);
  });
});
