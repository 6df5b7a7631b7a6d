import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ifMatch, registerTicket, tokenOf, walk, type TicketJson } from './test-support.js';

const DAY = 86_400_000;
let t: TestContext;
type Client = TestClient & { user: { id: string; email: string } };
let agent: Client;
let supervisor: Client;
let admin: Client;
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
});
afterAll(() => t.close());

/** Moves the clock by days; sessions (12 h) would lapse, so everyone signs in again. */
async function advance(ms: number) {
  t.clock.advance(ms);
  for (const c of [agent, supervisor, admin]) {
    const fresh = await t.signIn(c.user.email);
    c.cookie = fresh.cookie;
    c.csrfToken = fresh.csrfToken;
  }
}

const get = async (c: TestClient, id: string): Promise<TicketJson> =>
  (await c.get(`/api/v1/tickets/${id}`)).json().data;
const kinds = async (id: string) =>
  (await agent.get(`/api/v1/tickets/${id}/timeline?limit=200`))
    .json()
    .data.map((e: { kind: string; data: { to?: string } }) =>
      e.kind === 'status' ? `status:${e.data.to}` : e.kind,
    );

describe('transitions over HTTP', () => {
  it('an illegal transition is 409 illegal_transition with the allowed list, and changes nothing', async () => {
    const ticket = await registerTicket(agent);
    const res = await agent.post(
      `/api/v1/tickets/${ticket.id}/transitions`,
      { to: 'resolved' },
      ifMatch(ticket),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'illegal_transition', allowed: ['accepted'] });
    expect((await get(agent, ticket.id)).version).toBe(1);
  });

  it('a role not allowed a legal transition gets 403 with its allowed list', async () => {
    const ticket = await registerTicket(agent);
    const closed = await walk(agent, ticket, 'accepted', 'in_progress', {
      to: 'closed',
      reason: '客户暂不需要处理',
      followUp: {
        plan: '一周后回访确认',
        dueAt: new Date(t.clock.now().getTime() + 7 * DAY).toISOString(),
      },
    });
    await advance(31 * DAY);
    // Past the reopen window (15 days), past the archive delay — but the follow-up is open.
    const refused = await agent.post(`/api/v1/tickets/${closed.id}/transitions`, {
      to: 'archived',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'transition_not_permitted', allowed: [] });
    const early = await supervisor.post(`/api/v1/tickets/${closed.id}/transitions`, {
      to: 'archived',
    });
    expect(early.json()).toMatchObject({ code: 'archive_not_due' });
    await agent.post(`/api/v1/tickets/${closed.id}/follow-up/done`, { note: '已回访' });
    const archived = await supervisor.post(`/api/v1/tickets/${closed.id}/transitions`, {
      to: 'archived',
    });
    expect(archived.json().data).toMatchObject({ status: 'archived', allowedTransitions: [] });
    const readOnly = await agent.post(`/api/v1/tickets/${closed.id}/replies`, {
      body: 'x',
      visibility: 'internal',
    });
    expect(readOnly.statusCode).toBe(409);
    expect(readOnly.json().code).toBe('ticket_archived');
  });

  it('first-contact responsibility: only the owner or a supervisor closes', async () => {
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'in_progress');
    const colleague = await t.as('agent');
    const body = {
      to: 'closed',
      reason: '备件缺货',
      followUp: {
        plan: '到货后上门',
        dueAt: new Date(t.clock.now().getTime() + 3 * DAY).toISOString(),
      },
    };
    const res = await colleague.post(`/api/v1/tickets/${ticket.id}/transitions`, body);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('owner_closes');
    expect((await get(colleague, ticket.id)).allowedTransitions).not.toContain('closed');
    const bySupervisor = await supervisor.post(`/api/v1/tickets/${ticket.id}/transitions`, body);
    expect(bySupervisor.json().data).toMatchObject({ status: 'closed', closeKind: 'unresolved' });
  });
});

