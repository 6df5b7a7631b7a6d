import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { sweepDueClocks, type FiredEvent } from '../sla/sweep.js';
import { timerMismatches } from '../sla/test/fixtures.js';
import {
  applyPendingSlaEscalations,
  applySlaEscalations,
  slaEscalationHooks,
} from './sla-actions.js';
import { registerTicket, type TicketJson } from './test-support.js';

let t: TestContext;
let db: Db;
let agent: TestClient & { user: { id: string; email: string } };
let admin: TestClient & { user: { email: string } };
let escalationTeam: { id: string; name: string };

const cst = (local: string) => new Date(`${local}+08:00`);

/** Moves the clock; sessions idle that long have ended, so both sign in again. */
async function setNow(local: string) {
  t.clock.set(cst(local));
  agent = Object.assign(await t.signIn(agent.user.email), { user: agent.user });
  admin = Object.assign(await t.signIn(admin.user.email), { user: admin.user });
}

beforeAll(async () => {
  t = await createTestContext(); // Monday 2026-03-02 10:00 in Shanghai
  db = t.database.db;
  agent = await t.as('agent');
  admin = await t.as('admin');
  await t.as('supervisor');
  escalationTeam = await t.buildTeam('升级处理组');
});
afterAll(() => t.close());

type Entry = {
  kind: string;
  visibility: string;
  body: string | null;
  data: Record<string, unknown>;
};
const timeline = async (id: string): Promise<Entry[]> =>
  (await agent.get(`/api/v1/tickets/${id}/timeline?limit=100`)).json().data;
const ticket = async (id: string): Promise<TicketJson & { priority: string }> =>
  (await agent.get(`/api/v1/tickets/${id}`)).json().data;
type LiveClock = {
  kind: string;
  state: string;
  dueAt: string;
  live?: {
    remainingMs: number;
    ticking: boolean;
    pausedReason: string | null;
    nextChangeAt: string | null;
  };
};
const clocks = async (id: string): Promise<Record<string, LiveClock>> =>
  Object.fromEntries(
    ((await agent.get(`/api/v1/tickets/${id}/sla`)).json().data as LiveClock[]).map((c) => [
      c.kind,
      c,
    ]),
  );

const hooks = () => slaEscalationHooks(db);
async function sweep(now: Date, seen?: FiredEvent[]) {
  const { onFired, afterSweep } = hooks();
  const result = await sweepDueClocks(db, now, 1000, {
    onFired: async (tx, events, at) => {
      seen?.push(...events);
      await onFired(tx, events, at);
    },
  });
  await afterSweep(now);
  return result;
}

