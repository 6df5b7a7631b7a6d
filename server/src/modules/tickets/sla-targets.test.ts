/**
 * Issue 9: every SLA target kind is met by a stated event, and a ticket handled on time ends
 * with no breach, no escalation and no breach mail (the ManualClock, the sweeper with the
 * tickets module's hooks, the mail outbox). docs/sla.md, "Which event meets which target".
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { sweepDueClocks } from '../sla/sweep.js';
import { slaEscalationHooks } from './sla-actions.js';
import { ifMatch, registerTicket, tokenOf, walk, type TicketJson } from './test-support.js';

let t: TestContext;
let db: Db;
type Signed = TestClient & { user: { id: string; email: string } };
let agent: Signed;
let supervisor: Signed;
let admin: Signed;

const cst = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;

/** Moves the clock; sessions idle that long have ended, so everyone signs in again. */
async function setNow(local: string) {
  t.clock.set(cst(local));
  for (const c of [agent, supervisor, admin]) {
    const fresh = await t.signIn(c.user.email);
    Object.assign(c, { cookie: fresh.cookie, csrfToken: fresh.csrfToken });
  }
}

beforeAll(async () => {
  t = await createTestContext(); // Monday 2026-03-02 10:00 in Shanghai
  db = t.database.db;
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');
});
afterAll(() => t.close());

type Clock = {
  id: string;
  kind: string;
  state: string;
  occurrence: number;
  breached: boolean;
  dueAt: string;
  metAt: string | null;
  outcome: string | null;
  cause: string | null;
};
const clocks = async (id: string): Promise<Clock[]> =>
  (await agent.get(`/api/v1/tickets/${id}/sla`)).json().data;
/** The latest clock of each kind. */
const byKind = async (id: string): Promise<Record<string, Clock>> =>
  Object.fromEntries((await clocks(id)).map((c) => [c.kind, c]));
const get = async (id: string): Promise<TicketJson> =>
  (await agent.get(`/api/v1/tickets/${id}`)).json().data;

async function sweep(local: string) {
  const now = cst(local);
  const { onFired, afterSweep } = slaEscalationHooks(db);
  const result = await sweepDueClocks(db, now, 1000, { onFired });
  await afterSweep(now);
  return result;
}

async function plan(
  client: TestClient,
  ticketId: string,
  body: Partial<{ body: string; ownerId: string; dueAt: string; public: boolean }> = {},
) {
  return client.post(`/api/v1/tickets/${ticketId}/handling-plans`, {
    body: '核实扣费记录，财务部两个工作日内退还多扣费用',
    ownerId: agent.user.id,
    dueAt: new Date(t.clock.now().getTime() + 48 * HOUR).toISOString(),
    public: false,
    ...body,
  });
}

