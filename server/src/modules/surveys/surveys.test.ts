import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { mailOutbox, surveyInvitations } from '../../db/schema/index.js';
import { startSurveyJob } from '../../jobs/survey-jobs.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket, walk, type TicketJson } from '../tickets/test-support.js';
import type { SmsMessage, SmsSender } from './sms.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let t: TestContext;
type Client = TestClient & { user: { id: string; email: string } };
let agent: Client;
let otherAgent: Client;
let supervisor: Client;
let admin: Client;
let n = 0;

beforeAll(async () => {
  t = await createTestContext();
  const team = await t.buildTeam('一线');
  agent = await t.as('agent');
  otherAgent = await t.as('agent');
  admin = await t.as('admin');
  const sup = await t.buildUser({ roles: ['supervisor'], teamIds: [team.id] });
  supervisor = Object.assign(await t.signIn(sup.email), { user: sup });
  await t.database.db.execute(
    sql`INSERT INTO team_members (team_id, user_id) VALUES (${team.id}, ${agent.user.id})`,
  );
  // The default sends on close (after the customer's confirmation); most tests send on resolve.
  expect((await admin.get('/api/v1/survey-settings')).json().data.sendOn).toBe('closed');
  await admin.patch('/api/v1/survey-settings', { sendOn: 'resolved' });
});
afterAll(() => t.close());

async function refresh() {
  for (const c of [agent, otherAgent, supervisor, admin]) {
    const fresh = await t.signIn(c.user.email);
    c.cookie = fresh.cookie;
    c.csrfToken = fresh.csrfToken;
  }
}

async function resolvedTicket(by: Client = agent, customer?: Record<string, unknown>) {
  n += 1;
  const ticket = await registerTicket(by, {
    customer: customer ?? { name: `问卷客户${n}`, email: `survey${n}@example.com` },
  });
  return walk(by, ticket, 'accepted', 'in_progress', 'resolved');
}

/** The newest survey link mailed for a ticket (or to an address). */
async function mailedToken(
  where: { ticketId?: string; to?: string },
  template = 'survey.invitation',
) {
  const rows = await t.database.db
    .select()
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.template, template),
        where.ticketId ? eq(mailOutbox.ticketId, where.ticketId) : undefined,
        where.to ? eq(mailOutbox.toAddress, where.to) : undefined,
      ),
    );
  const last = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
  const m = last && /\/survey\/([A-Za-z0-9_-]+)/.exec(last.textBody);
  return m?.[1];
}

const answer = (token: string, body: unknown) =>
  t.anonymous.post(`/api/v1/public/surveys/${token}/answer`, body);

