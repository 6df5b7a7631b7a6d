import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ifMatch, registerTicket, walk } from './test-support.js';

let t: TestContext;
type Client = TestClient & { user: { id: string; name: string } };
let agent: Client;
let supervisor: Client;
let admin: Client;
let team: { id: string; name: string };
let specialistId: string;
beforeAll(async () => {
  t = await createTestContext();
  team = await t.buildTeam('售后');
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
  specialistId = (await t.buildUser({ roles: ['specialist'], teamIds: [team.id], name: '刘师傅' }))
    .id;
});
afterAll(() => t.close());

describe('assignment and ownership (首问负责制)', () => {
  it('assigns team and handler without touching the owner; timeline and audit say so', async () => {
    const ticket = await registerTicket(agent, { category: 'after_sales' });
    const res = await agent.post(
      `/api/v1/tickets/${ticket.id}/assign`,
      { teamId: team.id, handlerId: specialistId },
      ifMatch(ticket),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      team: { id: team.id, name: '售后' },
      handler: { id: specialistId, name: '刘师傅' },
      owner: { id: agent.user.id },
      version: 2,
    });
    const entry = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data.at(-1);
    expect(entry).toMatchObject({
      kind: 'assignment',
      visibility: 'internal',
      data: { team: { from: null, to: { name: '售后' } }, handler: { to: { name: '刘师傅' } } },
    });
    const unassign = await agent.post(`/api/v1/tickets/${ticket.id}/assign`, { handlerId: null });
    expect(unassign.json().data.handler).toBeNull();
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.assign&targetId=${ticket.id}`)
    ).json().data;
    expect(audit).toHaveLength(2);
  });

  it('refuses unknown teams/handlers (404 naming the field), non-members and non-workers (422)', async () => {
    const ticket = await registerTicket(agent);
    const none = '00000000-0000-4000-8000-000000000000';
    const badTeam = await agent.post(`/api/v1/tickets/${ticket.id}/assign`, { teamId: none });
    expect(badTeam.statusCode).toBe(404);
    expect(badTeam.json().errors[0].path).toBe('teamId');
    const badUser = await agent.post(`/api/v1/tickets/${ticket.id}/assign`, { handlerId: none });
    expect(badUser.json().errors[0].path).toBe('handlerId');
    const notMember = await agent.post(`/api/v1/tickets/${ticket.id}/assign`, {
      teamId: team.id,
      handlerId: supervisor.user.id,
    });
    expect(notMember.statusCode).toBe(422);
    const qa = await t.buildUser({ roles: ['qa_inspector'] });
    const notWorker = await agent.post(`/api/v1/tickets/${ticket.id}/assign`, { handlerId: qa.id });
    expect(notWorker.statusCode).toBe(422);
    const empty = await agent.post(`/api/v1/tickets/${ticket.id}/assign`, {});
    expect(empty.statusCode).toBe(422);
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data.version).toBe(1);
  });

  it('the owner changes only by a supervisor, with a reason, audited', async () => {
    const ticket = await registerTicket(agent);
    const colleague = await t.buildUser({ roles: ['agent'], name: '接班同事' });
    const byAgent = await agent.post(`/api/v1/tickets/${ticket.id}/owner`, {
      ownerId: colleague.id,
      reason: '交接',
    });
    expect(byAgent.statusCode).toBe(403);
    const noReason = await supervisor.post(`/api/v1/tickets/${ticket.id}/owner`, {
      ownerId: colleague.id,
    });
    expect(noReason.statusCode).toBe(400);
    const res = await supervisor.post(
      `/api/v1/tickets/${ticket.id}/owner`,
      { ownerId: colleague.id, reason: '原负责人休假，交接给接班同事' },
      ifMatch(ticket),
    );
    expect(res.json().data).toMatchObject({
      owner: { id: colleague.id, name: '接班同事' },
      receivingAgent: { id: agent.user.id },
    });
    const entry = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data.at(-1);
    expect(entry).toMatchObject({
      kind: 'owner',
      body: '原负责人休假，交接给接班同事',
      data: { from: { id: agent.user.id }, to: { id: colleague.id } },
    });
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.owner_change&targetId=${ticket.id}`)
    ).json().data[0];
    expect(audit.actorId).toBe(supervisor.user.id);
    expect(audit.diff.reason.to).toBe('原负责人休假，交接给接班同事');
  });
});

