import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { archiveClosedTickets, autoCloseUnconfirmed } from './automation.js';
import { registerTicket, walk, type TicketJson } from './test-support.js';

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

describe('automation (scheduling is not ours; the functions are)', () => {
  it('auto-closes resolutions without reply after N days, recorded as such; skips unvisited complaints', async () => {
    const plain = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    const complaint = await walk(
      agent,
      await registerTicket(agent, { category: 'complaint' }),
      'accepted',
      'resolved',
    );
    await advance(6 * DAY);
    expect(await autoCloseUnconfirmed(t.database.db, t.clock, 7)).not.toContain(plain.id);
    await advance(DAY);
    const closedIds = await autoCloseUnconfirmed(t.database.db, t.clock);
    expect(closedIds).toContain(plain.id);
    expect(closedIds).not.toContain(complaint.id);
    const closed = await get(agent, plain.id);
    expect(closed).toMatchObject({ status: 'closed', closeKind: 'auto_no_reply' });
    const last = (await agent.get(`/api/v1/tickets/${plain.id}/timeline`)).json().data.at(-1);
    expect(last).toMatchObject({
      kind: 'status',
      actor: null,
      data: { by: 'system', closeKind: 'auto_no_reply' },
    });
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.transition&targetId=${plain.id}`)
    ).json().data[0];
    expect(audit).toMatchObject({ actorId: null, actorName: 'system' });
    expect((await get(agent, complaint.id)).status).toBe('resolved');
    // The admin setting drives the default.
    const settings = await admin.patch('/api/v1/ticket-settings', { autoCloseDays: 3 });
    expect(settings.json().data.autoCloseDays).toBe(3);
    const quick = await walk(agent, await registerTicket(agent), 'accepted', 'resolved');
    await advance(3 * DAY);
    expect(await autoCloseUnconfirmed(t.database.db, t.clock)).toEqual([quick.id]);
    await admin.patch('/api/v1/ticket-settings', { autoCloseDays: 7 });
  });

  it('archives tickets closed long enough ago, except open follow-ups', async () => {
    const closed = await walk(agent, await registerTicket(agent), 'accepted', 'resolved', {
      to: 'closed',
      customerConfirmed: true,
    });
    const pending = await walk(agent, await registerTicket(agent), 'accepted', 'in_progress', {
      to: 'closed',
      reason: 'r',
      followUp: { plan: 'p', dueAt: new Date(t.clock.now().getTime() + DAY).toISOString() },
    });
    await advance(30 * DAY);
    const archived = await archiveClosedTickets(t.database.db, t.clock);
    expect(archived).toContain(closed.id);
    expect(archived).not.toContain(pending.id);
    expect((await get(agent, closed.id)).status).toBe('archived');
  });

  it('settings are validated and audited; only admins change them', async () => {
    expect((await agent.get('/api/v1/ticket-settings')).json().data).toMatchObject({
      autoCloseDays: 7,
      reopenWindowDays: 15,
      archiveAfterDays: 30,
      timeZone: 'Asia/Shanghai',
      editable: false,
    });
    expect(
      (await supervisor.patch('/api/v1/ticket-settings', { autoCloseDays: 2 })).statusCode,
    ).toBe(403);
    const bad = await admin.patch('/api/v1/ticket-settings', { timeZone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(422);
    const short = await admin.patch('/api/v1/ticket-settings', { archiveAfterDays: 5 });
    expect(short.json().errors[0].path).toBe('archiveAfterDays');
    const audit = (await admin.get('/api/v1/audit-events?action=ticket_settings.update')).json()
      .data;
    expect(audit.length).toBeGreaterThan(0);
  });
});

describe('guest look-up (portal)', () => {
  it('number + phone or email → summary and public timeline only; anything else 404', async () => {
    const ticket = await registerTicket(agent, {
      customer: { name: '吴女士', phone: '13798765432', email: 'wu@example.com' },
    });
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '内部备注',
      visibility: 'internal',
    });
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '您好，已为您登记',
      visibility: 'public',
    });
    for (const contact of ['13798765432', '137 9876 5432', '+8613798765432', 'WU@example.com']) {
      const res = await t.anonymous.post('/api/v1/portal/lookup', {
        number: ticket.number.toLowerCase(),
        contact,
      });
      expect(res.statusCode, contact).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({ number: ticket.number, status: 'new' });
      expect(data.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'reply']);
      expect(JSON.stringify(data)).not.toContain('内部备注');
    }
    const wrong = await t.anonymous.post('/api/v1/portal/lookup', {
      number: ticket.number,
      contact: '13700000000',
    });
    const unknown = await t.anonymous.post('/api/v1/portal/lookup', {
      number: 'KF-2026-999999',
      contact: '13798765432',
    });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('public endpoints are rate-limited', async () => {
    const limited = await createTestContext({ KEFU_PUBLIC_RATE_PER_MINUTE: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          (
            await limited.anonymous.post('/api/v1/portal/lookup', {
              number: 'KF-2026-000001',
              contact: 'x',
            })
          ).statusCode,
        );
      expect(codes).toEqual([404, 404, 429]);
    } finally {
      await limited.close();
    }
  });
});
