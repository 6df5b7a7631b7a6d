import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/client.js';
import { registerTicket, walk } from '../modules/tickets/test-support.js';
import { createTestContext, type TestClient, type TestContext } from '../test/harness.js';
import { HOUSEKEEPING_LEASE, startTicketHousekeeping } from './ticket-housekeeping.js';

const DAY = 86_400_000;
let t: TestContext;
let agent: TestClient & { user: { email: string } };
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
});
afterAll(() => t.close());

const statusOf = async (id: string) =>
  rowsOf<{ status: string; close_kind: string | null }>(
    await t.database.db.execute(sql`SELECT status, close_kind FROM tickets WHERE id = ${id}`),
  )[0]!;

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  for (const end = performance.now() + ms; performance.now() < end;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
};

describe('ticket housekeeping job', () => {
  it('auto-closes and later archives on its interval, by the injected clock; stops cleanly', async () => {
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    const job = startTicketHousekeeping({ db: t.database.db, clock: t.clock, intervalMs: 20 });
    // However often it runs, nothing is due by the manual clock yet.
    await new Promise((r) => setTimeout(r, 100));
    expect((await statusOf(ticket.id)).status).toBe('resolved');
    t.clock.advance(7 * DAY); // the default auto-close days
    await until(async () => (await statusOf(ticket.id)).status === 'closed');
    expect((await statusOf(ticket.id)).close_kind).toBe('auto_no_reply');
    t.clock.advance(30 * DAY); // the default archive days
    await until(async () => (await statusOf(ticket.id)).status === 'archived');
    await job.stop();
    // The lease is given back after each run.
    const leases = rowsOf(await t.database.db.execute(sql`SELECT * FROM job_leases`));
    expect(leases).toEqual([]);
  });

  it('two processes: only the lease holder runs; an expired lease is taken over', async () => {
    t.clock.advance(DAY);
    agent = Object.assign(await t.signIn(agent.user.email), { user: agent.user });
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    t.clock.advance(8 * DAY);
    const a = startTicketHousekeeping({
      db: t.database.db,
      clock: t.clock,
      intervalMs: 0,
      holder: 'a',
      leaseMs: 60_000,
    });
    const b = startTicketHousekeeping({
      db: t.database.db,
      clock: t.clock,
      intervalMs: 0,
      holder: 'b',
    });
    // Process "a" died mid-run: its lease is still held.
    await t.database.db.execute(
      sql`INSERT INTO job_leases (name, holder, expires_at)
          VALUES (${HOUSEKEEPING_LEASE}, 'a', ${new Date(t.clock.now().getTime() + 60_000).toISOString()}::timestamptz)`,
    );
    expect(await b.runOnce()).toEqual({ ran: false, closed: [], archived: [] });
    expect((await statusOf(ticket.id)).status).toBe('resolved');
    t.clock.advance(60_000);
    const result = await b.runOnce();
    expect(result).toMatchObject({ ran: true, closed: [ticket.id] });
    // Both at once: each ticket closes once whoever runs.
    const again = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(again.flatMap((r) => r.closed)).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });
});
