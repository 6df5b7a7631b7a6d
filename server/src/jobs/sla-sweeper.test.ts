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
import { createTestDatabase, sqlStateOf as code } from '../test/harness.js';
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

  it('notifications keep their references to user and ticket, checked once per statement (0044)', async () => {
    const db = database.db;
    const missing = '00000000-0000-4000-8000-00000000dead';
    // The sweeps above notified the owner of each breached ticket.
    const [notified] = rowsOf<{ ticket_id: string; n: number }>(
      await db.execute(sql`SELECT n.ticket_id, count(*)::int AS n FROM notifications n
        JOIN tickets t ON t.id = n.ticket_id WHERE t.number LIKE 'JOB%' GROUP BY 1 LIMIT 1`),
    );
    expect(notified?.n).toBeGreaterThan(0);
    const insert = (ticketIds: (string | null)[]) =>
      db.execute(sql`INSERT INTO notifications (user_id, kind, ticket_id, title, created_at)
        VALUES ${sql.join(
          ticketIds.map((id) => sql`(${ownerId}::uuid, 'test', ${id}::uuid, 'x', now())`),
          sql`, `,
        )}`);
    const count = async () =>
      rowsOf<{ n: number }>(
        await db.execute(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'test'`),
      )[0]!.n;
    expect(await code(insert([missing]))).toBe('23503');
    expect(await code(insert([notified!.ticket_id, missing, null]))).toBe('23503');
    expect(await count()).toBe(0); // the whole statement is refused
    expect(await code(insert([notified!.ticket_id, null]))).toBe('ok');
    expect(await count()).toBe(2);
    expect(
      await code(
        db.execute(sql`UPDATE notifications SET ticket_id = ${missing}::uuid
        WHERE kind = 'test' AND ticket_id IS NOT NULL`),
      ),
    ).toBe('23503');
    expect(
      await code(db.execute(sql`UPDATE notifications SET read_at = now() WHERE kind = 'test'`)),
    ).toBe('ok');
    expect(
      await code(db.execute(sql`DELETE FROM tickets WHERE id = ${notified!.ticket_id}::uuid`)),
    ).toBe('23503');
    expect(
      await code(
        db.execute(
          sql`UPDATE tickets SET id = gen_random_uuid() WHERE id = ${notified!.ticket_id}::uuid`,
        ),
      ),
    ).toBe('23503');
    // The user: must exist; a user's id stays while notified; deleting a user deletes theirs.
    expect(
      await code(
        db.execute(sql`INSERT INTO notifications (user_id, kind, title, created_at)
          VALUES (${ownerId}::uuid, 'test', 'x', now()), (${missing}::uuid, 'test', 'x', now())`),
      ),
    ).toBe('23503');
    expect(
      await code(
        db.execute(sql`UPDATE notifications SET user_id = ${missing}::uuid
        WHERE kind = 'test'`),
      ),
    ).toBe('23503');
    const [{ id: leaver }] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
        VALUES ('leaver@sla.test', 'Leaver', '{agent}', now(), now()) RETURNING id`),
    ) as [{ id: string }];
    await db.execute(sql`INSERT INTO notifications (user_id, kind, ticket_id, title, created_at)
      VALUES (${leaver}::uuid, 'test', ${notified!.ticket_id}::uuid, 'x', now())`);
    expect(await count()).toBe(3);
    expect(
      await code(
        db.execute(sql`UPDATE users SET id = gen_random_uuid() WHERE id = ${leaver}::uuid`),
      ),
    ).toBe('23503');
    expect(await code(db.execute(sql`DELETE FROM users WHERE id = ${leaver}::uuid`))).toBe('ok');
    expect(await count()).toBe(2);
    // A ticket nothing points at can still go (hand-made deletions only; Kefu deletes none).
    await insertBareTickets(db, 1, { ownerId, receivedAt: clock.now(), prefix: 'LONE' });
    expect(await code(db.execute(sql`DELETE FROM tickets WHERE number LIKE 'LONE%'`))).toBe('ok');
  });
});
