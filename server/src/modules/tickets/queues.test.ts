import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ifMatch, registerTicket, walk, type TicketJson } from './test-support.js';

let t: TestContext;
type Client = TestClient & { user: { id: string; name: string } };
let agent: Client;
let other: Client;
let specialist: Client;
let outsider: Client;
let techTeam: { id: string; name: string };
const ids = (res: { json(): { data: { id: string }[] } }) => res.json().data.map((x) => x.id);

let mine: TicketJson;
let assigned: TicketJson;
let green: TicketJson;
let resolved: TicketJson;
let othersTicket: TicketJson;
beforeAll(async () => {
  t = await createTestContext();
  techTeam = await t.buildTeam('技术支持');
  agent = await t.as('agent');
  other = await t.as('agent');
  const specialistUser = await t.buildUser({ roles: ['specialist'], teamIds: [techTeam.id] });
  specialist = Object.assign(await t.signIn(specialistUser.email), { user: specialistUser });
  outsider = await t.as('specialist');

  mine = await registerTicket(agent, { subject: '会员积分无法兑换', tags: ['会员'] });
  t.clock.advance(60_000);
  assigned = await registerTicket(agent, { category: 'product_use', subject: '路由器频繁掉线' });
  assigned = (
    await agent.post(
      `/api/v1/tickets/${assigned.id}/assign`,
      { teamId: techTeam.id },
      ifMatch(assigned),
    )
  ).json().data;
  t.clock.advance(60_000);
  green = await registerTicket(other, {
    category: 'complaint',
    channel: 'walk_in',
    subject: '投诉：门店服务差',
    priority: 'urgent',
  });
  t.clock.advance(60_000);
  resolved = await walk(
    agent,
    await registerTicket(agent, { channel: 'email', subject: '发票抬头修改' }),
    'accepted',
    'resolved',
  );
  t.clock.advance(60_000);
  othersTicket = await registerTicket(other, {
    subject: '快递地址变更',
    customer: { name: '郑先生', phone: '13055556666' },
  });
});
afterAll(() => t.close());

describe('queues and counts', () => {
  it('each queue holds what it says, for the caller', async () => {
    expect(ids(await agent.get('/api/v1/tickets?queue=mine'))).toEqual([assigned.id, mine.id]);
    expect(ids(await other.get('/api/v1/tickets?queue=mine'))).toEqual([othersTicket.id, green.id]);
    expect(ids(await agent.get('/api/v1/tickets?queue=unassigned'))).toEqual([
      othersTicket.id,
      green.id,
      mine.id,
    ]);
    expect(ids(await agent.get('/api/v1/tickets?queue=green_channel'))).toEqual([green.id]);
    expect(ids(await agent.get('/api/v1/tickets?queue=awaiting_confirmation'))).toEqual([
      resolved.id,
    ]);
    expect(ids(await specialist.get('/api/v1/tickets?queue=team'))).toEqual([assigned.id]);
    expect(ids(await agent.get('/api/v1/tickets?queue=team'))).toEqual([]);
    expect(ids(await agent.get('/api/v1/tickets'))).toEqual([
      othersTicket.id,
      resolved.id,
      green.id,
      assigned.id,
      mine.id,
    ]);
  });

  it('counts match the queues', async () => {
    const counts = (await agent.get('/api/v1/tickets/counts')).json().data;
    expect(counts).toEqual({
      mine: 2,
      team: 0,
      unassigned: 3,
      green_channel: 1,
      awaiting_confirmation: 1,
      follow_up: 0,
      all: 5,
    });
    expect((await specialist.get('/api/v1/tickets/counts')).json().data).toMatchObject({
      team: 1,
      all: 1,
    });
  });
});

