import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, mailOutbox, tickets } from '../../db/schema/index.js';
import { startMailSender, type MailSender } from '../../jobs/mail-sender.js';
import { createTestContext, TestClient, type TestContext } from '../../test/harness.js';
import { startTestSmtp, type TestSmtp } from '../mail/test-smtp.js';
import { registerTicket, tokenOf, walk, type TicketJson } from '../tickets/test-support.js';

let t: TestContext;
let smtp: TestSmtp;
let sender: MailSender;
let agent: TestClient & { user: { id: string } };
let admin: TestClient;

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestContext({
    KEFU_SMTP_URL: smtp.url,
    KEFU_MAIL_FROM: 'service@kefu.example.com',
    PUBLIC_URL: 'https://kefu.example.com',
    KEFU_MAIL_SEND_MS: 0,
  });
  sender = startMailSender({ db: t.database.db, clock: t.clock, config: t.config });
  admin = await t.as('admin');
  agent = await t.as('agent');
});
afterAll(async () => {
  await sender.stop();
  await t.close();
  await smtp.close();
});

const MINUTE = 60_000;
let n = 0;
const freshEmail = () => `customer${++n}-${Date.now() % 100000}@example.com`;

/** Sends the outbox and returns the last sign-in code mailed to `email`. */
async function mailedCode(email: string): Promise<string> {
  await sender.runOnce();
  const mail = [...smtp.received]
    .reverse()
    .find((m) => JSON.stringify(m.to).includes(email) && /\d{6}/.test(m.subject ?? ''));
  if (!mail) throw new Error(`no code mailed to ${email}`);
  return /(\d{6})/.exec(mail.subject!)![1]!;
}

const requestCode = (email: string, locale?: string) =>
  t.anonymous.post('/api/v1/portal/auth/request-code', { email, ...(locale && { locale }) });
const verify = (email: string, code: string) =>
  t.anonymous.post('/api/v1/portal/auth/verify-code', { email, code });

function clientOf(res: { cookies: { name: string; value: string }[]; json(): unknown }) {
  const cookie = res.cookies.find((c) => c.name === 'kefu_portal');
  if (!cookie) throw new Error('no portal cookie');
  const body = res.json() as { data: { csrfToken: string } };
  return new TestClient(t.app, `kefu_portal=${cookie.value}`, body.data.csrfToken);
}

async function customer(email = freshEmail()): Promise<TestClient & { email: string }> {
  expect((await requestCode(email)).statusCode).toBe(202);
  const res = await verify(email, await mailedCode(email));
  expect(res.statusCode).toBe(200);
  // Let the next code request for the address pass the one-minute cool-down.
  t.clock.advance(MINUTE);
  return Object.assign(clientOf(res), { email });
}