describe('sending on resolve', () => {
  it('a resolved ticket gets one survey by mail: a contract row and a single-use link', async () => {
    const ticket = await resolvedTicket();
    const token = await mailedToken({ ticketId: ticket.id });
    expect(token).toBeTruthy();
    const [row] = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(row).toMatchObject({
      kind: 'ticket',
      agentId: agent.user.id,
      periodMonth: '2026-03-01',
      answeredAt: null,
      templateVersion: 1,
      channels: ['email'],
    });
    // Only the hash is stored.
    const stored = rowsOf<{ token_hash: string }>(
      await t.database.db.execute(
        sql`SELECT token_hash FROM survey_tokens WHERE response_id = ${row!.id}`,
      ),
    );
    expect(stored[0]!.token_hash).not.toContain(token!);

    const view = await t.anonymous.get(`/api/v1/public/surveys/${token}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().data).toMatchObject({
      state: 'open',
      kind: 'ticket',
      ticketNumber: ticket.number,
      allowComment: true,
    });
    expect(view.json().data.questions.map((q: { key: string }) => q.key)).toEqual([
      'solved',
      'attitude',
      'overall',
    ]);

    const ok = await answer(token!, {
      answers: { solved: true, attitude: 5, overall: 5 },
      comment: '很满意',
    });
    expect(ok.statusCode).toBe(200);
    const [saved] = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(saved).toMatchObject({
      solved: true,
      score100: 100,
      comment: '很满意',
      answeredVia: 'email',
    });
    expect(saved!.answeredAt).not.toBeNull();

    // Single use: the second answer is 409, the page says answered.
    const again = await answer(token!, { answers: { solved: true, attitude: 1, overall: 1 } });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().code).toBe('survey_answered');
    expect((await t.anonymous.get(`/api/v1/public/surveys/${token}`)).json().data.state).toBe(
      'answered',
    );
  });

  it('one survey per ticket, even when it is resolved again', async () => {
    const ticket = await resolvedTicket();
    const reopened = await walk(agent, ticket, { to: 'reopened', reason: '客户说还有问题' });
    await walk(agent, reopened, 'in_progress', 'resolved');
    const rows = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(rows).toHaveLength(1);
  });

  it('no survey for a customer without any reachable channel', async () => {
    const ticket = await resolvedTicket(agent, { name: '无邮箱', phone: '13900009999' });
    const rows = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(rows).toHaveLength(0);
  });

  it('an expired link is 410 and shows as expired', async () => {
    const ticket = await resolvedTicket();
    const token = (await mailedToken({ ticketId: ticket.id }))!;
    t.clock.advance(8 * DAY);
    await refresh();
    expect((await t.anonymous.get(`/api/v1/public/surveys/${token}`)).json().data.state).toBe(
      'expired',
    );
    const res = await answer(token, { answers: { solved: true, attitude: 5, overall: 5 } });
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('survey_expired');
  });

  it('bad input: unknown token 404, malformed token 400, misfit answers 422', async () => {
    const ticket = await resolvedTicket();
    const token = (await mailedToken({ ticketId: ticket.id }))!;
    const unknown = await t.anonymous.get(`/api/v1/public/surveys/${'x'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect((await t.anonymous.get('/api/v1/public/surveys/short')).statusCode).toBe(400);
    expect((await answer(token, { answers: {}, extra: 1 })).statusCode).toBe(400);
    const misfit = await answer(token, { answers: { solved: 3, attitude: 9, overall: 4 } });
    expect(misfit.statusCode).toBe(422);
    expect(misfit.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'answers.solved' }),
        expect.objectContaining({ path: 'answers.attitude' }),
      ]),
    );
    // Still answerable after a refused attempt.
    expect((await t.anonymous.get(`/api/v1/public/surveys/${token}`)).json().data.state).toBe(
      'open',
    );
  });
});

describe('the closed loop', () => {
  it('a low score opens a follow-up for the ticket owner with a notification', async () => {
    const ticket = await resolvedTicket();
    const token = (await mailedToken({ ticketId: ticket.id }))!;
    const res = await answer(token, {
      answers: { solved: true, attitude: 2, overall: 2 },
      comment: '等了太久',
    });
    expect(res.statusCode).toBe(200);
    const after: TicketJson = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data;
    expect(after.followUp).toMatchObject({ doneAt: null });
    expect(after.followUp!.reason).toContain('40');
    const notes = (await agent.get('/api/v1/notifications')).json().data;
    expect(notes).toContainEqual(
      expect.objectContaining({ kind: 'survey.low_score', ticketId: ticket.id }),
    );
  });

  it('"not solved" opens a follow-up even with a high score; a good answer does not', async () => {
    const bad = await resolvedTicket();
    await answer((await mailedToken({ ticketId: bad.id }))!, {
      answers: { solved: false, attitude: 5, overall: 5 },
    });
    expect((await agent.get(`/api/v1/tickets/${bad.id}`)).json().data.followUp).not.toBeNull();
    const good = await resolvedTicket();
    await answer((await mailedToken({ ticketId: good.id }))!, {
      answers: { solved: true, attitude: 4, overall: 3 },
    });
    expect((await agent.get(`/api/v1/tickets/${good.id}`)).json().data.followUp).toBeNull();
  });
});

