import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket } from '../tickets/test-support.js';
import { signBody } from './rules/signature.js';
import { CtiSimulator, type Sender } from './simulator.js';

const SECRET = 'test-secret-0123456789abcdef';
let t: TestContext;
type Client = TestClient & { user: { id: string; email: string } };
let agent: Client;
let supervisor: Client;
let admin: Client;
let sim: CtiSimulator;
let n = 0;
const phone = () => `1391234${String(1000 + ++n).slice(-4)}`;

beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
  const send: Sender = async (path, headers, body) => {
    const res = await t.app.inject({ method: 'POST', url: path, headers, payload: body });
    return { status: res.statusCode, body: res.body };
  };
  sim = new CtiSimulator({ send, provider: 'sim', secret: SECRET, now: () => t.clock.now() });
  const res = await admin.patch('/api/v1/call-settings', {
    providers: [{ key: 'sim', name: '模拟器', secret: SECRET }],
  });
  expect(res.statusCode).toBe(200);
});
afterAll(() => t.close());

const callById = async (id: string, as: TestClient = supervisor) =>
  (await as.get(`/api/v1/calls/${id}`)).json().data;
const callIdOf = async (externalId: string) =>
  rowsOf<{ id: string }>(
    await t.database.db.execute(sql`SELECT id FROM calls WHERE external_id = ${externalId}`),
  )[0]!.id;

describe('settings', () => {
  it('hides secrets, keeps them when omitted, needs one for a new provider', async () => {
    const got = (await supervisor.get('/api/v1/call-settings')).json().data;
    expect(got.providers).toEqual([{ key: 'sim', name: '模拟器', secretSet: true, dial: null }]);
    expect(JSON.stringify(got)).not.toContain(SECRET);
    expect(got.callbackDueMinutes).toBe(120);
    expect(got.peakWindows).toHaveLength(2);
    const renamed = await admin.patch('/api/v1/call-settings', {
      providers: [{ key: 'sim', name: '模拟 CTI' }],
    });
    expect(renamed.json().data.providers[0]).toMatchObject({ name: '模拟 CTI', secretSet: true });
    const missing = await admin.patch('/api/v1/call-settings', {
      providers: [
        { key: 'sim', name: 'x' },
        { key: 'other', name: 'y' },
      ],
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].path).toBe('providers.1.secret');
  });

  it('refuses bad peak windows and non-admins', async () => {
    const bad = await admin.patch('/api/v1/call-settings', {
      peakWindows: [{ start: '11:00', end: '09:00' }],
    });
    expect(bad.statusCode).toBe(422);
    expect(
      (await supervisor.patch('/api/v1/call-settings', { callbackDueMinutes: 5 })).statusCode,
    ).toBe(403);
    expect((await agent.get('/api/v1/call-settings')).statusCode).toBe(403);
  });
});

