import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../demo/seed.js';
import { createTestContext, type TestContext } from '../../test/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.database.db, t.clock.now());
});
afterAll(() => t.close());

describe('demo workspace tickets', () => {
  it('shows a live console: customers, tickets in every kind of state, queues filled', async () => {
    const agent = await t.signIn('agent@kefu.demo', DEMO_PASSWORD);
    const counts = (await agent.get('/api/v1/tickets/counts')).json().data;
    expect(counts).toMatchObject({
      all: 16,
      green_channel: 2,
      awaiting_confirmation: 2,
      follow_up: 1,
    });
    expect(counts.mine).toBeGreaterThan(3);
    expect(counts.unassigned).toBeGreaterThan(2);
    const all = (await agent.get('/api/v1/tickets?limit=50')).json().data;
    const statuses = new Set(all.map((x: { status: string }) => x.status));
    for (const s of [
      'new',
      'accepted',
      'in_progress',
      'pending_customer',
      'pending_internal',
      'resolved',
      'closed',
      'reopened',
    ])
      expect(statuses, s).toContain(s);
    const incomplete = all.find((x: { subject: string }) => x.subject.startsWith('洗衣机漏水'));
    expect(incomplete.registration.complete).toBe(false);
    const customers = (await agent.get('/api/v1/customers?limit=50')).json().data;
    expect(customers).toHaveLength(8);
    const supervisor = await t.signIn('supervisor@kefu.demo', DEMO_PASSWORD);
    const bell = (await supervisor.get('/api/v1/notifications')).json();
    const kinds = (bell.data as { kind: string }[]).map((n) => n.kind);
    // One per complaint (green channel), and the complaint the demo assigned to the supervisor.
    expect(kinds.filter((k) => k === 'ticket.green_channel')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'ticket.assigned')).toHaveLength(1);
    expect(bell.unreadCount).toBe(4);
    const specialist = await t.signIn('specialist@kefu.demo', DEMO_PASSWORD);
    expect((await specialist.get('/api/v1/tickets/counts')).json().data.all).toBeGreaterThan(0);
  });

  it('its complaints, handled on time with a handling plan, show no missed or breached target', async () => {
    const agent = await t.signIn('agent@kefu.demo', DEMO_PASSWORD);
    const all = (await agent.get('/api/v1/tickets?limit=50')).json().data as {
      id: string;
      category: string;
      subject: string;
    }[];
    const complaints = all.filter((x) => x.category === 'complaint');
    expect(complaints).toHaveLength(3);
    for (const c of complaints) {
      const clocks = (await agent.get(`/api/v1/tickets/${c.id}/sla`)).json().data as {
        kind: string;
        breached: boolean;
        outcome: string | null;
        live?: { remainingMs: number };
      }[];
      const red = clocks.filter(
        (k) => k.breached || k.outcome === 'missed' || (k.live?.remainingMs ?? 1) < 0,
      );
      expect(red, c.subject).toEqual([]);
      expect(clocks.find((k) => k.kind === 'handling_plan')?.outcome, c.subject).toBe('met');
      const plans = (await agent.get(`/api/v1/tickets/${c.id}/handling-plans`)).json().data;
      expect(plans.length, c.subject).toBe(1);
    }
  });
});
