import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../db/client.js';
import { ManualClock } from '../lib/clock.js';
import { seedSlaDefaults } from '../modules/sla/seed.js';
import {
  firedPerClock,
  insertBareTickets,
  insertRunningClocks,
} from '../modules/sla/test/fixtures.js';
import { createTestDatabase } from '../test/harness.js';
import { startSlaSweeper } from './sla-sweeper.js';

let database: Database;
let drop: () => Promise<void>;
let ownerId: string;
const clock = new ManualClock('2026-03-02T02:00:00Z');

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  await seedSlaDefaults(database.db, clock.now());
  [{ id: ownerId }] = rowsOf<{ id: string }>(
    await database.db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
      VALUES ('job@sla.test', 'Owner', '{agent}', now(), now()) RETURNING id`),
  ) as [{ id: string }];
});
afterAll(() => drop());

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  for (const end = performance.now() + ms; performance.now() < end;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
};

describe('SLA sweeper job', () => {
  it('sweeps on its interval with the injected clock, and stops cleanly', async () => {
    await insertBareTickets(database.db, 50, { ownerId, receivedAt: clock.now(), prefix: 'JOB' });
    await insertRunningClocks(database.db, {
      ticketPrefix: 'JOB',
      startedAt: clock.now(),
      warnAt: new Date('2026-03-02T03:00:00Z'),
      dueAt: new Date('2026-03-02T04:00:00Z'),
    });
    const fired: number[] = [];
    const sweeper = startSlaSweeper({
      db: database.db,
      clock,
      intervalMs: 20,
      batchSize: 20,
      onFired: async (_tx, events) => void fired.push(events.length),
    });
    // Nothing is due yet by the manual clock, however often it sweeps.
    await new Promise((r) => setTimeout(r, 100));
    expect(fired).toEqual([]);
    clock.set('2026-03-02T04:00:00Z');
    await until(async () => (await firedPerClock(database.db, 'breach', 'JOB')).clocks === 50);
    await sweeper.stop();
    expect(fired.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.max(...fired)).toBeLessThanOrEqual(20);
    // Stopped: no further sweeps, even with new work due.
    await insertBareTickets(database.db, 1, { ownerId, receivedAt: clock.now(), prefix: 'AFTER' });
    await insertRunningClocks(database.db, {
      ticketPrefix: 'AFTER',
      startedAt: clock.now(),
      warnAt: clock.now(),
      dueAt: clock.now(),
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await firedPerClock(database.db, 'breach', 'AFTER')).clocks).toBe(0);
    const next = startSlaSweeper({ db: database.db, clock, intervalMs: 0 });
    expect(await next.runOnce()).toMatchObject({ breaches: 1 });
    await next.stop();
  });

  it('keeps going after a failed sweep, and 0 ms means no timer at all', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const sweeper = startSlaSweeper({
      db: database.db,
      clock,
      intervalMs: 10,
      log: { info: () => undefined, error: (o: unknown) => void errors.push(o) },
      onFired: async () => {
        calls += 1;
        throw new Error('boom');
      },
    });
    await insertBareTickets(database.db, 1, { ownerId, receivedAt: clock.now(), prefix: 'FAIL' });
    await insertRunningClocks(database.db, {
      ticketPrefix: 'FAIL',
      startedAt: clock.now(),
      warnAt: clock.now(),
      dueAt: clock.now(),
    });
    await until(async () => errors.length >= 2);
    await sweeper.stop();
    expect(calls).toBeGreaterThanOrEqual(2); // retried on the next interval, rolled back each time
    expect((await firedPerClock(database.db, 'breach', 'FAIL')).clocks).toBe(0);

    const idle = startSlaSweeper({ db: database.db, clock, intervalMs: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await firedPerClock(database.db, 'breach', 'FAIL')).clocks).toBe(0);
    expect(await idle.runOnce()).toMatchObject({ breaches: 1 });
    await idle.stop();
  });
});
