import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ifMatch, registerTicket, walk } from './test-support.js';

let t: TestContext;
let agent: TestClient;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestContext(); // the clock starts Monday 2026-03-02 10:00 in Shanghai
  agent = await t.as('agent');
  admin = await t.as('admin');
});
afterAll(() => t.close());

type Clock = { kind: string; state: string; dueAt: string; policyKey: string; breached: boolean };
const clocks = async (id: string): Promise<Clock[]> =>
  (await agent.get(`/api/v1/tickets/${id}/sla`)).json().data;
const byKind = async (id: string) => Object.fromEntries((await clocks(id)).map((c) => [c.kind, c]));

describe('SLA clocks follow the ticket', () => {
  it('start on registration under the matching policy, and a public reply meets the first response', async () => {
    const ticket = await registerTicket(agent); // phone, consultation, L1 → instant channel policy
    const before = await byKind(ticket.id);
    expect(before.first_response).toMatchObject({
      policyKey: 'instant',
      state: 'running',
      dueAt: '2026-03-02T02:00:30.000Z', // 30 s, received inside working hours
    });
    expect(before.resolution?.state).toBe('running');
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '您好，已收到。',
      visibility: 'public',
    });
    expect((await byKind(ticket.id)).first_response?.state).toBe('met');
  });

  it('pause while waiting on the customer, meet assignment, re-plan on reclassification, cancel on closing', async () => {
    const team = (await admin.post('/api/v1/teams', { name: '技术支持 SLA' })).json().data;
    let ticket = await registerTicket(agent, { channel: 'email', tier: 'L2' });
    expect((await byKind(ticket.id)).assignment).toMatchObject({
      policyKey: 'level2',
      state: 'running',
    });

    const assigned = await agent.post(
      `/api/v1/tickets/${ticket.id}/assign`,
      { teamId: team.id },
      ifMatch(ticket),
    );
    ticket = assigned.json().data;
    expect((await byKind(ticket.id)).assignment?.state).toBe('met');

    ticket = await walk(agent, ticket, 'accepted', 'in_progress', 'pending_customer');
    expect((await byKind(ticket.id)).resolution?.state).toBe('paused');
    t.clock.advance(3_600_000);
    ticket = await walk(agent, ticket, 'in_progress');
    const resumed = (await byKind(ticket.id)).resolution!;
    expect(resumed.state).toBe('running');

    const patched = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { category: 'complaint', tier: 'L3' },
      ifMatch(ticket),
    );
    expect(patched.statusCode).toBe(200);
    const after = await byKind(ticket.id);
    expect(after.complaint_contacted?.policyKey).toBe('complaint');
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline?limit=200`)).json()
      .data;
    expect(
      timeline.some((e: { data: { sla?: { to: string } } }) => e.data.sla?.to === 'complaint'),
    ).toBe(true);
  });

  it('cancels what is still open when a ticket closes', async () => {
    let ticket = await registerTicket(agent, { channel: 'email' });
    ticket = await walk(agent, ticket, 'accepted', 'in_progress', {
      to: 'closed',
      reason: '客户不再需要',
      followUp: { plan: '下周回访', dueAt: '2026-03-09T02:00:00.000Z' },
    });
    const states = (await clocks(ticket.id)).map((c) => c.state);
    expect(states).not.toContain('running');
    expect(states).toContain('cancelled');
  });
});