describe('the closed loop (闭环)', () => {
  it('resolve → link → customer rejects → reopened → resolve → customer confirms → closed', async () => {
    const ticket = await registerTicket(agent, {
      customer: { name: '周先生', phone: '13612345678', email: 'zhou@example.com' },
    });
    const resolved = await walk(agent, ticket, 'accepted', 'in_progress', 'resolved');
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedAt: t.clock.now().toISOString(),
      allowedTransitions: ['closed', 'reopened'],
    });
    expect(resolved.confirmationUrl).toMatch(
      /^http:\/\/localhost:3000\/portal\/confirm\/[\w-]{40,}$/,
    );
    const token = tokenOf(resolved.confirmationUrl);

    const view = await t.anonymous.get(`/api/v1/portal/confirmations/${token}`);
    expect(view.json().data).toMatchObject({
      number: ticket.number,
      status: 'resolved',
      state: 'open',
      decision: null,
    });
    t.clock.advance(3_600_000);
    const reject = await t.anonymous.post(`/api/v1/portal/confirmations/${token}`, {
      decision: 'reject',
      reason: '问题依旧，打印还是模糊',
    });
    expect(reject.statusCode).toBe(200);
    expect(reject.json().data).toMatchObject({
      status: 'reopened',
      state: 'used',
      decision: 'reject',
    });
    const again = await t.anonymous.post(`/api/v1/portal/confirmations/${token}`, {
      decision: 'confirm',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('confirmation_used');
    expect((await t.anonymous.get(`/api/v1/portal/confirmations/${token}`)).json().data.state).toBe(
      'used',
    );

    const reopened = await get(agent, ticket.id);
    expect(reopened).toMatchObject({ status: 'reopened', resolvedAt: null });
    const fixed = await walk(agent, reopened, 'in_progress', 'resolved');
    const token2 = tokenOf(fixed.confirmationUrl);
    const confirm = await t.anonymous.post(`/api/v1/portal/confirmations/${token2}`, {
      decision: 'confirm',
    });
    expect(confirm.json().data).toMatchObject({ status: 'closed', decision: 'confirm' });
    const closed = await get(agent, ticket.id);
    expect(closed).toMatchObject({
      status: 'closed',
      closeKind: 'confirmed',
      confirmedAt: t.clock.now().toISOString(),
      followUp: null,
    });
    expect(await kinds(ticket.id)).toEqual([
      'created',
      'status:accepted',
      'status:in_progress',
      'status:resolved',
      'confirmation',
      'confirmation',
      'status:reopened',
      'status:in_progress',
      'status:resolved',
      'confirmation',
      'confirmation',
      'status:closed',
    ]);
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    const rejection = timeline.find(
      (e: { kind: string; data: { decision?: string } }) => e.data.decision === 'reject',
    );
    expect(rejection).toMatchObject({
      actor: null,
      body: '问题依旧，打印还是模糊',
      data: { by: 'customer' },
    });
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.confirmation&targetId=${ticket.id}`)
    ).json().data;
    expect(audit.map((e: { actorName: string }) => e.actorName)).toEqual([
      'customer:portal',
      'customer:portal',
    ]);
  });

  it('a new resolution voids the old link; links expire', async () => {
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    const first = tokenOf(ticket.confirmationUrl);
    const reissued = await agent.post(`/api/v1/tickets/${ticket.id}/confirmation-link`);
    expect(reissued.statusCode).toBe(200);
    const second = tokenOf(reissued.json().data.url);
    const old = await t.anonymous.post(`/api/v1/portal/confirmations/${first}`, {
      decision: 'confirm',
    });
    expect(old.json().code).toBe('not_awaiting_confirmation');
    await advance(15 * DAY);
    const expired = await t.anonymous.post(`/api/v1/portal/confirmations/${second}`, {
      decision: 'confirm',
    });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('confirmation_expired');
    const unknown = await t.anonymous.get(`/api/v1/portal/confirmations/${'x'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
  });

  it('only the SHA-256 of a confirmation token is stored', async () => {
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    const token = tokenOf(ticket.confirmationUrl);
    const { rowsOf } = await import('../../db/client.js');
    const { sql } = await import('drizzle-orm');
    const rows = rowsOf<{ token_hash: string }>(
      await t.database.db.execute(
        sql`SELECT token_hash FROM ticket_confirmations WHERE ticket_id = ${ticket.id}`,
      ),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('an agent may close a resolution the customer acknowledged on the phone', async () => {
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { to: 'closed' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'reason',
      'followUp.plan',
      'followUp.dueAt',
    ]);
    const ok = await walk(agent, await get(agent, ticket.id), {
      to: 'closed',
      customerConfirmed: true,
    });
    expect(ok).toMatchObject({ closeKind: 'confirmed', followUp: null });
  });

  it('a closed ticket refuses public replies and assignment (409 ticket_closed) until reopened', async () => {
    const closed = await walk(agent, await registerTicket(agent), 'accepted', 'resolved', {
      to: 'closed',
      customerConfirmed: true,
    });
    const reply = await agent.post(`/api/v1/tickets/${closed.id}/replies`, {
      body: '还有什么可以帮您？',
      visibility: 'public',
    });
    expect(reply.statusCode).toBe(409);
    expect(reply.headers['content-type']).toMatch(/problem\+json/);
    expect(reply.json().code).toBe('ticket_closed');
    const assign = await supervisor.post(
      `/api/v1/tickets/${closed.id}/assign`,
      { handlerId: agent.user.id },
      ifMatch(closed),
    );
    expect(assign.statusCode).toBe(409);
    expect(assign.json().code).toBe('ticket_closed');
    // Internal notes stay possible; nothing changed.
    const note = await agent.post(`/api/v1/tickets/${closed.id}/replies`, {
      body: '客户来电致谢',
      visibility: 'internal',
    });
    expect(note.statusCode).toBe(201);
    expect(await get(agent, closed.id)).toMatchObject({ version: closed.version, handler: null });
    // Reopened, both work again.
    const reopened = await walk(agent, await get(agent, closed.id), {
      to: 'reopened',
      reason: '客户又来电',
    });
    expect(
      (
        await agent.post(`/api/v1/tickets/${closed.id}/replies`, {
          body: '我们继续跟进',
          visibility: 'public',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await supervisor.post(
          `/api/v1/tickets/${closed.id}/assign`,
          { handlerId: agent.user.id },
          ifMatch(reopened),
        )
      ).statusCode,
    ).toBe(200);
  });

  it('closing unresolved needs reason + plan + date and lands on the follow-up to-do list', async () => {
    const ticket = await walk(agent, await registerTicket(agent), 'accepted', 'in_progress');
    const dueAt = new Date(t.clock.now().getTime() + 5 * DAY).toISOString();
    const past = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      to: 'closed',
      reason: '等待厂家',
      followUp: {
        plan: '厂家回复后通知客户',
        dueAt: new Date(t.clock.now().getTime() - 1000).toISOString(),
      },
    });
    expect(past.json().errors).toEqual([
      { path: 'followUp.dueAt', message: 'must be in the future' },
    ]);
    const closed = await walk(agent, ticket, {
      to: 'closed',
      reason: '等待厂家',
      followUp: { plan: '厂家回复后通知客户', dueAt },
    });
    expect(closed).toMatchObject({
      closeKind: 'unresolved',
      followUp: { reason: '等待厂家', plan: '厂家回复后通知客户', dueAt, doneAt: null },
    });
    const todo = (await agent.get('/api/v1/tickets?queue=follow_up')).json().data;
    expect(todo.map((x: { id: string }) => x.id)).toContain(ticket.id);
    const done = await agent.post(
      `/api/v1/tickets/${ticket.id}/follow-up/done`,
      { note: '已告知客户' },
      ifMatch(closed),
    );
    expect(done.json().data.followUp.doneAt).toBe(t.clock.now().toISOString());
    const after = (await agent.get('/api/v1/tickets?queue=follow_up')).json().data;
    expect(after.map((x: { id: string }) => x.id)).not.toContain(ticket.id);
    const twice = await agent.post(`/api/v1/tickets/${ticket.id}/follow-up/done`, {});
    expect(twice.json().code).toBe('no_open_follow_up');
  });

  it('a complaint needs a return visit before it closes, even after the customer confirms', async () => {
    const ticket = await registerTicket(agent, { category: 'complaint', channel: 'walk_in' });
    const resolved = await walk(agent, ticket, 'accepted', 'in_progress', 'resolved');
    expect(resolved.allowedTransitions).toEqual(['reopened']);
    const refused = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      to: 'closed',
      customerConfirmed: true,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('return_visit_required');
    const confirm = await t.anonymous.post(
      `/api/v1/portal/confirmations/${tokenOf(resolved.confirmationUrl)}`,
      { decision: 'confirm' },
    );
    expect(confirm.json().data.status).toBe('resolved'); // recorded, waiting for the visit
    const confirmed = await get(agent, ticket.id);
    expect(confirmed.confirmedAt).toBe(t.clock.now().toISOString());
    const visitedAt = t.clock.now().toISOString();
    const visit = await supervisor.post(
      `/api/v1/tickets/${ticket.id}/return-visits`,
      { visitedAt, outcome: '电话回访，客户对处理结果满意', customerAccepted: true },
      ifMatch(confirmed),
    );
    expect(visit.statusCode).toBe(201);
    expect(visit.json().data).toMatchObject({
      returnVisit: {
        visitedAt,
        by: { id: supervisor.user.id },
        outcome: '电话回访，客户对处理结果满意',
        customerAccepted: true,
      },
      allowedTransitions: ['closed', 'reopened'],
    });
    // A list page presents the return visit (and its author) exactly as the ticket's own read.
    const listed = (await supervisor.get(`/api/v1/tickets?queue=all&q=${ticket.number}`))
      .json()
      .data.find((x: { id: string }) => x.id === ticket.id);
    expect(listed).toEqual((await supervisor.get(`/api/v1/tickets/${ticket.id}`)).json().data);
    const closed = await walk(agent, visit.json().data, 'closed');
    expect(closed.closeKind).toBe('confirmed');
    const future = await supervisor.post(`/api/v1/tickets/${ticket.id}/return-visits`, {
      visitedAt: new Date(t.clock.now().getTime() + DAY).toISOString(),
      outcome: 'x',
      customerAccepted: true,
    });
    expect(future.statusCode).toBe(422);
  });

  it('reopens a closed ticket only within the window (default 15 days)', async () => {
    const a = await walk(agent, await registerTicket(agent), 'accepted', 'resolved', {
      to: 'closed',
      customerConfirmed: true,
    });
    const b = await walk(agent, await registerTicket(agent), 'accepted', 'resolved', {
      to: 'closed',
      customerConfirmed: true,
    });
    await advance(10 * DAY);
    expect((await walk(agent, a, { to: 'reopened', reason: '客户再次来电' })).status).toBe(
      'reopened',
    );
    await advance(6 * DAY);
    const late = await agent.post(`/api/v1/tickets/${b.id}/transitions`, { to: 'reopened' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('reopen_window_passed');
  });
});