describe('the signed webhook', () => {
  const url = '/api/v1/cti/sim/events';
  const body = () =>
    JSON.stringify({
      eventId: `raw-${++n}`,
      callId: `raw-call-${n}`,
      type: 'ringing',
      occurredAt: t.clock.now().toISOString(),
      callerNumber: '13900001111',
    });
  const post = (payload: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const ts = () => String(Math.floor(t.clock.now().getTime() / 1000));

  it('accepts a correct signature', async () => {
    const b = body();
    const res = await post(b, {
      'x-kefu-timestamp': ts(),
      'x-kefu-signature': signBody(SECRET, ts(), b),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ state: 'ringing', duplicate: false });
  });

  it('refuses unsigned, wrongly signed, stale and unknown-provider requests with 401', async () => {
    const b = body();
    expect((await post(b, {})).statusCode).toBe(401);
    expect(
      (await post(b, { 'x-kefu-timestamp': ts(), 'x-kefu-signature': signBody('nope', ts(), b) }))
        .statusCode,
    ).toBe(401);
    const old = String(Number(ts()) - 301);
    const stale = await post(b, {
      'x-kefu-timestamp': old,
      'x-kefu-signature': signBody(SECRET, old, b),
    });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().detail).toMatch(/replay window/);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cti/unknown/events',
      payload: b,
      headers: {
        'content-type': 'application/json',
        'x-kefu-timestamp': ts(),
        'x-kefu-signature': signBody(SECRET, ts(), b),
      },
    });
    expect(other.statusCode).toBe(401);
    // Signed but not an event: 400 with the field.
    const junk = JSON.stringify({ eventId: 'x' });
    const res = await post(junk, {
      'x-kefu-timestamp': ts(),
      'x-kefu-signature': signBody(SECRET, ts(), junk),
    });
    expect(res.statusCode).toBe(400);
    const notJson = '{nope';
    expect(
      (
        await post(notJson, {
          'x-kefu-timestamp': ts(),
          'x-kefu-signature': signBody(SECRET, ts(), notJson),
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('screen pop and registering the call', () => {
  it('a call ringing at an agent pops the customer and open tickets; one click registers it', async () => {
    const number = phone();
    const existing = await registerTicket(agent, {
      customer: { name: '王女士', phone: number },
    });
    const callId = await sim.call({
      callerNumber: number,
      agent: agent.user.email,
      outcome: 'ringing',
    });
    const id = await callIdOf(callId);
    // The agent is told live (a notification on the SSE stream) and sees the call ringing.
    const told = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, agent.user.id));
    expect(told.some((x) => x.kind === 'call.ringing' && x.title.includes('****'))).toBe(true);
    const ringing = (await agent.get('/api/v1/calls/ringing')).json().data;
    expect(ringing.map((c: { id: string }) => c.id)).toContain(id);
    expect(ringing[0].callerNumber).toContain('****');

    const pop = (await agent.get(`/api/v1/calls/${id}/screen-pop`)).json().data;
    expect(pop.customers[0]).toMatchObject({ name: '王女士', masked: true });
    expect(pop.customers[0].phone).toContain('****');
    expect(pop.openTickets.map((x: { id: string }) => x.id)).toContain(existing.id);
    const popSup = (await supervisor.get(`/api/v1/calls/${id}/screen-pop`)).json().data;
    expect(popSup.customers[0].phone).toBe(number);

    const ringAt = pop.call.ringAt;
    t.clock.advance(20_000);
    const reg = await agent.post(`/api/v1/calls/${id}/ticket`, {});
    expect(reg.statusCode).toBe(201);
    const ticket = (await agent.get(`/api/v1/tickets/${reg.json().data.id}`)).json().data;
    expect(ticket).toMatchObject({ channel: 'phone', receivedAt: ringAt });
    expect(ticket.customer.name).toBe('王女士');
    expect(ticket.owner.id).toBe(agent.user.id);
    const again = await agent.post(`/api/v1/calls/${id}/ticket`, {});
    expect(again.statusCode).toBe(409);
    // The call shows on the ticket and the customer.
    const onTicket = (await agent.get(`/api/v1/calls?ticketId=${ticket.id}`)).json().data;
    expect(onTicket.map((c: { id: string }) => c.id)).toEqual([id]);
    const onCustomer = (await agent.get(`/api/v1/calls?customerId=${ticket.customer.id}`)).json()
      .data;
    expect(onCustomer.map((c: { id: string }) => c.id)).toContain(id);
  });

  it('an unknown number registers a new customer with that phone', async () => {
    const number = phone();
    const callId = await sim.call({
      callerNumber: number,
      agent: agent.user.id,
      outcome: 'ringing',
    });
    const id = await callIdOf(callId);
    const pop = (await agent.get(`/api/v1/calls/${id}/screen-pop`)).json().data;
    expect(pop.customers).toEqual([]);
    const reg = await agent.post(`/api/v1/calls/${id}/ticket`, { customerName: '新客户' });
    expect(reg.statusCode).toBe(201);
    const call = await callById(id);
    expect(call.customer.name).toBe('新客户');
    expect(call.callerNumber).toBe(number);
    expect((await agent.post(`/api/v1/calls/${crypto.randomUUID()}/ticket`, {})).statusCode).toBe(
      404,
    );
  });
});

describe('duplicates and out-of-order events', () => {
  it('a repeated event id is a duplicate and changes nothing', async () => {
    const callId = `dup-${++n}`;
    const e = {
      callId,
      callerNumber: phone(),
      type: 'ringing' as const,
      agent: agent.user.email,
      eventId: `dup-e-${n}`,
    };
    const first = await sim.post(e);
    const second = await sim.post({ ...e, type: 'ended' });
    expect(first.json).toMatchObject({ data: { duplicate: false, state: 'ringing' } });
    expect(second.json).toMatchObject({ data: { duplicate: true, state: 'ringing' } });
  });

  it('events delivered backwards fold to the same call', async () => {
    const callId = `ooo-${++n}`;
    const t0 = t.clock.now().getTime();
    const base = { callId, callerNumber: phone() };
    await sim.post({
      ...base,
      type: 'ended',
      occurredAt: new Date(t0 + 90_000),
      recordingUrl: 'https://rec.example.com/x.mp3',
    });
    await sim.post({
      ...base,
      type: 'answered',
      agent: agent.user.email,
      occurredAt: new Date(t0 + 6_000),
    });
    await sim.post({ ...base, type: 'ringing', agent: agent.user.email, occurredAt: new Date(t0) });
    const call = await callById(await callIdOf(callId));
    expect(call).toMatchObject({
      state: 'completed',
      answerMs: 6_000,
      ringAt: new Date(t0).toISOString(),
      recordingUrl: 'https://rec.example.com/x.mp3',
    });
    // The end arrived first and made it a missed call for a moment: its task is cancelled.
    expect(call.callback.status).toBe('cancelled');
    expect(call.agent.id).toBe(agent.user.id);
  });
});

describe('missed calls and call-back tasks', () => {
  it('a missed call becomes a call-back task due in business time; an attempt completes it', async () => {
    const callId = await sim.call({
      callerNumber: phone(),
      agent: agent.user.email,
      outcome: 'missed',
    });
    const call = await callById(await callIdOf(callId));
    expect(call.state).toBe('missed');
    expect(call.callback.status).toBe('open');
    expect(new Date(call.callback.dueAt).getTime()).toBeGreaterThan(
      new Date(call.endedAt).getTime(),
    );
    const list = (await agent.get('/api/v1/call-callbacks?mine=true')).json().data;
    const task = list.find((c: { call: { id: string } }) => c.call.id === call.id);
    expect(task).toMatchObject({ status: 'open', overdue: false });
    expect(task.call.callerNumber).toContain('****');
    const done = await agent.post(`/api/v1/call-callbacks/${task.id}/attempt`, {
      outcome: 'reached',
      note: '已回电',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().data).toMatchObject({ status: 'done', outcome: 'reached' });
    expect(done.json().data.attemptedBy.id).toBe(agent.user.id);
    expect(
      (await agent.post(`/api/v1/call-callbacks/${task.id}/attempt`, { outcome: 'reached' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await agent.post(`/api/v1/call-callbacks/${task.id}/attempt`, { outcome: 'maybe' }))
        .statusCode,
    ).toBe(400);
  });

  it('a late answer turns a missed call into a connected one and cancels its task', async () => {
    const callId = `late-${++n}`;
    const t0 = t.clock.now().getTime();
    const base = { callId, callerNumber: phone(), agent: agent.user.email };
    await sim.post({ ...base, type: 'ringing', occurredAt: new Date(t0) });
    await sim.post({ ...base, type: 'ended', occurredAt: new Date(t0 + 60_000) });
    const id = await callIdOf(callId);
    expect((await callById(id)).callback.status).toBe('open');
    await sim.post({ ...base, type: 'answered', occurredAt: new Date(t0 + 4_000) });
    const call = await callById(id);
    expect(call.state).toBe('completed');
    expect(call.callback.status).toBe('cancelled');
  });
});

describe('connection rate', () => {
  it('counts answered over offered, overall and at peak, with the mean answer time', async () => {
    const fresh = await t.as('agent');
    // Monday 2026-03-09 10:00 Shanghai (peak 09–11) and 12:30 (off peak).
    const peakAt = new Date('2026-03-09T02:00:00Z');
    const offAt = new Date('2026-03-09T04:30:00Z');
    t.clock.set('2026-03-09T05:00:00Z');
    for (const c of [supervisor, agent, admin]) {
      const fresh2 = await t.signIn((c as Client).user.email);
      c.cookie = fresh2.cookie;
      c.csrfToken = fresh2.csrfToken;
    }
    for (let i = 0; i < 3; i += 1)
      await sim.call({
        callerNumber: phone(),
        agent: fresh.user.email,
        outcome: 'answered',
        answerAfterMs: 10_000,
        at: new Date(peakAt.getTime() + i * 600_000),
      });
    await sim.call({
      callerNumber: phone(),
      agent: fresh.user.email,
      outcome: 'missed',
      at: new Date(peakAt.getTime() + 1_800_000),
    });
    await sim.call({
      callerNumber: phone(),
      agent: fresh.user.email,
      outcome: 'missed',
      at: offAt,
    });
    const stats = (
      await supervisor.get(
        `/api/v1/calls/stats?from=2026-03-09T00:00:00Z&to=2026-03-10T00:00:00Z&agentId=${fresh.user.id}`,
      )
    ).json().data;
    expect(stats.overall).toMatchObject({
      offered: 5,
      answered: 3,
      connectionRate: 60,
      meanAnswerMs: 10_000,
    });
    expect(stats.peak).toMatchObject({ offered: 4, answered: 3, connectionRate: 75 });
    expect(stats.windows[0]).toMatchObject({ offered: 4, window: { start: '09:00' } });
    expect(stats.windows[1]).toMatchObject({ offered: 0, connectionRate: null });
    const bad = await supervisor.get(
      '/api/v1/calls/stats?from=2026-03-10T00:00:00Z&to=2026-03-09T00:00:00Z',
    );
    expect(bad.statusCode).toBe(422);
    // The KPI engine counts the same peak calls: 3 of 4 = 75 %, under the 85 % target.
    const snap = await admin.post('/api/v1/kpi/snapshots', { month: '2026-03' });
    expect(snap.statusCode).toBeLessThan(300);
    const row = snap
      .json()
      .data.results.agents.find((a: { userId: string }) => a.userId === fresh.user.id);
    expect(row.kpis.phone_connection_rate).toMatchObject({ value: 75, status: 'below_target' });
    expect(snap.json().data.results.targets.phone_connection_rate.target).toBe(85);
  });

  it('lists with filters and masks numbers for agents only', async () => {
    const missed = (await agent.get('/api/v1/calls?state=missed&limit=2')).json();
    expect(missed.data.every((c: { state: string }) => c.state === 'missed')).toBe(true);
    expect(missed.nextCursor).toBeTruthy();
    const next = await agent.get(`/api/v1/calls?state=missed&limit=2&cursor=${missed.nextCursor}`);
    expect(next.statusCode).toBe(200);
    const sup = (await supervisor.get('/api/v1/calls?limit=1')).json().data[0];
    expect(sup.callerNumber).not.toContain('*');
    expect((await agent.get('/api/v1/calls?state=bogus')).statusCode).toBe(400);
  });
});
