// Calls and the 30 s first response of instant channels; click-to-call (issue 14).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { seedSlaDefaults } from '../sla/seed.js';
import { sweepDueClocks } from '../sla/sweep.js';
import { registerTicket } from '../tickets/test-support.js';
import { checkSignature } from './rules/signature.js';
import { CtiSimulator, type Sender } from './simulator.js';

const SECRET = 'test-secret-0123456789abcdef';
let t: TestContext;
type Client = TestClient & { user: { id: string; email: string } };
let agent: Client;
let admin: Client;
let sim: CtiSimulator;
let n = 0;
const phone = () => `1391235${String(1000 + ++n).slice(-4)}`;

// A provider's dial endpoint: records what Kefu posts, answers 202 (or 500 when told to fail).
let provider: Server;
let providerUrl = '';
let failNext = false;
const received: { headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  t = await createTestContext();
  // Monday 10:00 in Beijing: inside the default calendar's working hours.
  await seedSlaDefaults(t.database.db, t.clock.now());
  agent = await t.as('agent');
  admin = await t.as('admin');
  const send: Sender = async (path, headers, body) => {
    const res = await t.app.inject({ method: 'POST', url: path, headers, payload: body });
    return { status: res.statusCode, body: res.body };
  };
  sim = new CtiSimulator({ send, provider: 'sim', secret: SECRET, now: () => t.clock.now() });
  provider = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = failNext ? 500 : 202;
      failNext = false;
      res.end();
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/dial`;
  const res = await admin.patch('/api/v1/call-settings', {
    providers: [{ key: 'sim', name: '模拟器', secret: SECRET, dial: { kind: 'simulator' } }],
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().data.providers[0].dial).toEqual({ kind: 'simulator' });
}, 120_000);
afterAll(async () => {
  await new Promise((r) => provider.close(r));
  await t.close();
});

const callIdOf = async (externalId: string) =>
  rowsOf<{ id: string }>(
    await t.database.db.execute(sql`SELECT id FROM calls WHERE external_id = ${externalId}`),
  )[0]!.id;
const firstResponse = async (ticketId: string) =>
  rowsOf<{ state: string; breached: boolean; met_at: Date | string | null; started_at: string }>(
    await t.database.db.execute(
      sql`SELECT state, breached, met_at, started_at FROM sla_clocks
          WHERE ticket_id = ${ticketId} AND kind = 'first_response'`,
    ),
  )[0];
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

describe('calls and the 30 s first-response clock', () => {
  it('an answered call registered as a ticket: the clock ran from the ring and was met at the answer', async () => {
    const ringAt = t.clock.now();
    const callId = await sim.call({
      callerNumber: phone(),
      agent: agent.user.email,
      outcome: 'answered',
      answerAfterMs: 12_000,
      talkMs: 60_000,
      at: ringAt,
    });
    t.clock.advance(120_000);
    const id = await callIdOf(callId);
    const reg = await agent.post(`/api/v1/calls/${id}/ticket`, {});
    expect(reg.statusCode, reg.body).toBe(201);
    const clock = await firstResponse(reg.json().data.id);
    expect(clock).toMatchObject({ state: 'met', breached: false });
    expect(iso(clock!.started_at)).toBe(ringAt.toISOString());
    expect(iso(clock!.met_at)).toBe(new Date(ringAt.getTime() + 12_000).toISOString());
  });

  it('answered after 45 s: met late (breached)', async () => {
    const ringAt = t.clock.now();
    const callId = await sim.call({
      callerNumber: phone(),
      agent: agent.user.email,
      outcome: 'answered',
      answerAfterMs: 45_000,
      at: ringAt,
    });
    const reg = await agent.post(`/api/v1/calls/${await callIdOf(callId)}/ticket`, {});
    const clock = await firstResponse(reg.json().data.id);
    expect(clock).toMatchObject({ state: 'met', breached: true });
  });

  it('registered while ringing, answered later: met when the answer event arrives', async () => {
    const number = phone();
    const callId = await sim.call({
      callerNumber: number,
      agent: agent.user.email,
      outcome: 'ringing',
    });
    const reg = await agent.post(`/api/v1/calls/${await callIdOf(callId)}/ticket`, {});
    const ticketId = reg.json().data.id;
    expect((await firstResponse(ticketId))!.state).toBe('running');
    t.clock.advance(10_000);
    await sim.post({ callId, type: 'answered', callerNumber: number, agent: agent.user.email });
    expect(await firstResponse(ticketId)).toMatchObject({ state: 'met', breached: false });
  });

  it('a missed call registered as a ticket breaches at 30 s, like a chat nobody accepts', async () => {
    const callId = await sim.call({
      callerNumber: phone(),
      agent: agent.user.email,
      outcome: 'missed',
      answerAfterMs: 20_000,
    });
    const reg = await agent.post(`/api/v1/calls/${await callIdOf(callId)}/ticket`, {});
    const ticketId = reg.json().data.id;
    expect((await firstResponse(ticketId))!.state).toBe('running');
    t.clock.advance(60_000);
    await sweepDueClocks(t.database.db, t.clock.now());
    expect(await firstResponse(ticketId)).toMatchObject({ state: 'breached', breached: true });
  });
});

describe('click-to-call', () => {
  it('dials a call-back task through the simulator; the answered call completes the task', async () => {
    const number = phone();
    const missed = await sim.call({
      callerNumber: number,
      agent: agent.user.email,
      outcome: 'missed',
    });
    const missedId = await callIdOf(missed);
    const tasks = (await agent.get('/api/v1/call-callbacks?mine=true')).json().data;
    const task = tasks.find((c: { call: { id: string } }) => c.call.id === missedId);
    expect(task.status).toBe('open');
    const res = await agent.post('/api/v1/calls/dial', { callbackId: task.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ direction: 'outbound', state: 'completed' });
    expect(res.json().data.callerNumber).toContain('****');
    const done = (await agent.get('/api/v1/call-callbacks?status=done')).json().data;
    expect(done.find((c: { id: string }) => c.id === task.id)).toMatchObject({
      status: 'done',
      outcome: 'reached',
      attemptedBy: { id: agent.user.id },
    });
    // Audited; outbound calls pop nothing and do not count in the connection rate.
    const [audit] = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'call.dial' AND target_id = ${res.json().data.id}`,
      ),
    );
    expect(audit!.n).toBe(1);
    // A task no longer open cannot be dialled from.
    const again = await agent.post('/api/v1/calls/dial', { callbackId: task.id });
    expect(again.statusCode).toBe(409);
  });

  it('an unanswered outbound call leaves the task open and makes no new task', async () => {
    const missed = await sim.call({
      callerNumber: `13912360${String(100 + ++n).slice(-2)}0`,
      agent: agent.user.email,
      outcome: 'missed',
    });
    const missedId = await callIdOf(missed);
    const tasks = (await agent.get('/api/v1/call-callbacks?mine=true')).json().data;
    const task = tasks.find((c: { call: { id: string } }) => c.call.id === missedId);
    const res = await agent.post('/api/v1/calls/dial', { callbackId: task.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data.state).toBe('missed');
    expect(res.json().data.callback).toBeNull();
    const open = (await agent.get('/api/v1/call-callbacks?mine=true')).json().data;
    expect(open.find((c: { id: string }) => c.id === task.id)?.status).toBe('open');
  });

  it("dials a ticket's customer through the signed HTTP provider; failures are 502", async () => {
    const patched = await admin.patch('/api/v1/call-settings', {
      providers: [
        { key: 'sim', name: '模拟器', dial: null },
        {
          key: 'pbx',
          name: 'PBX',
          secret: 'pbx-secret-0123456789',
          dial: { kind: 'http', url: providerUrl },
        },
      ],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const ticket = await registerTicket(agent, { customer: { name: '李先生', phone: phone() } });
    received.length = 0;
    const res = await agent.post('/api/v1/calls/dial', { ticketId: ticket.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ direction: 'outbound', state: 'ringing' });
    expect(received).toHaveLength(1);
    const sent = JSON.parse(received[0]!.body);
    expect(sent).toMatchObject({ agent: agent.user.email, ticketNumber: ticket.number });
    expect(sent.number).toMatch(/^1391235\d{4}$/);
    expect(
      checkSignature({
        secret: 'pbx-secret-0123456789',
        timestamp: received[0]!.headers['x-kefu-timestamp'] as string,
        signature: received[0]!.headers['x-kefu-signature'] as string,
        body: received[0]!.body,
        nowMs: t.clock.now().getTime(),
        windowSeconds: 300,
      }),
    ).toBe('ok');
    // The provider reports back through the webhook with the call id Kefu gave it.
    const pbx = new CtiSimulator({
      send: async (path, headers, body) => {
        const r = await t.app.inject({ method: 'POST', url: path, headers, payload: body });
        return { status: r.statusCode, body: r.body };
      },
      provider: 'pbx',
      secret: 'pbx-secret-0123456789',
      now: () => t.clock.now(),
    });
    await pbx.post({ callId: sent.callId, type: 'answered', callerNumber: sent.number });
    const call = (await agent.get(`/api/v1/calls/${res.json().data.id}`)).json().data;
    expect(call).toMatchObject({ state: 'answered', agent: { id: agent.user.id } });
    expect(call.ticket.number).toBe(ticket.number);

    failNext = true;
    const failed = await agent.post('/api/v1/calls/dial', { ticketId: ticket.id });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().code).toBe('dial_failed');
  });

  it('refuses bad targets', async () => {
    expect((await agent.post('/api/v1/calls/dial', {})).statusCode).toBe(422);
    const ticketless = '00000000-0000-4000-8000-000000000000';
    const unknown = await agent.post('/api/v1/calls/dial', { customerId: ticketless });
    expect(unknown.statusCode).toBe(404);
    const anon = await t.anonymous.post('/api/v1/calls/dial', { customerId: ticketless });
    expect([401, 403]).toContain(anon.statusCode);
  });
});