describe('least-loaded assignment within a team', () => {
  it('autoHandler spreads work over the team, fewest active tickets first', async () => {
    const squad = await t.buildTeam('技术二线');
    const a = await t.buildUser({ roles: ['specialist'], teamIds: [squad.id] });
    const b = await t.buildUser({ roles: ['specialist'], teamIds: [squad.id] });
    await t.buildUser({ roles: ['qa_inspector'], teamIds: [squad.id] }); // does not work tickets
    const busy = await registerTicket(agent);
    await agent.post(`/api/v1/tickets/${busy.id}/assign`, { teamId: squad.id, handlerId: a.id });
    t.clock.advance(60_000); // so "assigned longest ago" can tell a's assignment from the next
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push(await registerTicket(agent));
    const res = await agent.post('/api/v1/tickets/bulk', {
      ids: tickets.map((x) => x.id),
      action: 'assign',
      teamId: squad.id,
      autoHandler: true,
    });
    expect(res.json().data.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const handlers = [];
    for (const x of tickets)
      handlers.push((await agent.get(`/api/v1/tickets/${x.id}`)).json().data.handler.id);
    // b was idle, then both have one each and the tie rotates to the one assigned longest ago.
    expect(handlers).toEqual([b.id, a.id, b.id]);
    const noTeam = await agent.post(`/api/v1/tickets/${(await registerTicket(agent)).id}/assign`, {
      autoHandler: true,
    });
    expect(noTeam.statusCode).toBe(422);
    expect(noTeam.json().errors[0].path).toBe('teamId');
    const both = await agent.post(`/api/v1/tickets/${busy.id}/assign`, {
      handlerId: a.id,
      autoHandler: true,
    });
    expect(both.statusCode).toBe(422);
  });
});

describe('merge and links', () => {
  it('merges a duplicate: closed as merged, timelines kept, both linked', async () => {
    const original = await registerTicket(agent, { subject: '洗衣机漏水' });
    const dup = await registerTicket(agent, { subject: '洗衣机漏水（重复来电）' });
    const res = await agent.post(
      `/api/v1/tickets/${dup.id}/merge`,
      { intoId: original.id },
      ifMatch(dup),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      status: 'closed',
      closeKind: 'merged',
      mergedInto: { id: original.id, number: original.number },
      allowedTransitions: [],
    });
    // A list page presents the merge target exactly as the ticket's own read.
    const listed = (await agent.get(`/api/v1/tickets?queue=all&limit=100`))
      .json()
      .data.find((x: { id: string }) => x.id === dup.id);
    expect(listed).toEqual((await agent.get(`/api/v1/tickets/${dup.id}`)).json().data);
    const links = (await agent.get(`/api/v1/tickets/${original.id}/links`)).json().data;
    expect(links).toEqual([
      expect.objectContaining({ id: dup.id, link: expect.objectContaining({ kind: 'merged' }) }),
    ]);
    const targetTimeline = (await agent.get(`/api/v1/tickets/${original.id}/timeline`)).json().data;
    expect(targetTimeline.at(-1)).toMatchObject({ kind: 'merge', data: { from: { id: dup.id } } });
    const sourceKinds = (await agent.get(`/api/v1/tickets/${dup.id}/timeline`))
      .json()
      .data.map((e: { kind: string }) => e.kind);
    expect(sourceKinds).toEqual(['created', 'status', 'merge']);
    const again = await agent.post(`/api/v1/tickets/${dup.id}/merge`, { intoId: original.id });
    expect(again.json().code).toBe('ticket_closed');
    const self = await agent.post(`/api/v1/tickets/${original.id}/merge`, { intoId: original.id });
    expect(self.statusCode).toBe(422);
    const missing = await agent.post(`/api/v1/tickets/${original.id}/merge`, {
      intoId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0].path).toBe('intoId');
    const reopen = await agent.post(`/api/v1/tickets/${dup.id}/transitions`, { to: 'reopened' });
    expect(reopen.json().code).toBe('ticket_merged');
  });

  it('links related tickets once, both ways', async () => {
    const a = await registerTicket(agent);
    const b = await registerTicket(agent);
    const res = await agent.post(`/api/v1/tickets/${a.id}/links`, { otherId: b.id });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ id: b.id, link: { kind: 'related' } });
    expect(
      (await agent.get(`/api/v1/tickets/${b.id}/links`))
        .json()
        .data.map((x: { id: string }) => x.id),
    ).toEqual([a.id]);
    const dup = await agent.post(`/api/v1/tickets/${b.id}/links`, { otherId: a.id });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('already_linked');
    expect((await agent.post(`/api/v1/tickets/${a.id}/links`, { otherId: a.id })).statusCode).toBe(
      422,
    );
  });
});