const submit = async (c: TestClient, body: Record<string, unknown> = {}) => {
  const res = await c.post('/api/v1/portal/requests', {
    category: 'consultation',
    subject: '会员积分无法兑换',
    description: '昨天开始积分兑换页面一直报错',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; number: string; status: string };
};

const staffView = async (id: string): Promise<TicketJson> =>
  (await admin.get(`/api/v1/tickets/${id}`)).json().data;

describe('sign-in with a mailed code', () => {
  it('answers the same for any address, mails a code, and signs in once with it', async () => {
    const known = freshEmail();
    await registerTicket(agent, { customer: { name: '老客户', email: known } });
    const a = await requestCode(known);
    const b = await requestCode(freshEmail());
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(a.body).toBe(b.body);

    const code = await mailedCode(known);
    const wrongFirst = await verify(known, code === '000000' ? '000001' : '000000');
    expect(wrongFirst.json()).toMatchObject({ status: 401, code: 'invalid_code' });
    const ok = await verify(known, code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.account).toMatchObject({
      email: known,
      name: '老客户',
      hasPassword: false,
    });
    const cookie = ok.cookies.find((c) => c.name === 'kefu_portal')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Used once.
    expect((await verify(known, code)).json().code).toBe('invalid_code');

    const me = await clientOf(ok).get('/api/v1/portal/me');
    expect(me.json().data.account.email).toBe(known);
    // The account belongs to the existing customer record: their earlier ticket is listed.
    const mine = await clientOf(ok).get('/api/v1/portal/requests');
    expect(mine.json().data).toHaveLength(1);
  });

  it('creates a customer record for a new address, in the asked language', async () => {
    const email = freshEmail();
    await requestCode(email, 'en-US');
    await sender.runOnce();
    const mail = smtp.received.find((m) => JSON.stringify(m.to).includes(email))!;
    expect(mail.subject).toMatch(/^Your sign-in code: \d{6}$/);
    const res = await t.anonymous.post('/api/v1/portal/auth/verify-code', {
      email,
      code: /(\d{6})/.exec(mail.subject!)![1],
      locale: 'en-US',
    });
    expect(res.json().data.account).toMatchObject({ locale: 'en-US', name: email.split('@')[0] });
    const rows = await t.database.db.select().from(customers).where(eq(customers.email, email));
    expect(rows).toHaveLength(1);
  });

  it('a code expires after the setting’s minutes (10 by default)', async () => {
    const email = freshEmail();
    await requestCode(email);
    const code = await mailedCode(email);
    t.clock.advance(10 * MINUTE);
    expect((await verify(email, code)).json().code).toBe('invalid_code');
  });

  it('a code stops working after 5 attempts, even the right one', async () => {
    const email = freshEmail();
    await requestCode(email);
    const code = await mailedCode(email);
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) expect((await verify(email, wrong)).statusCode).toBe(401);
    expect((await verify(email, code)).json().code).toBe('invalid_code');
    // A fresh code (after the cool-down) works.
    t.clock.advance(MINUTE);
    await requestCode(email);
    expect((await verify(email, await mailedCode(email))).statusCode).toBe(200);
  });

  it('does not mail a second code within a minute', async () => {
    const email = freshEmail();
    await requestCode(email);
    await requestCode(email);
    const rows = await t.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, email));
    expect(rows).toHaveLength(1);
  });

  it('settings are admin-only and change the code validity', async () => {
    expect((await agent.get('/api/v1/portal/settings')).statusCode).toBe(403);
    const patched = await admin.patch('/api/v1/portal/settings', { codeTtlMinutes: 2 });
    expect(patched.json().data).toMatchObject({ codeTtlMinutes: 2, codeMaxAttempts: 5 });
    const email = freshEmail();
    await requestCode(email);
    const code = await mailedCode(email);
    t.clock.advance(2 * MINUTE);
    expect((await verify(email, code)).statusCode).toBe(401);
    await admin.patch('/api/v1/portal/settings', { codeTtlMinutes: 10 });
    const bad = await admin.patch('/api/v1/portal/settings', {
      intakeUserId: '00000000-0000-4000-8000-000000000000',
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().errors[0]).toMatchObject({ path: 'intakeUserId', code: 'not_found' });
  });
});

