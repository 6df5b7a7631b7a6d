import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestDatabase } from '../../test/harness.js';
import { resolveCalendar } from './calendar-store.js';
import { ALWAYS_OPEN_KEY, CN_CALENDAR_KEY, seedSlaDefaults } from './seed.js';

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
const ids: Record<string, string> = {};
beforeAll(async () => {
  handle = await createTestDatabase();
  const { db } = handle.database;
  await seedSlaDefaults(db, new Date('2026-03-02T02:00:00Z'));
  const rows = rowsOf<{ id: string; seed_key: string }>(
    await db.execute(sql`SELECT id, seed_key FROM sla_calendars`),
  );
  for (const r of rows) ids[r.seed_key] = r.id;
});
afterAll(() => handle.drop());

/**
 * `resolveCalendar` finds and heads the calendar in one statement (registration's hot path);
 * its answers and its problems stay those of the two statements it replaced.
 */
describe('resolveCalendar', () => {
  it('takes the calendar given, else the team’s, else the default', async () => {
    const { db } = handle.database;
    const always = ids[ALWAYS_OPEN_KEY]!;
    const cn = ids[CN_CALENDAR_KEY]!;
    expect((await resolveCalendar(db, { calendarId: always })).id).toBe(always);
    expect((await resolveCalendar(db, {})).id).toBe(cn);
    const team = randomUUID();
    await db.execute(sql`INSERT INTO teams (id, name, calendar_id, created_at, updated_at)
      VALUES (${team}, 'Night shift', ${always}, now(), now())`);
    const found = await resolveCalendar(db, { teamId: team });
    expect(found).toMatchObject({ id: always, name: '24×7' });
    expect(found.cal.weekly).toHaveLength(7);
    // A team without its own calendar counts on the default.
    await db.execute(sql`UPDATE teams SET calendar_id = NULL WHERE id = ${team}`);
    expect((await resolveCalendar(db, { teamId: team })).id).toBe(cn);
  });

  it('answers 404 naming the field for an unknown calendar, 409 when there is no default', async () => {
    const { db } = handle.database;
    await expect(
      resolveCalendar(db, { calendarId: randomUUID() }, 'calendarId'),
    ).rejects.toMatchObject({ status: 404, errors: [{ path: 'calendarId', code: 'not_found' }] });
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`UPDATE sla_calendars SET is_default = false`);
        await expect(resolveCalendar(tx, {})).rejects.toMatchObject({
          status: 409,
          code: 'no_default_calendar',
        });
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Error && /rollback/i.test(err.message))) throw err;
      });
    expect((await resolveCalendar(db, {})).id).toBe(ids[CN_CALENDAR_KEY]);
  });
});
