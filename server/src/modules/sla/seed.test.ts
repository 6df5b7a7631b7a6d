import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../db/client.js';
import { createTestDatabase } from '../../test/harness.js';
import { startClocks } from './clocks.js';
import { seedSlaDefaults } from './seed.js';
import { insertBareTickets } from './test/fixtures.js';

let database: Database;
let drop: () => Promise<void>;
const now = new Date('2026-03-02T02:00:00Z');

beforeAll(async () => ({ database, drop } = await createTestDatabase()));
afterAll(() => drop());

const count = async (table: string) =>
  Number(
    rowsOf<{ n: string }>(
      await database.db.execute(sql.raw(`SELECT count(*) AS n FROM ${table}`)),
    )[0]!.n,
  );

describe('SLA seed', () => {
  it('a ticket started on a database never seeded seeds it inside the ticket’s transaction', async () => {
    const [user] = rowsOf<{ id: string }>(
      await database.db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
        VALUES ('seed@sla.test', 'Seed', '{agent}', now(), now()) RETURNING id`),
    );
    const [ticketId] = await insertBareTickets(database.db, 1, {
      ownerId: user!.id,
      receivedAt: now,
    });
    const facts = {
      channel: 'email',
      category: 'consultation',
      tier: 'L1',
      priority: 'general',
      customerTier: 'regular',
      receivedAt: now.getTime(),
    };
    const started = await database.db.transaction((tx) =>
      startClocks(tx, { ticketId: ticketId!, facts }, now),
    );
    expect(started).toMatchObject({ policyVersion: 1, policyKey: 'general' });
    expect(started.clocks.map((c) => c.kind).sort()).toEqual(['first_response', 'resolution']);
    expect(await count('sla_calendars')).toBe(2);
  });

  it('several processes starting at once on an empty database seed once', async () => {
    const fresh = await createTestDatabase();
    try {
      const results = await Promise.all(
        [1, 2, 3].map(() => seedSlaDefaults(fresh.database.db, now)),
      );
      expect(results.reduce((n, r) => n + r.calendarsCreated, 0)).toBe(2);
      expect(results.filter((r) => r.policyVersionCreated)).toHaveLength(1);
      expect(results.flatMap((r) => r.holidayYearsAdded).sort()).toEqual([2024, 2025, 2026]);
      const [row] = rowsOf<{ calendars: string; days: string }>(
        await fresh.database.db
          .execute(sql`SELECT (SELECT count(*) FROM sla_calendars) AS calendars,
          (SELECT count(*) FROM sla_calendar_days) AS days`),
      );
      expect(Number(row!.calendars)).toBe(2);
      expect(Number(row!.days)).toBeGreaterThan(100);
    } finally {
      await fresh.drop();
    }
  });
});