describe('filters, sorting, pagination', () => {
  it('filters by comma-separated values, people, customer, tag, dates and text', async () => {
    expect(ids(await agent.get('/api/v1/tickets?status=new,resolved&channel=email'))).toEqual([
      resolved.id,
    ]);
    expect(ids(await agent.get('/api/v1/tickets?category=complaint,product_use'))).toEqual([
      green.id,
      assigned.id,
    ]);
    expect(ids(await agent.get('/api/v1/tickets?tier=L3&priority=urgent'))).toEqual([green.id]);
    expect(ids(await agent.get(`/api/v1/tickets?ownerId=${other.user.id}`))).toEqual([
      othersTicket.id,
      green.id,
    ]);
    expect(ids(await agent.get(`/api/v1/tickets?teamId=${techTeam.id}`))).toEqual([assigned.id]);
    expect(ids(await agent.get(`/api/v1/tickets?customerId=${mine.customer.id}`))).toEqual([
      mine.id,
    ]);
    expect(ids(await agent.get('/api/v1/tickets?tag=会员'))).toEqual([mine.id]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${encodeURIComponent('掉线')}`))).toEqual([
      assigned.id,
    ]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${encodeURIComponent('郑先生')}`))).toEqual([
      othersTicket.id,
    ]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${green.number}`))).toEqual([green.id]);
    const from = new Date(new Date(green.receivedAt as string).getTime()).toISOString();
    const to = new Date(new Date(othersTicket.receivedAt as string).getTime()).toISOString();
    expect(ids(await agent.get(`/api/v1/tickets?from=${from}&to=${to}`))).toEqual([
      resolved.id,
      green.id,
    ]);
    const bad = await agent.get('/api/v1/tickets?status=new,lost');
    expect(bad.statusCode).toBe(400);
  });

  it('text search follows an edited subject (the stored search terms are recomputed)', async () => {
    const q = (text: string) => agent.get(`/api/v1/tickets?q=${encodeURIComponent(text)}`);
    const edited = await registerTicket(agent, { subject: '空调外机噪音大' });
    expect(ids(await q('外机噪音'))).toEqual([edited.id]);
    const res = await agent.patch(
      `/api/v1/tickets/${edited.id}`,
      { subject: '洗衣机脱水异响', description: 'Spin cycle RATTLES' },
      ifMatch(edited),
    );
    expect(res.statusCode).toBe(200);
    expect(ids(await q('外机噪音'))).toEqual([]);
    expect(ids(await q('脱水异响'))).toEqual([edited.id]);
    expect(ids(await q('rattle'))).toEqual([edited.id]);
    expect(ids(await q('机'))).toContain(edited.id);
  });

  it('sorts and pages with a cursor without gaps or repeats', async () => {
    const asc = ids(await agent.get('/api/v1/tickets?sort=received_asc'));
    expect(asc[0]).toBe(mine.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json(): { data: { id: string }[]; nextCursor: string | null } } =
        await agent.get(
          `/api/v1/tickets?sort=received_asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
      seen.push(...page.json().data.map((x) => x.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(asc);
    t.clock.advance(60_000);
    await agent.patch(`/api/v1/tickets/${mine.id}`, { priority: 'important' });
    expect(ids(await agent.get('/api/v1/tickets?sort=updated_desc'))[0]).toBe(mine.id);
    expect((await agent.get('/api/v1/tickets?cursor=forged')).json().code).toBe('invalid_cursor');
  });

  it("a customer's past tickets, newest first", async () => {
    const again = await registerTicket(agent, {
      customerId: mine.customer.id,
      subject: '二次来电',
    });
    const res = await agent.get(`/api/v1/customers/${mine.customer.id}/tickets`);
    expect(ids(res)).toEqual([again.id, mine.id]);
  });
});

describe('presenting', () => {
  it('a page presents each ticket exactly as its own read does (dates, tags, fields, people)', async () => {
    const page = (await agent.get('/api/v1/tickets?queue=all&limit=50')).json().data as {
      id: string;
    }[];
    expect(page.length).toBeGreaterThan(3);
    for (const item of page)
      expect(item).toEqual((await agent.get(`/api/v1/tickets/${item.id}`)).json().data);
  });
});

describe('record visibility', () => {
  it('specialists see only their team, their handled and their own tickets (others are 404)', async () => {
    expect(ids(await specialist.get('/api/v1/tickets'))).toEqual([assigned.id]);
    expect((await specialist.get(`/api/v1/tickets/${mine.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/v1/tickets/${assigned.id}`)).statusCode).toBe(404);
    expect(
      (
        await outsider.post(`/api/v1/tickets/${assigned.id}/replies`, {
          body: 'x',
          visibility: 'internal',
        })
      ).statusCode,
    ).toBe(404);
    const handed = await agent.post(`/api/v1/tickets/${mine.id}/assign`, {
      handlerId: outsider.user.id,
    });
    expect(handed.statusCode).toBe(200);
    expect((await outsider.get(`/api/v1/tickets/${mine.id}`)).statusCode).toBe(200);
    expect(ids(await outsider.get('/api/v1/tickets?queue=mine'))).toEqual([mine.id]);
  });
});

describe('access', () => {
  it('QA inspectors read but cannot write; customers are refused; reads are audited', async () => {
    const ticket = mine;
    const qa = await t.as('qa_inspector');
    expect((await qa.get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(200);
    expect(
      (await qa.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'x', visibility: 'public' }))
        .statusCode,
    ).toBe(403);
    const customer = await t.as('customer');
    expect((await customer.get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(403);
    const reads = (
      await (
        await t.as('admin')
      ).get(`/api/v1/audit-events?action=ticket.read&targetId=${ticket.id}`)
    ).json().data;
    expect(reads.length).toBeGreaterThan(0);
  });

  it('a queue read is audited with the queue, committed before the answer', async () => {
    const qa = await t.as('qa_inspector');
    const admin = await t.as('admin');
    const listReads = async () =>
      (await admin.get(`/api/v1/audit-events?action=ticket.list&actorId=${qa.user.id}`)).json()
        .data as { diff: unknown }[];
    expect((await qa.get('/api/v1/tickets?queue=mine&sort=due_asc')).statusCode).toBe(200);
    const reads = await listReads();
    expect(reads).toHaveLength(1);
    expect(reads[0]!.diff).toEqual({ queue: { from: null, to: 'mine' } });
    // A refused cursor is no read: nothing is audited for it.
    expect((await qa.get('/api/v1/tickets?queue=mine&cursor=forged')).statusCode).toBe(400);
    expect(await listReads()).toHaveLength(1);
  });
});
