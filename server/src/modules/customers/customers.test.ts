import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';

let t: TestContext;
let agent: TestClient & { user: { id: string } };
let supervisor: TestClient & { user: { id: string } };
let admin: TestClient;
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
});
afterAll(() => t.close());

describe('customers', () => {
  it('registers a customer, normalising contacts, with de-duplication hints', async () => {
    const first = await supervisor.post('/api/v1/customers', {
      name: '王建国',
      phone: '138-1234 5678',
      email: 'Wang.JG@Example.com',
      wechat: 'wx_wangjg',
      organisation: '上海某某贸易有限公司',
      tier: 'vip',
      consent: { contact: true, marketing: false },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      data: {
        name: '王建国',
        phone: '13812345678',
        email: 'wang.jg@example.com',
        tier: 'vip',
        consent: { contact: true, marketing: false },
        masked: false,
      },
      duplicates: [],
    });
    const id = first.json().data.id;

    const second = await agent.post('/api/v1/customers', { name: '王先生', phone: '13812345678' });
    expect(second.statusCode).toBe(201);
    expect(second.json().duplicates).toEqual([{ id, name: '王建国' }]);
    const byEmail = await agent.post('/api/v1/customers', {
      name: 'JG',
      email: 'wang.jg@example.com',
    });
    expect(byEmail.json().duplicates.map((d: { id: string }) => d.id)).toContain(id);
  });

  it('masks phone and email for agents, not for supervisors and admins', async () => {
    const c = (
      await supervisor.post('/api/v1/customers', {
        name: '李娜',
        phone: '13987654321',
        email: 'lina@example.com',
      })
    ).json().data;
    const asAgent = (await agent.get(`/api/v1/customers/${c.id}`)).json().data;
    expect(asAgent).toMatchObject({
      phone: '139****4321',
      email: 'l***@example.com',
      masked: true,
    });
    const qa = await t.as('qa_inspector');
    expect((await qa.get(`/api/v1/customers/${c.id}`)).json().data.phone).toBe('139****4321');
    for (const lead of [supervisor, admin]) {
      expect((await lead.get(`/api/v1/customers/${c.id}`)).json().data).toMatchObject({
        phone: '13987654321',
        email: 'lina@example.com',
        masked: false,
      });
    }
    const list = (await agent.get('/api/v1/customers?phone=139876')).json().data;
    expect(list).toEqual([expect.objectContaining({ id: c.id, phone: '139****4321' })]);
  });

  it('audits reads of personal data, one line per read or list', async () => {
    const c = (
      await agent.post('/api/v1/customers', { name: '审计对象', phone: '13600000001' })
    ).json().data;
    await agent.get(`/api/v1/customers/${c.id}`);
    const reads = (
      await admin.get(`/api/v1/audit-events?action=customer.read&targetId=${c.id}`)
    ).json().data;
    expect(reads[0].actorId).toBe(agent.user.id);
    // A list is one `customer.list` line: how many were shown and by which filters, not the
    // searched text (a phone or an email is personal data too).
    const lists = async () =>
      (await admin.get(`/api/v1/audit-events?action=customer.list&actorId=${agent.user.id}`)).json()
        .data as { targetId: string | null; diff: unknown }[];
    const before = (await lists()).length;
    await agent.get('/api/v1/customers?q=审计');
    const afterList = await lists();
    expect(afterList).toHaveLength(before + 1);
    expect(afterList.every((e) => e.targetId === null)).toBe(true);
    expect(afterList.map((e) => e.diff)).toContainEqual({
      count: { from: null, to: 1 },
      filters: { from: null, to: 'q' },
    });
    expect(JSON.stringify(afterList)).not.toContain('审计');
    await agent.get('/api/v1/customers/match?phone=13600000001');
    const afterMatch = await lists();
    expect(afterMatch).toHaveLength(before + 2);
    expect(JSON.stringify(afterMatch)).not.toContain('13600000001');
    const created = (
      await admin.get(`/api/v1/audit-events?action=customer.create&targetId=${c.id}`)
    ).json().data;
    expect(created[0].diff.phone).toEqual({ from: null, to: '13600000001' });
  });

  it('an agent saving a form with masked values leaves the contacts unchanged', async () => {
    const c = (
      await supervisor.post('/api/v1/customers', {
        name: '赵敏',
        phone: '13711112222',
        email: 'zhaomin@example.com',
      })
    ).json().data;
    const shown = (await agent.get(`/api/v1/customers/${c.id}`)).json().data;
    const res = await agent.patch(`/api/v1/customers/${c.id}`, {
      name: '赵敏（老客户）',
      phone: shown.phone,
      email: shown.email,
      notes: '偏好电话联系',
    });
    expect(res.statusCode).toBe(200);
    const full = (await supervisor.get(`/api/v1/customers/${c.id}`)).json().data;
    expect(full).toMatchObject({
      name: '赵敏（老客户）',
      phone: '13711112222',
      email: 'zhaomin@example.com',
      notes: '偏好电话联系',
    });
    const cleared = await supervisor.patch(`/api/v1/customers/${c.id}`, { email: null });
    expect(cleared.json().data.email).toBeNull();
    const audit = (
      await admin.get(`/api/v1/audit-events?action=customer.update&targetId=${c.id}`)
    ).json().data;
    expect(audit[0].diff.email).toEqual({ from: 'zhaomin@example.com', to: null });
  });

  it('refuses bad contacts (422 naming the field), unknown ids (404) and unknown fields (400)', async () => {
    const bad = await agent.post('/api/v1/customers', { name: 'x', phone: '12ab', email: 'nope' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['phone', 'email']);
    const missing = await agent.get('/api/v1/customers/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    const unknown = await agent.post('/api/v1/customers', { name: 'x', shoeSize: 42 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('shoeSize');
  });

  it('searches by text and exact email, pages with a cursor', async () => {
    for (let i = 0; i < 3; i++) {
      await agent.post('/api/v1/customers', {
        name: `分页客户${i}`,
        organisation: '杭州分页科技',
        email: `page${i}@example.com`,
      });
      t.clock.advance(1000);
    }
    const first = (await agent.get('/api/v1/customers?q=杭州分页&limit=2')).json();
    expect(first.data).toHaveLength(2);
    expect(first.data[0].name).toBe('分页客户2'); // newest first
    const second = (
      await agent.get(`/api/v1/customers?q=杭州分页&limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(second.data.map((c: { name: string }) => c.name)).toEqual(['分页客户0']);
    expect(second.nextCursor).toBeNull();
    const exact = (await agent.get('/api/v1/customers?email=PAGE1@example.com')).json().data;
    expect(exact.map((c: { name: string }) => c.name)).toEqual(['分页客户1']);
  });

  it('customers (the role) never reach these routes', async () => {
    const customer = await t.as('customer');
    expect((await customer.get('/api/v1/customers')).statusCode).toBe(403);
  });
});

describe('known customers while typing, and merging duplicates', () => {
  it('matches the whole number in any form (+86, spaces) or the email, masked for agents', async () => {
    const known = (
      await supervisor.post('/api/v1/customers', {
        name: '赵敏',
        phone: '13955556666',
        email: 'zhao.min@example.com',
      })
    ).json().data;
    for (const phone of ['139 5555 6666', '+86 139-5555-6666', '8613955556666']) {
      const res = await agent.get(`/api/v1/customers/match?phone=${encodeURIComponent(phone)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().data.map((c: { id: string }) => c.id)).toEqual([known.id]);
      expect(res.json().data[0]).toMatchObject({ phone: '139****6666', masked: true });
    }
    // A prefix is not a match (that is the list's look-up), nor is another number.
    expect((await agent.get('/api/v1/customers/match?phone=1395555')).json().data).toEqual([]);
    expect(
      (await agent.get('/api/v1/customers/match?email=Zhao.Min@Example.com')).json().data[0].id,
    ).toBe(known.id);
  });

  it('merges a duplicate: tickets and contacts move, the duplicate stays as a record, audited', async () => {
    const kept = (
      await agent.post('/api/v1/customers', { name: '钱多多', phone: '13677778888' })
    ).json().data;
    const dup = (
      await agent.post('/api/v1/customers', {
        name: '钱多多（重复）',
        email: 'qian@example.com',
        phone: '+8613677778888',
      })
    ).json().data;
    const ticket = (
      await agent.post('/api/v1/tickets', {
        channel: 'phone',
        category: 'consultation',
        subject: '重复客户的工单',
        description: '来电咨询',
        customerId: dup.id,
      })
    ).json().data;

    // Agents may not merge; supervisors and admins may.
    expect(
      (await agent.post(`/api/v1/customers/${dup.id}/merge`, { intoId: kept.id })).statusCode,
    ).toBe(403);
    expect(
      (await supervisor.post(`/api/v1/customers/${dup.id}/merge`, { intoId: dup.id })).statusCode,
    ).toBe(422);
    const res = await supervisor.post(`/api/v1/customers/${dup.id}/merge`, { intoId: kept.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      data: { id: kept.id, phone: '13677778888', email: 'qian@example.com' },
      moved: { tickets: 1, portalAccounts: 0 },
    });
    const moved = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data;
    expect(moved.customer.id).toBe(kept.id);
    // The duplicate is kept as a record pointing at the customer it was merged into …
    expect((await agent.get(`/api/v1/customers/${dup.id}`)).json().data.mergedInto).toBe(kept.id);
    // … and is no longer offered.
    const matches = (await agent.get('/api/v1/customers/match?phone=13677778888')).json().data;
    expect(matches.map((c: { id: string }) => c.id)).toEqual([kept.id]);
    expect(
      (await supervisor.post(`/api/v1/customers/${dup.id}/merge`, { intoId: kept.id })).json().code,
    ).toBe('customer_merged');
    const audit = (await admin.get('/api/v1/audit-events?action=customer.merge')).json().data;
    expect(audit[0]).toMatchObject({ targetId: kept.id });
    expect(JSON.stringify(audit[0].diff)).toContain(dup.id);
    expect(JSON.stringify(audit[0].diff)).toContain(ticket.id);
  });

  it('the kept customer prefers email when either of the two did', async () => {
    const merge = async (keptPrefers: boolean, dupPrefers: boolean) => {
      const kept = (
        await agent.post('/api/v1/customers', { name: '偏好保留', prefersEmail: keptPrefers })
      ).json().data;
      const dup = (
        await agent.post('/api/v1/customers', { name: '偏好重复', prefersEmail: dupPrefers })
      ).json().data;
      const res = await supervisor.post(`/api/v1/customers/${dup.id}/merge`, { intoId: kept.id });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data.prefersEmail as boolean;
    };
    expect(await merge(false, true)).toBe(true);
    expect(await merge(true, false)).toBe(true);
    expect(await merge(false, false)).toBe(false);
  });
});