describe('bulk', () => {
  it('answers one result per ticket; a refusal does not undo the others', async () => {
    const a = await registerTicket(agent);
    const b = await registerTicket(agent);
    const incomplete = await registerTicket(agent, { description: '' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await agent.post('/api/v1/tickets/bulk', {
      ids: [a.id, incomplete.id, unknown, b.id],
      action: 'transition',
      to: 'accepted',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([
      { id: a.id, ok: true, status: 'accepted', version: 2 },
      expect.objectContaining({
        id: incomplete.id,
        ok: false,
        error: expect.objectContaining({ status: 422, code: 'registration_incomplete' }),
      }),
      expect.objectContaining({
        id: unknown,
        ok: false,
        error: expect.objectContaining({ status: 404 }),
      }),
      { id: b.id, ok: true, status: 'accepted', version: 2 },
    ]);
    const illegal = await agent.post('/api/v1/tickets/bulk', {
      ids: [a.id],
      action: 'transition',
      to: 'archived',
    });
    expect(illegal.json().data[0].error).toMatchObject({
      code: 'illegal_transition',
      allowed: ['in_progress', 'resolved'],
    });
    const assign = await agent.post('/api/v1/tickets/bulk', {
      ids: [a.id, b.id],
      action: 'assign',
      teamId: team.id,
    });
    expect(assign.json().data.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const noTarget = await agent.post('/api/v1/tickets/bulk', {
      ids: [a.id],
      action: 'transition',
    });
    expect(noTarget.statusCode).toBe(422);
  });
});

describe('categories (admin-configurable)', () => {
  it('lists the six seeded categories with zh/en labels; admins add and deactivate', async () => {
    const list = (await agent.get('/api/v1/ticket-categories')).json().data;
    expect(list.map((c: { key: string }) => c.key)).toEqual([
      'consultation',
      'complaint',
      'product_use',
      'after_sales',
      'business_application',
      'suggestion',
    ]);
    expect(list[1]).toMatchObject({
      labelZh: '投诉',
      labelEn: 'Complaint',
      defaultTier: 'L3',
      active: true,
    });
    expect(
      (await agent.post('/api/v1/ticket-categories', { key: 'x_y', labelZh: 'x', labelEn: 'x' }))
        .statusCode,
    ).toBe(403);
    const created = await admin.post('/api/v1/ticket-categories', {
      key: 'billing',
      labelZh: '账单',
      labelEn: 'Billing',
      defaultTier: 'L2',
    });
    expect(created.statusCode).toBe(201);
    const ticket = await registerTicket(agent, { category: 'billing' });
    expect(ticket.tier).toBe('L2');
    const dup = await admin.post('/api/v1/ticket-categories', {
      key: 'billing',
      labelZh: 'a',
      labelEn: 'b',
    });
    expect(dup.json().code).toBe('category_exists');
    await admin.patch('/api/v1/ticket-categories/billing', { active: false });
    const refused = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'billing',
      subject: 'x',
      customer: { name: 'y' },
    });
    expect(refused.statusCode).toBe(422);
    const active = (await agent.get('/api/v1/ticket-categories?active=true')).json().data;
    expect(active.map((c: { key: string }) => c.key)).not.toContain('billing');
    expect(
      (await admin.patch('/api/v1/ticket-categories/nothing', { active: false })).statusCode,
    ).toBe(404);
  });
});

describe('a whole walk-in complaint, as the issue tells it', () => {
  it('registered → green channel → handler assigned → reply → resolved → rejected → fixed → confirmed → visit → closed', async () => {
    const ticket = await registerTicket(agent, {
      channel: 'walk_in',
      category: 'complaint',
      subject: '投诉：新买的冰箱噪音大，换货被拒',
      customer: { name: '冯女士', phone: '13912341234' },
    });
    expect(ticket.greenChannel).toBe(true);
    const assigned = (
      await supervisor.post(`/api/v1/tickets/${ticket.id}/assign`, {
        teamId: team.id,
        handlerId: specialistId,
      })
    ).json().data;
    const handlerUser = await t.buildUser({ roles: ['specialist'], teamIds: [team.id] });
    const handler = await t.signIn(handlerUser.email);
    await handler.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '已安排上门检测',
      visibility: 'public',
    });
    const resolved = await walk(agent, assigned, 'accepted', 'in_progress', 'resolved');
    const token = resolved.confirmationUrl!.split('/portal/confirm/')[1];
    await t.anonymous.post(`/api/v1/portal/confirmations/${token}`, {
      decision: 'reject',
      reason: '还是有噪音',
    });
    const fixed = await walk(
      agent,
      (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data,
      'in_progress',
      'resolved',
    );
    const token2 = fixed.confirmationUrl!.split('/portal/confirm/')[1];
    await t.anonymous.post(`/api/v1/portal/confirmations/${token2}`, { decision: 'confirm' });
    const waiting = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data;
    expect(waiting.status).toBe('resolved');
    await agent.post(`/api/v1/tickets/${ticket.id}/return-visits`, {
      visitedAt: t.clock.now().toISOString(),
      outcome: '已换新机，客户满意',
      customerAccepted: true,
    });
    const closed = await walk(
      agent,
      (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data,
      'closed',
    );
    expect(closed).toMatchObject({
      status: 'closed',
      closeKind: 'confirmed',
      owner: { id: agent.user.id },
    });
    const kinds = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`))
      .json()
      .data.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual([
      'created',
      'assignment',
      'reply',
      'status',
      'status',
      'status',
      'confirmation',
      'confirmation',
      'status',
      'status',
      'status',
      'confirmation',
      'confirmation',
      'return_visit',
      'status',
    ]);
  });
});