describe('password and session', () => {
  it('sets a password after a code sign-in, then signs in with it; failures answer alike', async () => {
    const c = await customer();
    const weak = await c.post('/api/v1/portal/me/password', { newPassword: 'short' });
    expect(weak.json().errors[0]).toMatchObject({ path: 'newPassword', code: 'too_short' });
    expect(
      (await c.post('/api/v1/portal/me/password', { newPassword: 'a-long-secret-9' })).statusCode,
    ).toBe(204);
    expect((await c.post('/api/v1/portal/auth/sign-out')).statusCode).toBe(204);
    expect((await c.get('/api/v1/portal/me')).json().code).toBe('session_expired');

    const signIn = (email: string, password: string) =>
      t.anonymous.post('/api/v1/portal/auth/sign-in', { email, password });
    const ok = await signIn(c.email, 'a-long-secret-9');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.account.hasPassword).toBe(true);
    const wrong = await signIn(c.email, 'not-the-password');
    const unknown = await signIn(freshEmail(), 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: wrong.json().code, detail: wrong.json().detail });

    // A password session must give the current password to change it.
    const byPassword = clientOf(ok);
    const refused = await byPassword.post('/api/v1/portal/me/password', {
      newPassword: 'another-secret-1',
    });
    expect(refused.json().errors[0]).toMatchObject({
      path: 'currentPassword',
      code: 'wrong_password',
    });
  });

  it('locks the password after repeated failures without saying so', async () => {
    const c = await customer();
    await c.post('/api/v1/portal/me/password', { newPassword: 'a-long-secret-9' });
    for (let i = 0; i < t.config.KEFU_LOGIN_MAX_FAILURES; i++)
      await t.anonymous.post('/api/v1/portal/auth/sign-in', {
        email: c.email,
        password: 'nope-nope',
      });
    const locked = await t.anonymous.post('/api/v1/portal/auth/sign-in', {
      email: c.email,
      password: 'a-long-secret-9',
    });
    expect(locked.json()).toMatchObject({ status: 401, code: 'invalid_credentials' });
    t.clock.advance(t.config.KEFU_LOGIN_LOCK_MINUTES * MINUTE);
    const after = await t.anonymous.post('/api/v1/portal/auth/sign-in', {
      email: c.email,
      password: 'a-long-secret-9',
    });
    expect(after.statusCode).toBe(200);
  });

  it('counts parallel wrong passwords one by one, then refuses the right one', async () => {
    const c = await customer();
    await c.post('/api/v1/portal/me/password', { newPassword: 'a-long-secret-9' });
    const tries = await Promise.all(
      Array.from({ length: t.config.KEFU_LOGIN_MAX_FAILURES + 4 }, () =>
        t.anonymous.post('/api/v1/portal/auth/sign-in', { email: c.email, password: 'nope-nope' }),
      ),
    );
    expect(tries.every((r) => r.statusCode === 401)).toBe(true);
    const right = await t.anonymous.post('/api/v1/portal/auth/sign-in', {
      email: c.email,
      password: 'a-long-secret-9',
    });
    expect(right.statusCode).toBe(401);
    t.clock.advance(t.config.KEFU_LOGIN_LOCK_MINUTES * MINUTE);
  });

  it('idempotency keys belong to the customer, not to the address', async () => {
    const a = await customer();
    const b = await customer();
    const body = {
      category: 'consultation',
      subject: '同一个键',
      description: '两位客户同一个网络',
    };
    const key = { 'idempotency-key': 'shared-key-0001' };
    const first = await a.post('/api/v1/portal/requests', body, key);
    expect(first.statusCode).toBe(201);
    const replay = await a.post('/api/v1/portal/requests', body, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().data.id).toBe(first.json().data.id);
    const other = await b.post('/api/v1/portal/requests', body, key);
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.json().data.id).not.toBe(first.json().data.id);
  });

  it('needs the CSRF token on writes and keeps portal and staff sessions apart', async () => {
    const c = await customer();
    const noCsrf = new TestClient(t.app, c.cookie);
    const res = await noCsrf.post('/api/v1/portal/requests', {
      category: 'consultation',
      subject: 'x',
      description: 'y',
    });
    expect(res.json()).toMatchObject({ status: 403, code: 'csrf_failed' });
    const forged = new TestClient(t.app, c.cookie, 'not-the-token');
    expect((await forged.post('/api/v1/portal/auth/sign-out')).statusCode).toBe(403);
    // The portal cookie is no staff session, and a staff session is no portal session.
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    expect((await c.get('/api/v1/tickets')).statusCode).toBe(401);
    expect((await agent.get('/api/v1/portal/requests')).json()).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });
});