/** What the sweeper and the escalation left behind for a ticket. */
async function evidence(id: string) {
  const [row] = rowsOf<{ events: number; breaches: number; sla_entries: number; mails: number }>(
    await db.execute(sql`SELECT
      (SELECT count(*)::int FROM sla_events WHERE ticket_id = ${id}) AS events,
      (SELECT count(*)::int FROM sla_events WHERE ticket_id = ${id} AND kind = 'breach') AS breaches,
      (SELECT count(*)::int FROM ticket_events WHERE ticket_id = ${id} AND kind = 'sla') AS sla_entries,
      (SELECT count(*)::int FROM mail_outbox WHERE template = 'sla.breach'
         AND ticket_id = ${id}) AS mails`),
  );
  const audits = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM audit_events
      WHERE target_id = ${id}::text AND action = 'ticket.sla_escalate'`),
  );
  return { ...row!, escalations: audits[0]!.n };
}

describe('which event meets each target kind', () => {
  it('complaint_registered: the registration itself — late only when the request was received earlier (back-dated)', async () => {
    await setNow('2026-03-02T10:00:00');
    const onTime = await registerTicket(agent, { category: 'complaint', channel: 'walk_in' });
    expect((await byKind(onTime.id)).complaint_registered).toMatchObject({
      state: 'met',
      breached: false,
      outcome: 'met',
      metAt: cst('2026-03-02T10:00:00').toISOString(),
    });
    // A walk-in received Friday 09:00 and entered Monday 10:00: more than 2 working hours late.
    const late = await registerTicket(agent, {
      category: 'complaint',
      channel: 'walk_in',
      receivedAt: cst('2026-02-27T09:00:00').toISOString(),
    });
    expect((await byKind(late.id)).complaint_registered).toMatchObject({
      state: 'met',
      breached: true,
    });
  });

  it('complaint_registered after a re-classification as a complaint: that moment', async () => {
    await setNow('2026-03-02T10:00:00');
    const c = await registerTicket(agent, { channel: 'email' });
    t.clock.advance(HOUR);
    const patched = await agent.patch(
      `/api/v1/tickets/${c.id}`,
      { category: 'complaint' },
      ifMatch(c),
    );
    expect(patched.statusCode).toBe(200);
    expect((await byKind(c.id)).complaint_registered).toMatchObject({
      state: 'met',
      breached: false,
      metAt: cst('2026-03-02T11:00:00').toISOString(),
    });
  });

  it('complaint_contacted: a public reply (an internal note does not)', async () => {
    await setNow('2026-03-02T10:00:00');
    const c = await registerTicket(agent, { category: 'complaint', channel: 'phone' });
    await agent.post(`/api/v1/tickets/${c.id}/replies`, {
      body: '内部备注',
      visibility: 'internal',
    });
    expect((await byKind(c.id)).complaint_contacted?.state).toBe('running');
    await agent.post(`/api/v1/tickets/${c.id}/replies`, { body: '您好', visibility: 'public' });
    expect((await byKind(c.id)).complaint_contacted?.state).toBe('met');
  });

  it('handling_plan and complaint_plan: the handling plan record (a "handling plan" note does not)', async () => {
    await setNow('2026-03-02T10:00:00');
    const c = await registerTicket(agent, { category: 'complaint', channel: 'phone' });
    await agent.post(`/api/v1/tickets/${c.id}/replies`, {
      body: '处理方案：退款',
      visibility: 'internal',
    });
    let k = await byKind(c.id);
    expect([k.handling_plan?.state, k.complaint_plan?.state]).toEqual(['running', 'running']);
    t.clock.advance(HOUR);
    const created = await plan(agent, c.id);
    expect(created.statusCode).toBe(201);
    k = await byKind(c.id);
    expect(k.handling_plan).toMatchObject({ state: 'met', breached: false, outcome: 'met' });
    expect(k.complaint_plan).toMatchObject({ state: 'met', breached: false });

    // An L3 dispute that is not a complaint: the level-3 policy's first plan within 4 h.
    const l3 = await registerTicket(agent, { channel: 'email', tier: 'L3' });
    expect((await byKind(l3.id)).handling_plan?.state).toBe('running');
    expect((await plan(agent, l3.id)).statusCode).toBe(201);
    expect((await byKind(l3.id)).handling_plan?.state).toBe('met');
  });

  it('progress_update (repeating): each public reply; the card gets the next occurrence', async () => {
    await setNow('2026-03-02T10:00:00');
    const c = await registerTicket(agent, { channel: 'email', tier: 'L3' });
    await agent.post(`/api/v1/tickets/${c.id}/replies`, { body: '进展一', visibility: 'public' });
    await agent.post(`/api/v1/tickets/${c.id}/replies`, { body: '进展二', visibility: 'public' });
    const updates = (await clocks(c.id)).filter((x) => x.kind === 'progress_update');
    expect(updates.map((u) => [u.occurrence, u.state])).toEqual([
      [1, 'met'],
      [2, 'met'],
      [3, 'running'],
    ]);
  });

  it('first_response: accepting or a public reply; assignment: handing to a team; follow_up_contact and progress: a public reply; resolution: resolving', async () => {
    await setNow('2026-03-02T10:00:00');
    const team = await t.buildTeam('二线技术');
    let l2 = await registerTicket(agent, { channel: 'email', tier: 'L2' });
    l2 = await walk(agent, l2, 'accepted');
    expect((await byKind(l2.id)).first_response?.state).toBe('met');
    const assigned = await agent.post(
      `/api/v1/tickets/${l2.id}/assign`,
      { teamId: team.id },
      ifMatch(l2),
    );
    l2 = assigned.json().data;
    expect((await byKind(l2.id)).assignment?.state).toBe('met');
    expect((await byKind(l2.id)).follow_up_contact?.state).toBe('running');
    await agent.post(`/api/v1/tickets/${l2.id}/replies`, { body: '已联系', visibility: 'public' });
    const k = await byKind(l2.id);
    expect([k.follow_up_contact?.state, k.progress?.state]).toEqual(['met', 'met']);
    l2 = await walk(agent, l2, 'in_progress', 'resolved');
    expect((await byKind(l2.id)).resolution).toMatchObject({ state: 'met', outcome: 'met' });
  });

  it('off_hours_ack: the automatic acknowledgement on the acknowledged channels; else an agent accepting or replying', async () => {
    // Friday 20:00: chat is acknowledged automatically at registration.
    await setNow('2026-03-06T20:00:00');
    const chat = await registerTicket(agent, { channel: 'chat' });
    expect((await byKind(chat.id)).off_hours_ack).toMatchObject({ state: 'met', breached: false });

    // Phone is not an acknowledged channel by default: no clock nobody could meet.
    const phone = await registerTicket(agent, { channel: 'phone' });
    expect((await byKind(phone.id)).off_hours_ack).toBeUndefined();

    // Phone acknowledged, but not automatically: the clock runs, and a person meets it.
    const patched = await admin.patch('/api/v1/sla/settings', {
      offHoursAck: { enabled: false, channels: ['chat', 'phone'] },
    });
    expect(patched.statusCode).toBe(200);
    try {
      const byAccept = await registerTicket(agent, { channel: 'phone' });
      expect((await byKind(byAccept.id)).off_hours_ack?.state).toBe('running');
      t.clock.advance(30 * 60_000);
      await walk(agent, byAccept, 'accepted');
      expect((await byKind(byAccept.id)).off_hours_ack).toMatchObject({
        state: 'met',
        breached: false,
      });
      const byReply = await registerTicket(agent, { channel: 'phone' });
      await agent.post(`/api/v1/tickets/${byReply.id}/replies`, {
        body: '您好，值班客服已收到',
        visibility: 'public',
      });
      expect((await byKind(byReply.id)).off_hours_ack?.state).toBe('met');
    } finally {
      await admin.patch('/api/v1/sla/settings', {
        offHoursAck: { enabled: true, channels: ['chat'] },
      });
    }
  });
});

describe('reopening and closing keep the record', () => {
  it('a reopened ticket gets a fresh resolution clock, attributed as rework', async () => {
    await setNow('2026-03-02T10:00:00');
    let c = await registerTicket(agent, { channel: 'email' });
    c = await walk(agent, c, 'accepted', 'in_progress', 'resolved');
    t.clock.advance(HOUR);
    c = await walk(agent, c, { to: 'reopened', reason: '客户反馈问题依旧' });
    const resolutions = (await clocks(c.id)).filter((x) => x.kind === 'resolution');
    expect(resolutions.map((r) => [r.occurrence, r.state, r.cause])).toEqual([
      [1, 'met', null],
      [2, 'running', 'rework'],
    ]);
    expect(resolutions[1]!.dueAt > resolutions[0]!.dueAt).toBe(true);
    c = await walk(agent, c, 'in_progress', 'resolved');
    expect((await clocks(c.id)).filter((x) => x.kind === 'resolution').at(-1)).toMatchObject({
      state: 'met',
      cause: 'rework',
      outcome: 'met',
    });
  });

  it('closing records each open clock as missed (overdue) or cancelled, and they stay listed', async () => {
    await setNow('2026-03-02T10:00:00');
    let c = await registerTicket(agent, { channel: 'email' });
    c = await walk(agent, c, 'accepted', 'in_progress');
    // The resolution (24 working hours) is overdue by Friday; the sweeper has not run.
    await setNow('2026-03-06T17:00:00');
    c = await get(c.id);
    c = await walk(agent, c, {
      to: 'closed',
      reason: '客户不再需要',
      followUp: { plan: '下周回访', dueAt: cst('2026-03-09T10:00:00').toISOString() },
    });
    const k = await byKind(c.id);
    expect(k.first_response).toMatchObject({ state: 'met', outcome: 'met' });
    expect(k.resolution).toMatchObject({ state: 'cancelled', outcome: 'missed', breached: true });

    let d = await registerTicket(agent, { channel: 'email' });
    d = await walk(agent, d, 'accepted', 'in_progress', {
      to: 'closed',
      reason: '重复来电',
      followUp: { plan: '无需跟进', dueAt: cst('2026-03-09T10:00:00').toISOString() },
    });
    expect((await byKind(d.id)).resolution).toMatchObject({
      state: 'cancelled',
      outcome: 'cancelled',
      breached: false,
    });
  });
});

describe('a ticket handled on time ends with no breach, no escalation, no breach mail', () => {
  it('a complaint: registered, contacted, handling plan, progress, resolved, return visit, closed', async () => {
    await setNow('2026-03-02T10:00:00');
    let c = await registerTicket(agent, { category: 'complaint', channel: 'phone' });
    expect(c.greenChannel).toBe(true);
    await setNow('2026-03-02T10:20:00');
    c = await walk(agent, await get(c.id), 'accepted');
    await agent.post(`/api/v1/tickets/${c.id}/replies`, {
      body: '您好，您的投诉已登记，我们正在核实。',
      visibility: 'public',
    });
    await sweep('2026-03-02T11:00:00');
    await setNow('2026-03-02T12:00:00');
    const shared = await plan(agent, c.id, { public: true });
    expect(shared.statusCode).toBe(201);
    await sweep('2026-03-02T17:00:00');
    // Next working day: a progress update, then resolved, confirmed, visited, closed.
    await setNow('2026-03-03T10:00:00');
    await agent.post(`/api/v1/tickets/${c.id}/replies`, {
      body: '退款已提交财务处理。',
      visibility: 'public',
    });
    const resolved = await walk(agent, await get(c.id), 'in_progress', 'resolved');
    const confirm = await t.anonymous.post(
      `/api/v1/portal/confirmations/${tokenOf(resolved.confirmationUrl)}`,
      { decision: 'confirm' },
    );
    expect(confirm.statusCode).toBe(200);
    const visit = await supervisor.post(
      `/api/v1/tickets/${c.id}/return-visits`,
      { visitedAt: t.clock.now().toISOString(), outcome: '客户满意', customerAccepted: true },
      ifMatch(await get(c.id)),
    );
    expect(visit.statusCode).toBe(201);
    c = await walk(agent, visit.json().data, 'closed');

    // The sweeper runs on for a month (it fires the other tests' tickets; this one has nothing).
    await sweep('2026-04-02T10:00:00');
    expect(await evidence(c.id)).toEqual({
      events: 0,
      breaches: 0,
      sla_entries: 0,
      mails: 0,
      escalations: 0,
    });
    const all = await clocks(c.id);
    expect(all.filter((x) => x.breached)).toEqual([]);
    expect(all.filter((x) => x.outcome === 'missed')).toEqual([]);
    expect(Object.fromEntries(all.map((x) => [x.kind, x.outcome]))).toMatchObject({
      complaint_registered: 'met',
      complaint_contacted: 'met',
      handling_plan: 'met',
      complaint_plan: 'met',
      progress_update: 'cancelled', // resolving stopped the next update before it was due
    });
    // The shared plan is in the customer's timeline.
    const pub = (
      await agent.get(`/api/v1/tickets/${c.id}/timeline?visibility=public&limit=100`)
    ).json().data as { kind: string; body: string }[];
    expect(pub.some((e) => e.kind === 'handling_plan' && e.body.includes('退还'))).toBe(true);
  });

  it('an off-hours phone ticket accepted in time (acknowledged channel) and answered next morning', async () => {
    await admin.patch('/api/v1/sla/settings', {
      offHoursAck: { enabled: false, channels: ['chat', 'phone'] },
    });
    try {
      await setNow('2026-03-06T20:00:00'); // Friday evening
      let p = await registerTicket(agent, { channel: 'phone' });
      await setNow('2026-03-06T20:40:00');
      p = await walk(agent, await get(p.id), 'accepted');
      await sweep('2026-03-07T12:00:00');
      await setNow('2026-03-09T09:30:00'); // Monday
      await agent.post(`/api/v1/tickets/${p.id}/replies`, {
        body: '您好，问题已处理。',
        visibility: 'public',
      });
      const resolved = await walk(agent, await get(p.id), 'in_progress', 'resolved');
      const confirmed = await t.anonymous.post(
        `/api/v1/portal/confirmations/${tokenOf(resolved.confirmationUrl)}`,
        { decision: 'confirm' },
      );
      expect(confirmed.json().data.status).toBe('closed'); // the customer's confirmation closes it
      await sweep('2026-04-09T10:00:00');
      expect(await evidence(p.id)).toEqual({
        events: 0,
        breaches: 0,
        sla_entries: 0,
        mails: 0,
        escalations: 0,
      });
      const k = await byKind(p.id);
      expect(k.off_hours_ack).toMatchObject({ outcome: 'met', breached: false });
      expect(k.resolution).toMatchObject({ outcome: 'met', breached: false });
    } finally {
      await admin.patch('/api/v1/sla/settings', {
        offHoursAck: { enabled: true, channels: ['chat'] },
      });
    }
  });
});

describe('the handling plan record', () => {
  it('create, list, revise (revision guard), audit, permission, closed ticket', async () => {
    await setNow('2026-03-02T10:00:00');
    const c = await registerTicket(agent, {
      category: 'complaint',
      channel: 'phone',
      customer: { name: '周女士', phone: '13812345678' },
    });
    const portal = async () =>
      (
        await t.anonymous.post('/api/v1/portal/lookup', {
          number: c.number,
          contact: '13812345678',
        })
      ).json().data.timeline as { kind: string; body: string; data: Record<string, unknown> }[];
    const qa = await t.as('qa_inspector');
    expect((await plan(qa, c.id)).statusCode).toBe(403);
    const past = await plan(agent, c.id, { dueAt: cst('2026-03-01T10:00:00').toISOString() });
    expect(past.statusCode).toBe(422);
    const created = (await plan(agent, c.id)).json().data;
    expect(created).toMatchObject({
      owner: { id: agent.user.id },
      public: false,
      revision: 1,
    });
    const list = (await qa.get(`/api/v1/tickets/${c.id}/handling-plans`)).json().data;
    expect(list.map((p: { id: string }) => p.id)).toEqual([created.id]);
    // Internal: the customer does not see it.
    expect((await portal()).filter((e) => e.kind === 'handling_plan')).toEqual([]);
    const revised = await agent.patch(`/api/v1/tickets/${c.id}/handling-plans/${created.id}`, {
      public: true,
      revision: 1,
    });
    expect(revised.statusCode).toBe(200);
    expect(revised.json().data).toMatchObject({ public: true, revision: 2 });
    // Shared: in the customer's portal timeline, with its due time and no staff ids.
    const shown = (await portal()).filter((e) => e.kind === 'handling_plan');
    expect(shown).toHaveLength(1);
    expect(shown[0]!.body).toBe(created.body);
    expect(shown[0]!.data).toEqual({ action: 'updated', dueAt: created.dueAt });
    const stale = await agent.patch(`/api/v1/tickets/${c.id}/handling-plans/${created.id}`, {
      body: '新方案',
      revision: 1,
    });
    expect(stale.statusCode).toBe(409);
    const entries = (await agent.get(`/api/v1/tickets/${c.id}/timeline?limit=100`))
      .json()
      .data.filter((e: { kind: string }) => e.kind === 'handling_plan');
    expect(entries.map((e: { visibility: string }) => e.visibility)).toEqual([
      'internal',
      'public',
    ]);
    const audits = rowsOf<{ action: string }>(
      await db.execute(sql`SELECT action FROM audit_events WHERE target_id = ${c.id}::text
        AND action LIKE 'ticket.handling_plan.%' ORDER BY id`),
    );
    expect(audits.map((a) => a.action)).toEqual([
      'ticket.handling_plan.create',
      'ticket.handling_plan.update',
    ]);
  });
});
