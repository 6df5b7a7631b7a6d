/**
 * Registration plans the SLA clocks before the ticket row is written (service.ts, sla-link.ts):
 * what it writes must be exactly what the general path (`moveClocksFor` on a `created` entry:
 * start the clocks, acknowledge off hours, refresh the due summary) would have written.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { timerMismatches } from '../sla/test/fixtures.js';
import { refreshSlaSummary } from './sla-link.js';
import { registerTicket } from './test-support.js';

let t: TestContext;
let db: Db;
let agent: TestClient & { user: { id: string; email: string } };

const cst = (local: string) => new Date(`${local}+08:00`);

beforeAll(async () => {
  t = await createTestContext();
  db = t.database.db;
  agent = await t.as('agent');
});
afterAll(() => t.close());

async function register(local: string, body: Record<string, unknown>) {
  t.clock.set(cst(local));
  agent = Object.assign(await t.signIn(agent.user.email), { user: agent.user });
  return (await registerTicket(agent, body)).id;
}

const summary = async (id: string) =>
  rowsOf<{ due: string | null; warn: string | null }>(
    await db.execute(sql`SELECT sla_due_at::text AS due, sla_warn_at::text AS warn
      FROM tickets WHERE id = ${id}`),
  )[0]!;

/** The summary as written at registration equals the one `refreshSlaSummary` computes. */
async function expectSummaryAsRefreshed(id: string) {
  const written = await summary(id);
  await db.transaction((tx) => refreshSlaSummary(tx, id));
  expect(await summary(id)).toEqual(written);
  expect(written.due).not.toBeNull();
}

describe('registration writes the ticket once with its SLA', () => {
  it('in working hours: clocks, timers and the due summary as the general path', async () => {
    const id = await register('2026-03-04T10:00:00', { channel: 'chat' });
    await expectSummaryAsRefreshed(id);
    expect(await timerMismatches(db)).toEqual([]);
  });

  it('off hours: the acknowledgement clock is written met, without timers, after `created`', async () => {
    const id = await register('2026-03-06T18:01:00', { channel: 'chat' });
    const [ack] = rowsOf<{ state: string; met_at: Date | string; breached: boolean; used: number }>(
      await db.execute(sql`SELECT state, met_at, breached, business_ms_used::float8 AS used
        FROM sla_clocks WHERE ticket_id = ${id} AND kind = 'off_hours_ack'`),
    );
    expect(ack).toMatchObject({ state: 'met', breached: false });
    expect(new Date(ack!.met_at).getTime()).toBe(cst('2026-03-06T18:01:00').getTime());
    const timers = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM sla_timers t JOIN sla_clocks c
        ON c.id = t.clock_id WHERE c.ticket_id = ${id} AND c.kind = 'off_hours_ack'`),
    );
    expect(timers[0]!.n).toBe(0);
    await expectSummaryAsRefreshed(id);
    expect(await timerMismatches(db)).toEqual([]);
    const kinds = rowsOf<{ kind: string; auto: string | null }>(
      await db.execute(sql`SELECT kind, data->>'auto' AS auto FROM ticket_events
        WHERE ticket_id = ${id} ORDER BY seq`),
    );
    expect(kinds.slice(0, 2)).toEqual([
      { kind: 'created', auto: null },
      { kind: 'reply', auto: 'off_hours_ack' },
    ]);
    const audits = rowsOf<{ action: string }>(
      await db.execute(sql`SELECT action FROM audit_events WHERE target_id = ${id}::text
        AND action LIKE 'ticket.%' ORDER BY action`),
    );
    expect(audits.map((a) => a.action)).toEqual(['ticket.create', 'ticket.off_hours_ack']);
  });

  it('a phone call off hours (phone is not an acknowledged channel by default): no acknowledgement clock', async () => {
    const id = await register('2026-03-06T20:00:00', { channel: 'phone' });
    const clocks = rowsOf<{ kind: string; state: string }>(
      await db.execute(sql`SELECT kind, state FROM sla_clocks WHERE ticket_id = ${id}`),
    );
    expect(clocks.map((c) => c.kind)).not.toContain('off_hours_ack');
    expect(clocks.find((c) => c.kind === 'resolution')?.state).toBe('running');
    await expectSummaryAsRefreshed(id);
    expect(await timerMismatches(db)).toEqual([]);
  });
});
