import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { lastTicketNumbers, nextTicketNumber, raiseTicketNumberFloor } from './numbers.js';
import { registerTicket } from './test-support.js';

let t: TestContext;
let agent: TestClient;
const TZ = 'Asia/Shanghai';
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
});
afterAll(() => t.close());

const serial = (n: number, year = 2026) => `KF-${year}-${String(n).padStart(6, '0')}`;

describe('ticket numbers (per-year sequences, migration 0011)', () => {
  it('50 concurrent creations, the first of their year, get 50 distinct numbers 1…50', async () => {
    const created = await Promise.all(Array.from({ length: 50 }, () => registerTicket(agent)));
    const numbers = created.map((c) => c.number).sort();
    expect(new Set(numbers).size).toBe(50);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => serial(i + 1)));
  });

  it('the year follows the injected clock in the workspace time zone, and rolls back again', async () => {
    const saved = t.clock.now();
    t.clock.set('2026-12-31T17:00:00Z'); // 01:00 on 1 January 2027 in Beijing
    const lateShift = await t.as('agent');
    expect((await registerTicket(lateShift)).number).toBe(serial(1, 2027));
    expect((await registerTicket(lateShift)).number).toBe(serial(2, 2027));
    t.clock.set(saved);
    expect((await registerTicket(agent)).number).toBe(serial(51));
  });

  it('a rolled-back creation leaves a gap; numbers are never reused', async () => {
    const { db } = t.database;
    let burnt = '';
    await expect(
      db.transaction(async (tx) => {
        burnt = await nextTicketNumber(tx, t.clock.now(), TZ);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(burnt).toBe(serial(52));
    expect((await registerTicket(agent)).number).toBe(serial(53));
  });

  it('a year counted before the migration (ticket_number_sequences) continues after it', async () => {
    const { db } = t.database;
    await db.execute(sql`INSERT INTO ticket_number_sequences (year, last_value) VALUES (2029, 41)`);
    const at = new Date('2029-06-01T00:00:00Z');
    expect(await db.transaction((tx) => nextTicketNumber(tx, at, TZ))).toBe(serial(42, 2029));
  });

  it('after a bulk load the floor is raised, never lowered', async () => {
    const { db } = t.database;
    const at = new Date('2030-06-01T00:00:00Z');
    await raiseTicketNumberFloor(db, 2030, 500); // a year not started yet
    expect(await nextTicketNumber(db, at, TZ)).toBe(serial(501, 2030));
    await raiseTicketNumberFloor(db, 2030, 10); // lower: ignored
    expect(await nextTicketNumber(db, at, TZ)).toBe(serial(502, 2030));
    await raiseTicketNumberFloor(db, 2030, 900);
    expect(await nextTicketNumber(db, at, TZ)).toBe(serial(901, 2030));
  });

  it('lastTicketNumbers: the highest serial of each year among the tickets', async () => {
    const last = await lastTicketNumbers(t.database.db);
    expect(last.get(2026)).toBe(53);
    expect(last.get(2027)).toBe(2);
  });

  it('refuses a year outside 2000–9999', async () => {
    await expect(
      nextTicketNumber(t.database.db, new Date('1999-06-01T00:00:00Z'), TZ),
    ).rejects.toThrow();
  });
});
