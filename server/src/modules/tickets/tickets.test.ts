import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ifMatch, registerTicket, walk } from './test-support.js';

let t: TestContext;
let agent: TestClient & { user: { id: string; name: string } };
let supervisor: TestClient & { user: { id: string } };
let admin: TestClient;
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
});
afterAll(() => t.close());

describe('registration (受理登记)', () => {
  it('registers a ticket: number, receiving agent = owner, timeline, audit, ETag', async () => {
    const res = await agent.post('/api/v1/tickets', {
      channel: 'chat',
      category: 'product_use',
      subject: '打印机无法连接 Wi-Fi',
      description: '按说明书操作后仍然无法连接',
      customer: { name: '陈女士', email: 'chen@example.com' },
      tags: ['打印机', '打印机'],
    });
    expect(res.statusCode).toBe(201);
    const ticket = res.json().data;
    expect(ticket).toMatchObject({
      number: 'KF-2026-000001',
      status: 'new',
      tier: 'L1',
      priority: 'general',
      greenChannel: false,
      tags: ['打印机'],
      version: 1,
      owner: { id: agent.user.id, name: agent.user.name },
      receivingAgent: { id: agent.user.id },
      registeredBy: { id: agent.user.id },
      team: null,
      handler: null,
      registration: { complete: true, missing: [] },
      allowedTransitions: ['accepted'],
      customer: { name: '陈女士', tier: 'regular' },
      receivedAt: t.clock.now().toISOString(),
    });
    expect(res.headers.etag).toBe('"1"');
    const got = await agent.get(`/api/v1/tickets/${ticket.id}`);
    expect(got.headers.etag).toBe('"1"');
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    expect(timeline).toEqual([
      expect.objectContaining({
        kind: 'created',
        visibility: 'public',
        actor: { id: agent.user.id, name: agent.user.name },
        data: expect.objectContaining({ number: 'KF-2026-000001', channel: 'chat' }),
      }),
    ]);
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.create&targetId=${ticket.id}`)
    ).json().data;
    expect(audit[0].diff.subject.to).toBe('打印机无法连接 Wi-Fi');
    const second = await registerTicket(agent);
    expect(second.number).toBe('KF-2026-000002');
  });

  it('numbers follow the year in the workspace time zone (Beijing)', async () => {
    const saved = t.clock.now();
    t.clock.set('2026-12-31T17:00:00Z'); // 01:00 on 1 January 2027 in Beijing
    const lateShift = await t.as('agent'); // other sessions would expire at that hour
    const ticket = await registerTicket(lateShift);
    expect(ticket.number).toBe('KF-2027-000001');
    t.clock.set(saved);
  });

  it('complaint ⇒ L3 green channel, and every supervisor is notified', async () => {
    const other = await t.as('supervisor');
    const ticket = await registerTicket(agent, {
      channel: 'walk_in',
      category: 'complaint',
      subject: '投诉：维修人员态度恶劣',
    });
    expect(ticket).toMatchObject({ tier: 'L3', greenChannel: true });
    for (const s of [supervisor, other]) {
      const notes = (await s.get('/api/v1/notifications')).json();
      expect(notes.unreadCount).toBeGreaterThan(0);
      const note = notes.data.find((n: { ticketId: string }) => n.ticketId === ticket.id);
      expect(note).toMatchObject({ kind: 'ticket.green_channel', readAt: null });
      expect(note.title).toContain(ticket.number);
    }
    expect((await agent.get('/api/v1/notifications')).json().data).toEqual([]);
    const note = (await other.get('/api/v1/notifications')).json().data[0];
    const read = await other.post(`/api/v1/notifications/${note.id}/read`);
    expect(read.json().data.readAt).toBe(t.clock.now().toISOString());
    expect((await other.get('/api/v1/notifications?unread=true')).json().data).toEqual([]);
    // Someone else's notification is not yours to read.
    expect((await supervisor.post(`/api/v1/notifications/${note.id}/read`)).statusCode).toBe(404);
    const explicit = await registerTicket(agent, { category: 'complaint', tier: 'L2' });
    expect(explicit).toMatchObject({ tier: 'L2', greenChannel: false });
    const afterSales = await registerTicket(agent, { category: 'after_sales' });
    expect(afterSales.tier).toBe('L2'); // the category's configured default
  });

  it('raising a ticket to L3 later also escalates and notifies', async () => {
    const ticket = await registerTicket(agent);
    const before = (await supervisor.get('/api/v1/notifications')).json().data.length;
    const res = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { category: 'complaint' },
      ifMatch(ticket),
    );
    expect(res.json().data).toMatchObject({
      category: 'complaint',
      tier: 'L3',
      greenChannel: true,
    });
    expect((await supervisor.get('/api/v1/notifications')).json().data.length).toBe(before + 1);
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    // The category change, the SLA policy switch it causes (instant → complaint), the tier.
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'field',
      'field',
      'tier',
    ]);
    expect(timeline[2].data.sla).toMatchObject({ from: 'instant', to: 'complaint' });
  });

  it('phone and walk-in entries may carry a past received time, recorded with who and when', async () => {
    const past = new Date(t.clock.now().getTime() - 3 * 3_600_000).toISOString();
    const ticket = await registerTicket(agent, { channel: 'walk_in', receivedAt: past });
    expect(ticket.receivedAt).toBe(past);
    expect(ticket.registeredAt).toBe(t.clock.now().toISOString());
    const created = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data[0];
    expect(created.data).toMatchObject({
      backdated: true,
      enteredBy: { id: agent.user.id },
      enteredAt: t.clock.now().toISOString(),
    });
    const chat = await agent.post('/api/v1/tickets', {
      channel: 'chat',
      category: 'consultation',
      subject: 'x',
      customer: { name: 'y' },
      receivedAt: past,
    });
    expect(chat.statusCode).toBe(422);
    expect(chat.json().errors[0].path).toBe('receivedAt');
    const future = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const ahead = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'consultation',
      subject: 'x',
      customer: { name: 'y' },
      receivedAt: future,
    });
    expect(ahead.json().errors[0]).toEqual({
      path: 'receivedAt',
      message: 'must not be in the future',
    });
  });

  it('refuses unknown customers (404 naming the field), categories (422), and writes nothing', async () => {
    const countBefore = (await agent.get('/api/v1/tickets/counts')).json().data.all;
    const unknownCustomer = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'consultation',
      subject: 'x',
      customerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownCustomer.statusCode).toBe(404);
    expect(unknownCustomer.json().errors[0].path).toBe('customerId');
    const badCategory = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'astrology',
      subject: 'x',
      customer: { name: '不应写入的客户', phone: '13000000000' },
    });
    expect(badCategory.statusCode).toBe(422);
    expect(badCategory.json().errors[0].path).toBe('category');
    const noCustomer = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'consultation',
      subject: 'x',
    });
    expect(noCustomer.statusCode).toBe(422);
    expect((await agent.get('/api/v1/tickets/counts')).json().data.all).toBe(countBefore);
    const leaked = (await supervisor.get('/api/v1/customers?q=不应写入')).json().data;
    expect(leaked).toEqual([]);
  });

  it('an inline new customer answers de-duplication hints', async () => {
    const existing = (
      await agent.post('/api/v1/customers', { name: '孙老板', phone: '13511112222' })
    ).json().data;
    const res = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'consultation',
      subject: '再次来电',
      description: '询问发票',
      customer: { name: '孙总', phone: '135 1111 2222' },
    });
    expect(res.json().duplicates).toEqual([{ id: existing.id, name: '孙老板' }]);
  });

  it('Idempotency-Key: a retried registration creates one ticket', async () => {
    const body = {
      channel: 'phone',
      category: 'consultation',
      subject: '重复提交',
      customer: { name: '钱先生', phone: '13322223333' },
    };
    const headers = { 'idempotency-key': 'ticket-form-0001' };
    const a = await agent.post('/api/v1/tickets', body, headers);
    const b = await agent.post('/api/v1/tickets', body, headers);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().data.id).toBe(a.json().data.id);
  });
});

describe('register first, then handle (先登记、后处理)', () => {
  it('a ticket without a way to contact the customer or content cannot move past new', async () => {
    const ticket = await registerTicket(agent, {
      description: '',
      customer: { name: '无名氏' },
    });
    expect(ticket.registration).toEqual({
      complete: false,
      missing: ['customer.contact', 'description'],
    });
    expect(ticket.allowedTransitions).toEqual([]);
    const res = await agent.post(
      `/api/v1/tickets/${ticket.id}/transitions`,
      { to: 'accepted' },
      ifMatch(ticket),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'registration_incomplete',
      errors: [{ path: 'customer.contact' }, { path: 'description' }],
    });
    // Complete the registration, then accept.
    await agent.patch(`/api/v1/customers/${ticket.customer.id}`, { phone: '13844445555' });
    const patched = (
      await agent.patch(
        `/api/v1/tickets/${ticket.id}`,
        { description: '来电反映快递未送达' },
        ifMatch(ticket),
      )
    ).json().data;
    expect(patched.registration.complete).toBe(true);
    const accepted = await walk(agent, patched, 'accepted');
    expect(accepted).toMatchObject({ status: 'accepted', acceptedAt: t.clock.now().toISOString() });
  });
});

describe('optimistic concurrency', () => {
  it('a stale If-Match (or body version) gets 412 stale_version and changes nothing', async () => {
    const ticket = await registerTicket(agent);
    const first = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { priority: 'urgent' },
      ifMatch(ticket),
    );
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await supervisor.patch(
      `/api/v1/tickets/${ticket.id}`,
      { priority: 'general', subject: '被覆盖' },
      ifMatch(ticket),
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'stale_version', currentVersion: 2 });
    const staleBody = await supervisor.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      to: 'accepted',
      version: 1,
    });
    expect(staleBody.statusCode).toBe(412);
    const now = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data;
    expect(now).toMatchObject({ priority: 'urgent', status: 'new', version: 2 });
    expect(
      (
        await agent.patch(
          `/api/v1/tickets/${ticket.id}`,
          { tags: ['x'] },
          { 'if-match': 'garbage' },
        )
      ).statusCode,
    ).toBe(400);
    // Without If-Match the write applies to the current version.
    expect((await agent.patch(`/api/v1/tickets/${ticket.id}`, { tags: ['x'] })).statusCode).toBe(
      200,
    );
  });

  it('an edit that changes nothing keeps the version', async () => {
    const ticket = await registerTicket(agent, { priority: 'important' });
    const res = await agent.patch(`/api/v1/tickets/${ticket.id}`, { priority: 'important' });
    expect(res.json().data.version).toBe(1);
  });

  it('numbers stay unique and gap-free under concurrent registrations', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        agent.post('/api/v1/tickets', {
          channel: 'api',
          category: 'consultation',
          subject: `并发 ${i}`,
          description: 'x',
          customer: { name: `并发客户${i}`, phone: `1370000${String(1000 + i)}` },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    const numbers = results
      .map((r) => Number(r.json().data.number.slice(-6)))
      .sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers[11]! - numbers[0]!).toBe(11);
  });
});

describe('the timeline', () => {
  it('replies and notes, in order; the first public reply is the first response', async () => {
    const ticket = await registerTicket(agent);
    const note = await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '客户语气急，注意安抚',
      visibility: 'internal',
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().data).toMatchObject({ kind: 'note', visibility: 'internal' });
    t.clock.advance(60_000);
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '您好，您的问题我们已经记录，会尽快处理。',
      visibility: 'public',
    });
    expect(reply.json().data).toMatchObject({ kind: 'reply', visibility: 'public' });
    const got = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data;
    expect(got.firstResponseAt).toBe(t.clock.now().toISOString());
    expect(got.version).toBe(1); // replies do not make the caller's copy stale
    const entries = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    expect(entries.map((e: { kind: string }) => e.kind)).toEqual(['created', 'note', 'reply']);
    const publicOnly = (
      await agent.get(`/api/v1/tickets/${ticket.id}/timeline?visibility=public`)
    ).json().data;
    expect(publicOnly.map((e: { kind: string }) => e.kind)).toEqual(['created', 'reply']);
    const paged = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline?limit=2`)).json();
    expect(paged.data).toHaveLength(2);
    const rest = (
      await agent.get(`/api/v1/tickets/${ticket.id}/timeline?limit=2&cursor=${paged.nextCursor}`)
    ).json();
    expect(rest.data.map((e: { kind: string }) => e.kind)).toEqual(['reply']);
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.reply&targetId=${ticket.id}`)
    ).json().data;
    expect(audit).toHaveLength(1);
  });

  it('is immutable: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const ticket = await registerTicket(agent);
    const db = t.database.db;
    await expect(
      db.execute(sql`UPDATE ticket_events SET body = 'rewritten' WHERE ticket_id = ${ticket.id}`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`DELETE FROM ticket_events WHERE ticket_id = ${ticket.id}`),
    ).rejects.toThrow();
    await expect(db.execute(sql`TRUNCATE ticket_events CASCADE`)).rejects.toThrow();
    const rows = rowsOf<{ n: number }>(
      await db.execute(
        sql`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ${ticket.id}`,
      ),
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('every state change writes the timeline and the audit log together', async () => {
    const ticket = await registerTicket(agent);
    await walk(agent, ticket, 'accepted', 'in_progress');
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    const status = timeline.filter((e: { kind: string }) => e.kind === 'status');
    expect(status.map((e: { data: { to: string } }) => e.data.to)).toEqual([
      'accepted',
      'in_progress',
    ]);
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.transition&targetId=${ticket.id}`)
    ).json().data;
    expect(audit.map((e: { diff: { status: { to: string } } }) => e.diff.status.to)).toEqual([
      'in_progress',
      'accepted',
    ]);
  });
});