describe('reminders and opt-out', () => {
  const sent: SmsMessage[] = [];
  const sms: SmsSender = { name: 'test', send: async (m) => void sent.push(m) };
  const job = (holder: string) =>
    startSurveyJob({
      db: t.database.db,
      clock: t.clock,
      intervalMs: 0,
      sms,
      publicUrl: 'https://kefu.example.com',
      holder,
    });

  it('the reminder goes once, across two job instances', async () => {
    const ticket = await resolvedTicket();
    t.clock.advance(49 * HOUR);
    const [a, b] = [job('a'), job('b')];
    const results = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
    expect(results.reduce((s, r) => s + r.reminded, 0)).toBeGreaterThanOrEqual(1);
    await b.runOnce();
    const reminders = await t.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.template, 'survey.reminder'), eq(mailOutbox.ticketId, ticket.id)));
    expect(reminders).toHaveLength(1);
    // The reminder's link answers the same invitation.
    const token = (await mailedToken({ ticketId: ticket.id }, 'survey.reminder'))!;
    const res = await answer(token, { answers: { solved: true, attitude: 5, overall: 4 } });
    expect(res.statusCode).toBe(200);
    const [row] = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(row).toMatchObject({ answeredVia: 'reminder', score100: 80 });
    await refresh();
  });

  it('opt-out: no reminder, and no survey for the next ticket', async () => {
    const email = 'optout@example.com';
    const first = await resolvedTicket(agent, { name: '不想被打扰', email });
    const token = (await mailedToken({ ticketId: first.id }))!;
    const res = await t.anonymous.post(`/api/v1/public/surveys/${token}/opt-out`);
    expect(res.statusCode).toBe(200);
    expect((await t.anonymous.get(`/api/v1/public/surveys/${token}`)).json().data.optedOut).toBe(
      true,
    );
    t.clock.advance(49 * HOUR);
    await job('c').runOnce();
    const reminders = await t.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.template, 'survey.reminder'), eq(mailOutbox.ticketId, first.id)));
    expect(reminders).toHaveLength(0);
    await refresh();
    const customerId = first.customer.id;
    const second = await walk(
      agent,
      await registerTicket(agent, { customerId }),
      'accepted',
      'in_progress',
      'resolved',
    );
    const rows = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, second.id));
    expect(rows).toHaveLength(0);
  });

  it('settings: send on close after a delay, by SMS (the job sends it; no phone number logged)', async () => {
    const patch = await admin.patch('/api/v1/survey-settings', {
      sendOn: 'closed',
      delayMinutes: 30,
      channels: ['sms'],
    });
    expect(patch.statusCode).toBe(200);
    const ticket = await resolvedTicket(agent, { name: '短信客户', phone: '13911112222' });
    const closed = await walk(agent, ticket, { to: 'closed', customerConfirmed: true });
    expect(closed.status).toBe('closed');
    const none = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, ticket.id));
    expect(none).toHaveLength(0);
    t.clock.advance(31 * 60_000);
    sent.length = 0;
    const result = await job('d').runOnce();
    expect(result.dispatched).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('13911112222');
    expect(sent[0]!.text).toMatch(/https:\/\/kefu\.example\.com\/survey\/[A-Za-z0-9_-]+/);
    expect((await job('d').runOnce()).sms).toBe(0);
    await admin.patch('/api/v1/survey-settings', {
      sendOn: 'resolved',
      delayMinutes: 0,
      channels: ['email'],
    });
    await refresh();
  });
});

describe('templates', () => {
  it('admins edit templates; a change is a new version and answers keep theirs', async () => {
    const list = (await admin.get('/api/v1/survey-templates')).json().data;
    const def = list.find((x: { isDefault: boolean }) => x.isDefault);
    expect(def).toMatchObject({ version: 1, name: '默认满意度调查' });
    const ticket = await resolvedTicket();
    const token = (await mailedToken({ ticketId: ticket.id }))!;
    const edited = await admin.patch(`/api/v1/survey-templates/${def.id}`, {
      questions: [
        { key: 'solved', type: 'solved', zh: '问题解决了吗？', en: 'Solved?' },
        { key: 'score', type: 'score100', zh: '请打分（0–100）', en: 'Score 0–100', overall: true },
      ],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().data.version).toBe(2);
    // The earlier invitation still asks version 1.
    const view = (await t.anonymous.get(`/api/v1/public/surveys/${token}`)).json().data;
    expect(view.questions).toHaveLength(3);
    const versions = (await admin.get(`/api/v1/survey-templates/${def.id}/versions`)).json().data;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    // A new ticket's survey pins version 2; 0–100 is the score.
    const next = await resolvedTicket();
    const t2 = (await mailedToken({ ticketId: next.id }))!;
    expect((await answer(t2, { answers: { solved: true, score: 77 } })).statusCode).toBe(200);
    const [row] = await t.database.db
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.ticketId, next.id));
    expect(row).toMatchObject({ templateVersion: 2, score100: 77 });

    const bad = await admin.post('/api/v1/survey-templates', {
      name: '太多问题',
      questions: [
        { key: 'a', type: 'solved', zh: 'a', en: 'a' },
        { key: 'b', type: 'solved', zh: 'b', en: 'b' },
      ],
    });
    expect(bad.statusCode).toBe(422);
    expect((await agent.post('/api/v1/survey-templates', {})).statusCode).toBe(403);
    expect((await supervisor.get('/api/v1/survey-templates')).statusCode).toBe(200);
    expect(
      (await admin.patch(`/api/v1/survey-templates/${def.id}`, { active: false })).statusCode,
    ).toBe(409);
  });
});

