import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { lockTicket, SYSTEM } from './access.js';
import { registerTicket } from './test-support.js';

/**
 * A ticket being edited must not hold up the SLA sweeper, whose notification rows reference the
 * ticket: the command's row lock (NO KEY UPDATE) and the foreign-key check (KEY SHARE) do not
 * conflict. Two connections are needed, so PostgreSQL only (PGlite has one).
 */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe.skipIf(!process.env.DATABASE_URL)('ticket row locks on PostgreSQL', () => {
  it('a notification for a ticket locked by a command is written without waiting', async () => {
    const agent = await t.as('agent');
    const ticket = await registerTicket(agent);
    const { db } = t.database;

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const command = db.transaction(async (tx) => {
      await lockTicket(tx, ticket.id, SYSTEM);
      locked();
      await held;
    });
    await isLocked;
    try {
      // Fails with "canceling statement due to lock timeout" if the insert had to wait.
      await db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL lock_timeout = '2s'`);
        await tx.execute(sql`
          INSERT INTO notifications (user_id, kind, ticket_id, title, created_at)
          VALUES (${agent.user.id}, 'sla_breach', ${ticket.id}, 'x', now())`);
      });
    } finally {
      release();
      await command;
    }
    const [row] = rowsOf<{ n: number }>(
      await db.execute(
        sql`SELECT count(*)::int AS n FROM notifications WHERE ticket_id = ${ticket.id} AND title = 'x'`,
      ),
    );
    expect(row?.n).toBe(1);
  });
});