describe('breach actions (the sweeper’s onFired hook)', () => {
  let ticketId: string;

  it('a policy’s breach chain may raise priority and tier and hand the ticket to a team', async () => {
    const current = (await admin.get('/api/v1/sla/policies')).json().data;
    const policies = current.policies.map((p: { key: string }) =>
      p.key === 'general'
        ? {
            ...p,
            escalation: {
              warning: { notify: ['owner'] },
              breach: {
                notify: ['owner', 'supervisors'],
                raisePriority: true,
                raiseTier: true,
                assignTeamId: escalationTeam.id,
              },
            },
          }
        : p,
    );
    const missingTeam = structuredClone(policies);
    const g = missingTeam.findIndex((p: { key: string }) => p.key === 'general');
    missingTeam[g].escalation.breach.assignTeamId = '00000000-0000-4000-8000-000000000000';
    const refused = await admin.request('PUT', '/api/v1/sla/policies', {
      policies: missingTeam,
      reason: 'escalate to a team that does not exist',
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().errors[0].path).toBe(`policies.${g}.escalation.breach.assignTeamId`);

    const saved = await admin.request('PUT', '/api/v1/sla/policies', {
      policies,
      reason: 'general enquiries escalate on breach',
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().data.policies[g].escalation.breach).toMatchObject({
      raiseTier: true,
      assignTeamId: escalationTeam.id,
    });
  });

  it('a warning goes on the timeline and changes nothing', async () => {
    await setNow('2026-03-02T10:00:00');
    ticketId = (await registerTicket(agent, { channel: 'email' })).id;
    // First response: 1 working day (7.5 h) → due Tuesday 10:00, warning at 80 % = Monday 17:30.
    expect((await clocks(ticketId)).first_response).toMatchObject({
      dueAt: cst('2026-03-03T10:00:00').toISOString(),
    });
    expect(await sweep(cst('2026-03-02T17:30:00'))).toMatchObject({ warnings: 1, breaches: 0 });
    const sla = (await timeline(ticketId)).filter((e) => e.kind === 'sla');
    expect(sla).toEqual([
      expect.objectContaining({
        visibility: 'internal',
        data: expect.objectContaining({
          event: 'warning',
          target: 'first_response',
          targetLabel: { zh: '首次响应', en: 'First response' },
          by: 'system',
        }),
      }),
    ]);
    expect((await ticket(ticketId)).priority).toBe('general');
  });

  it('a breach raises priority and tier, reassigns, audits and mails — once', async () => {
    const seen: FiredEvent[] = [];
    expect(await sweep(cst('2026-03-03T10:00:00'), seen)).toMatchObject({ breaches: 1 });
    const after = await ticket(ticketId);
    expect(after).toMatchObject({
      priority: 'important',
      tier: 'L2',
      team: { id: escalationTeam.id },
      handler: null,
    });
    const entries = await timeline(ticketId);
    const breach = entries.filter((e) => e.kind === 'sla' && e.data.event === 'breach');
    expect(breach).toHaveLength(1);
    expect(breach[0]!.data).toMatchObject({
      target: 'first_response',
      priority: { from: 'general', to: 'important' },
      tier: { from: 'L1', to: 'L2', greenChannel: false },
      team: { from: null, to: { id: escalationTeam.id, name: '升级处理组' } },
    });
    expect(entries.at(-1)).toMatchObject({
      kind: 'assignment',
      data: { by: 'system', reason: 'sla', team: { to: { id: escalationTeam.id } } },
    });
    const audit = rowsOf<{ actor_id: string | null; actor_name: string; diff: unknown }>(
      await db.execute(sql`SELECT actor_id, actor_name, diff FROM audit_events
        WHERE action = 'ticket.sla_escalate' AND target_id = ${ticketId}`),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: null, actor_name: 'system' });
    // Breach e-mail to the notified users with an address, queued in the same transaction.
    const mails = rowsOf<{ to_address: string; template: string; subject: string }>(
      await db.execute(sql`SELECT to_address, template, subject FROM mail_outbox
        WHERE ticket_id = ${ticketId} AND template = 'sla.breach'`),
    );
    expect(mails.map((m) => m.to_address)).toContain(agent.user.email);
    expect(mails[0]!.subject).toMatch(/^SLA 超时：工单 .*「首次响应」已超时$/);

    // Nothing fires again; the hook run twice for the same events does nothing more.
    expect(await sweep(cst('2026-03-03T11:00:00'))).toMatchObject({ breaches: 0, warnings: 0 });
    await db.transaction((tx) => applySlaEscalations(tx, seen, cst('2026-03-03T11:00:00')));
    expect((await timeline(ticketId)).length).toBe(entries.length);
    expect((await ticket(ticketId)).priority).toBe('important');
    expect(await timerMismatches(db)).toEqual([]);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'never waits for a busy ticket: its escalation is applied by the next sweep',
    async () => {
      await setNow('2026-03-04T10:00:00');
      const id = (await registerTicket(agent, { channel: 'email' })).id;
      const [clock] = rowsOf<{ id: string; due_at: string }>(
        await db.execute(sql`SELECT id, due_at FROM sla_clocks
          WHERE ticket_id = ${id} AND kind = 'first_response'`),
      );
      const event: FiredEvent = {
        clockId: clock!.id,
        kind: 'warning',
        ticketId: id,
        ticketNumber: 'x',
        targetKind: 'first_response',
        occurrence: 1,
        dueAt: new Date(clock!.due_at),
        policyVersion: 2,
        policyKey: 'general',
        ownerId: null,
        handlerId: null,
        teamId: null,
        escalation: {
          warning: { notify: ['owner'] },
          breach: { notify: [], raisePriority: false },
        },
        notified: [],
      };
      let release!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`SELECT id FROM tickets WHERE id = ${id} FOR UPDATE`);
        locked();
        await new Promise<void>((r) => (release = r));
      });
      await isLocked;
      const at = cst('2026-03-04T15:00:00');
      await db.transaction((tx) => applySlaEscalations(tx, [event], at));
      expect((await timeline(id)).some((e) => e.kind === 'sla')).toBe(false);
      release();
      await holder;
      expect(await applyPendingSlaEscalations(db, at)).toBe(1);
      expect(await applyPendingSlaEscalations(db, at)).toBe(0);
      expect((await timeline(id)).filter((e) => e.kind === 'sla')).toHaveLength(1);
    },
  );
});