describe('permissions on answers', () => {
  it('agents see their own, supervisors their team, admins all; the ticket card follows', async () => {
    const mine = await resolvedTicket(agent);
    const theirs = await resolvedTicket(otherAgent);
    const ids = async (c: TestClient) =>
      (await c.get('/api/v1/survey-responses?limit=200'))
        .json()
        .data.map((r: { ticket: { id: string } | null }) => r.ticket?.id);
    expect(await ids(agent)).toContain(mine.id);
    expect(await ids(agent)).not.toContain(theirs.id);
    expect(await ids(supervisor)).toContain(mine.id);
    expect(await ids(supervisor)).not.toContain(theirs.id);
    expect(await ids(admin)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await agent.get(`/api/v1/tickets/${mine.id}/survey`)).json().data).toMatchObject({
      state: 'open',
    });
    expect((await agent.get(`/api/v1/tickets/${theirs.id}/survey`)).json().data).toBeNull();
    const qa = await t.as('qa_inspector');
    expect((await qa.get('/api/v1/survey-responses')).statusCode).toBe(403);
    expect((await agent.get('/api/v1/survey-responses?month=2026-13')).statusCode).toBe(400);
    const low = (await admin.get('/api/v1/survey-responses?status=low&limit=200')).json().data;
    expect(
      low.every(
        (r: { solved: boolean; score100: number }) => r.solved === false || r.score100 < 60,
      ),
    ).toBe(true);
    expect(low.length).toBeGreaterThan(0);
  });
});

describe('monthly campaign', () => {
  it('asks each consenting, served customer once; opt-outs and no-consent are skipped', async () => {
    // Customers with consent to be contacted, served this month.
    const consenting = await registerTicket(agent, {
      customer: { name: '活动客户', email: 'campaign@example.com' },
    });
    await t.database.db.execute(
      sql`UPDATE customers SET consent_contact = true WHERE id = ${consenting.customer.id}`,
    );
    await registerTicket(agent, { customerId: consenting.customer.id });
    await registerTicket(agent, {
      customer: { name: '未同意', email: 'noconsent@example.com' },
    });
    const month = '2026-03';
    const created = await admin.post('/api/v1/survey-campaigns', { month });
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id;
    expect((await admin.post('/api/v1/survey-campaigns', { month })).statusCode).toBe(409);
    expect((await admin.post('/api/v1/survey-campaigns', { month: '2030-01' })).statusCode).toBe(
      422,
    );
    const run = await admin.post(`/api/v1/survey-campaigns/${id}/run`);
    expect(run.statusCode).toBe(200);
    expect(run.json().data).toMatchObject({ month, sent: 1, answered: 0, responseRate: 0 });
    expect(run.json().data.skipped).toBeGreaterThan(0);
    const again = await admin.post(`/api/v1/survey-campaigns/${id}/run`);
    expect(again.json().data.sent).toBe(1);
    const token = (await mailedToken({ to: 'campaign@example.com' }))!;
    const view = (await t.anonymous.get(`/api/v1/public/surveys/${token}`)).json().data;
    expect(view).toMatchObject({ kind: 'campaign', month, ticketNumber: null });
    const answers =
      view.questions.length === 2
        ? { solved: true, score: 90 }
        : { solved: true, attitude: 5, overall: 5 };
    expect((await answer(token, { answers })).statusCode).toBe(200);
    const list = (await supervisor.get('/api/v1/survey-campaigns')).json().data;
    expect(list[0]).toMatchObject({ month, sent: 1, answered: 1, responseRate: 100 });
    expect((await supervisor.post(`/api/v1/survey-campaigns/${id}/run`)).statusCode).toBe(403);
  });
});