describe('my requests', () => {
  it('submits a request received through the portal, owned by the intake user', async () => {
    const c = await customer();
    const categories = (await t.anonymous.get('/api/v1/portal/categories')).json().data;
    expect(categories.map((x: { key: string }) => x.key)).toContain('consultation');
    const unknown = await c.post('/api/v1/portal/requests', {
      category: 'no-such-category',
      subject: 's',
      description: 'd',
    });
    expect(unknown.json().errors[0].path).toBe('category');

    const req = await submit(c);
    expect(req.status).toBe('new');
    const staff = await staffView(req.id);
    expect(staff).toMatchObject({ channel: 'portal', registration: { complete: true } });
    // No intake user configured: the front line (an agent), never the administrator by default.
    expect(staff.owner.id).toBe(agent.user.id);
    // Configure an agent as intake user.
    await admin.patch('/api/v1/portal/settings', { intakeUserId: agent.user.id });
    t.clock.advance(1000);
    const second = await submit(c, { subject: '第二个问题' });
    expect((await staffView(second.id)).owner.id).toBe(agent.user.id);
    await admin.patch('/api/v1/portal/settings', { intakeUserId: null });
    // The customer gets an acknowledgement mail.
    const acks = await t.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.ticketId, second.id));
    expect(acks.map((m) => m.template)).toEqual(['portal.request_received']);

    const page1 = await c.get('/api/v1/portal/requests?limit=1');
    expect(page1.json().data[0].id).toBe(second.id);
    const page2 = await c.get(`/api/v1/portal/requests?limit=1&cursor=${page1.json().nextCursor}`);
    expect(page2.json().data[0].id).toBe(req.id);
    expect(page2.json().nextCursor).toBeNull();
  });

  it('the bell tells staff: portal request, assigned to me, customer reply, confirm and reject', async () => {
    const specialist = await t.as('specialist');
    const kindsOf = async (c: TestClient, ticketId: string) =>
      (await c.get('/api/v1/notifications?limit=100'))
        .json()
        .data.filter((x: { ticketId: string }) => x.ticketId === ticketId)
        .map((x: { kind: string }) => x.kind)
        .reverse();
    const c = await customer();
    const req = await submit(c, { subject: '通知测试' });
    let staff = await staffView(req.id);
    expect(staff.owner.id).toBe(agent.user.id);
    expect(await kindsOf(agent, req.id)).toEqual(['ticket.portal_request']);

    const assigned = await agent.post(
      `/api/v1/tickets/${req.id}/assign`,
      { handlerId: specialist.user.id },
      { 'if-match': `"${staff.version}"` },
    );
    expect(assigned.statusCode, assigned.body).toBe(200);
    t.clock.advance(1000);
    expect(await kindsOf(specialist, req.id)).toEqual(['ticket.assigned']);
    // Nobody hears about their own action.
    expect(await kindsOf(agent, req.id)).toEqual(['ticket.portal_request']);

    expect(
      (await c.post(`/api/v1/portal/requests/${req.id}/replies`, { body: '补充截图' })).statusCode,
    ).toBe(200);
    expect(await kindsOf(specialist, req.id)).toEqual(['ticket.assigned', 'ticket.customer_reply']);
    expect(await kindsOf(agent, req.id)).toEqual([
      'ticket.portal_request',
      'ticket.customer_reply',
    ]);

    t.clock.advance(1000);
    staff = await staffView(req.id);
    await walk(agent, staff, 'accepted', 'resolved');
    t.clock.advance(1000);
    const rejected = await c.post(`/api/v1/portal/requests/${req.id}/decision`, {
      decision: 'reject',
      reason: '还是不行',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await kindsOf(agent, req.id)).at(-1)).toBe('ticket.rejected');
    expect((await kindsOf(specialist, req.id)).at(-1)).toBe('ticket.rejected');
    const unread = (await agent.get('/api/v1/notifications?limit=100')).json().data[0];
    expect(unread).toMatchObject({ kind: 'ticket.rejected', readAt: null });
    expect(unread.title).toContain(req.number);

    t.clock.advance(1000);
    await walk(agent, await staffView(req.id), 'resolved');
    t.clock.advance(1000);
    await c.post(`/api/v1/portal/requests/${req.id}/decision`, { decision: 'confirm' });
    expect((await kindsOf(agent, req.id)).at(-1)).toBe('ticket.confirmed');
  });

  it('a customer never sees or touches another customer’s request', async () => {
    const alice = await customer();
    const bob = await customer();
    const hers = await submit(alice);
    for (const res of [
      await bob.get(`/api/v1/portal/requests/${hers.id}`),
      await bob.post(`/api/v1/portal/requests/${hers.id}/replies`, { body: 'hi' }),
      await bob.post(`/api/v1/portal/requests/${hers.id}/decision`, { decision: 'confirm' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().errors[0]).toMatchObject({ path: 'id', code: 'not_found' });
    }
    const bobs = (await bob.get('/api/v1/portal/requests')).json().data;
    expect(bobs.map((r: { id: string }) => r.id)).not.toContain(hers.id);
    expect((await t.anonymous.get(`/api/v1/portal/requests/${hers.id}`)).statusCode).toBe(401);
  });

  it('shows the public timeline only, staff by display name', async () => {
    const c = await customer();
    const req = await submit(c);
    await agent.post(`/api/v1/tickets/${req.id}/replies`, {
      body: '内部备注：疑似系统故障',
      visibility: 'internal',
    });
    await agent.post(`/api/v1/tickets/${req.id}/replies`, {
      body: '您好，我们正在处理',
      visibility: 'public',
    });
    const view = (await c.get(`/api/v1/portal/requests/${req.id}`)).json().data;
    const bodies = view.timeline.map((e: { body: string | null }) => e.body);
    expect(bodies).toContain('您好，我们正在处理');
    expect(bodies).not.toContain('内部备注：疑似系统故障');
    const reply = view.timeline.find((e: { kind: string }) => e.kind === 'reply');
    expect(reply).toMatchObject({ author: 'staff', authorName: expect.any(String) });
    expect(JSON.stringify(view)).not.toContain(agent.user.id);
    expect(view.timeline[0]).toMatchObject({ kind: 'created', author: 'you' });
  });

  it('a reply resumes a ticket waiting on the customer and does not count as a response', async () => {
    const c = await customer();
    const req = await submit(c);
    await walk(admin, await staffView(req.id), 'accepted', 'in_progress', 'pending_customer');
    const reply = await c.post(`/api/v1/portal/requests/${req.id}/replies`, {
      body: '截图已补充，请查看',
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().data.status).toBe('in_progress');
    const staff = await staffView(req.id);
    expect(staff.status).toBe('in_progress');
    const timeline = (await agent.get(`/api/v1/tickets/${req.id}/timeline`)).json().data;
    const last = timeline.slice(-2);
    expect(last[0]).toMatchObject({ kind: 'reply', visibility: 'public', actor: null });
    expect(last[1]).toMatchObject({
      kind: 'status',
      data: { from: 'pending_customer', to: 'in_progress' },
    });
    const clocks = (await agent.get(`/api/v1/tickets/${req.id}/sla`)).json().data;
    expect(clocks.every((k: { state: string }) => k.state !== 'paused')).toBe(true);
    const [row] = await t.database.db.select().from(tickets).where(eq(tickets.id, req.id));
    expect(row!.firstResponseAt).toBeNull();
  });

  it('a status change’s reason stays internal unless the agent chose to show it', async () => {
    const c = await customer();
    const req = await submit(c);
    const accepted = await walk(admin, await staffView(req.id), 'accepted', 'in_progress');
    await walk(admin, accepted, { to: 'pending_internal', reason: '等仓库回复，别告诉客户' });
    const shown = await walk(admin, await staffView(req.id), {
      to: 'in_progress',
      reason: '仓库已回复，正在处理',
      reasonVisibleToCustomer: true,
    });
    expect(shown.status).toBe('in_progress');
    const timeline = (await c.get(`/api/v1/portal/requests/${req.id}`)).json().data.timeline as {
      kind: string;
      body: string | null;
      data: Record<string, unknown>;
    }[];
    const bodies = timeline.filter((e) => e.kind === 'status').map((e) => e.body);
    expect(JSON.stringify(timeline)).not.toContain('别告诉客户');
    expect(bodies).toContain('仓库已回复，正在处理');
    // Staff still see both.
    const staff = (await admin.get(`/api/v1/tickets/${req.id}/timeline`)).json().data;
    expect(JSON.stringify(staff)).toContain('别告诉客户');
  });

  it('confirms or rejects a resolution while signed in; the mailed link is spent', async () => {
    const c = await customer();
    const req = await submit(c);
    const ticket = await walk(admin, await staffView(req.id), 'accepted', 'resolved');
    const view = (await c.get(`/api/v1/portal/requests/${req.id}`)).json().data;
    expect(view).toMatchObject({ status: 'resolved', awaitingConfirmation: true });

    const noReason = await c.post(`/api/v1/portal/requests/${req.id}/decision`, {
      decision: 'reject',
    });
    expect(noReason.json().errors[0]).toMatchObject({ path: 'reason', code: 'required' });
    const rejected = await c.post(`/api/v1/portal/requests/${req.id}/decision`, {
      decision: 'reject',
      reason: '还是无法兑换',
    });
    expect(rejected.json().data.status).toBe('reopened');
    const link = await t.anonymous.get(
      `/api/v1/portal/confirmations/${tokenOf(ticket.confirmationUrl)}`,
    );
    expect(link.json().data).toMatchObject({ state: 'used', decision: 'reject' });

    const again = await walk(admin, await staffView(req.id), 'resolved');
    expect(again.status).toBe('resolved');
    const confirmed = await c.post(`/api/v1/portal/requests/${req.id}/decision`, {
      decision: 'confirm',
    });
    expect(confirmed.json().data).toMatchObject({ status: 'closed', canReply: false });
    const twice = await c.post(`/api/v1/portal/requests/${req.id}/decision`, {
      decision: 'confirm',
    });
    expect(twice.json()).toMatchObject({ status: 409, code: 'not_awaiting_confirmation' });
    const closedReply = await c.post(`/api/v1/portal/requests/${req.id}/replies`, { body: 'x' });
    expect(closedReply.json()).toMatchObject({ status: 409, code: 'ticket_closed' });
    const audit = await admin.get(`/api/v1/audit-events?action=ticket.confirmation`);
    expect(
      audit.json().data.some((e: { actorName: string }) => e.actorName?.startsWith('customer:')),
    ).toBe(true);
  });
});

describe('rate limits', () => {
  it('limits code requests and sign-ins per address', async () => {
    const limited = await createTestContext({ KEFU_LOGIN_RATE_PER_MINUTE: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          (
            await limited.anonymous.post('/api/v1/portal/auth/request-code', {
              email: `r${i}@example.com`,
            })
          ).statusCode,
        );
      expect(codes).toEqual([202, 202, 429]);
      const signIns = [];
      for (let i = 0; i < 3; i++)
        signIns.push(
          (
            await limited.anonymous.post('/api/v1/portal/auth/sign-in', {
              email: 'r@example.com',
              password: 'whatever-123',
            })
          ).statusCode,
        );
      expect(signIns).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