describe('the automatic off-hours acknowledgement (SPEC 3)', () => {
  const chat = async (local: string, extra: Record<string, unknown> = {}) => {
    await setNow(local);
    return (await registerTicket(agent, { channel: 'chat', ...extra })).id;
  };
  const acks = async (id: string) =>
    (await timeline(id)).filter((e) => e.kind === 'reply' && e.data.auto === 'off_hours_ack');

  it('Friday 18:01: a public system reply at once, meeting the 1-hour target', async () => {
    const id = await chat('2026-03-06T18:01:00');
    const [ack] = await acks(id);
    expect(ack).toMatchObject({ visibility: 'public', data: { by: 'system', locale: 'zh-CN' } });
    expect(ack!.body).toMatch(/^您好，我们已收到您的消息（工单 .+）。现在是非工作时间/);
    const c = await clocks(id);
    expect(c.off_hours_ack?.state).toBe('met');
    expect(c.first_response).toBeUndefined();
    // The customer sees it in the public timeline.
    const publicOnly = (
      await agent.get(`/api/v1/tickets/${id}/timeline?visibility=public&limit=100`)
    ).json().data;
    expect(publicOnly.some((e: Entry) => e.data.auto === 'off_hours_ack')).toBe(true);
  });

  it('on a statutory holiday (National Day) too', async () => {
    const id = await chat('2026-10-01T10:00:00');
    expect(await acks(id)).toHaveLength(1);
  });

  it('not inside working hours: the 30-second first response runs instead', async () => {
    const id = await chat('2026-03-06T17:59:00');
    expect(await acks(id)).toHaveLength(0);
    expect((await clocks(id)).first_response?.state).toBe('running');
  });

  it('not on a phone call by default (no acknowledgement clock either); the channels and texts are settings', async () => {
    const phone = await chat('2026-03-06T20:00:00', { channel: 'phone' });
    expect(await acks(phone)).toHaveLength(0);
    // Phone is not an acknowledged channel: the policy's off-hours clock does not start.
    expect((await clocks(phone)).off_hours_ack).toBeUndefined();

    const changed = await admin.patch('/api/v1/sla/settings', {
      offHoursAck: { zh: '已收到（{number}），工作时间内回复。', en: 'Got it ({number}).' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await agent.patch('/api/v1/sla/settings', { emailOnBreach: false })).statusCode).toBe(
      403,
    );
    const id = await chat('2026-03-07T11:00:00'); // a Saturday
    const [ack] = await acks(id);
    const number = (await ticket(id)).number;
    expect(ack!.body).toBe(`已收到（${number}），工作时间内回复。`);
  });

  it('in the customer’s language when their portal account says English', async () => {
    await setNow('2026-03-07T12:00:00');
    const customer = (
      await agent.post('/api/v1/customers', { name: 'Alice', email: 'alice@example.com' })
    ).json().data;
    await db.execute(sql`INSERT INTO portal_accounts (email, customer_id, locale, created_at, updated_at)
      VALUES ('alice@example.com', ${customer.id}, 'en-US', now(), now())`);
    const id = await chat('2026-03-07T12:00:00', { customerId: customer.id });
    const [ack] = await acks(id);
    expect(ack).toMatchObject({ body: `Got it (${(await ticket(id)).number}).` });
    expect(ack!.data.locale).toBe('en-US');
  });

  it('switched off: nothing is sent and the clock waits for a person', async () => {
    await admin.patch('/api/v1/sla/settings', { offHoursAck: { enabled: false } });
    const id = await chat('2026-03-07T13:00:00');
    expect(await acks(id)).toHaveLength(0);
    expect((await clocks(id)).off_hours_ack?.state).toBe('running');
    await admin.patch('/api/v1/sla/settings', { offHoursAck: { enabled: true } });
  });
});

describe('the business-time countdown of GET /tickets/:id/sla', () => {
  it('ticks in working hours, stops outside them and while waiting on the customer', async () => {
    await setNow('2026-03-06T17:00:00'); // Friday
    const ticketJson = await registerTicket(agent, { channel: 'email' });
    const id = ticketJson.id;
    const friday = (await clocks(id)).resolution!;
    expect(friday.live).toMatchObject({
      ticking: true,
      pausedReason: null,
      remainingMs: 24 * 3_600_000,
      nextChangeAt: cst('2026-03-06T18:00:00').toISOString(),
    });

    await setNow('2026-03-06T19:00:00');
    const evening = (await clocks(id)).resolution!;
    expect(evening.live).toMatchObject({
      ticking: false,
      pausedReason: 'outside_working_hours',
      remainingMs: 23 * 3_600_000,
      nextChangeAt: cst('2026-03-09T09:00:00').toISOString(),
    });
    await setNow('2026-03-08T19:00:00'); // Sunday: the same time left
    expect((await clocks(id)).resolution!.live!.remainingMs).toBe(23 * 3_600_000);

    await setNow('2026-03-09T10:00:00');
    const res = await agent.post(
      `/api/v1/tickets/${id}/transitions`,
      { to: 'accepted' },
      { 'if-match': `"${ticketJson.version}"` },
    );
    let version = res.json().data.version;
    for (const to of ['in_progress', 'pending_customer']) {
      const r = await agent.post(
        `/api/v1/tickets/${id}/transitions`,
        { to },
        { 'if-match': `"${version}"` },
      );
      expect(r.statusCode).toBe(200);
      version = r.json().data.version;
    }
    await setNow('2026-03-09T15:00:00');
    expect((await clocks(id)).resolution!.live).toMatchObject({
      ticking: false,
      pausedReason: 'waiting_on_customer',
      remainingMs: 22 * 3_600_000,
      nextChangeAt: null,
    });
  });
});
