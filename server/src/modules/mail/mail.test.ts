import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../db/schema/index.js';
import { startMailSender, type MailSender } from '../../jobs/mail-sender.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket, tokenOf, walk } from '../tickets/test-support.js';
import { claimDueMail, enqueueMail } from './outbox.js';
import { startTestSmtp, type TestSmtp } from './test-smtp.js';

const PUBLIC_URL = 'https://kefu.example.com';
let t: TestContext;
let smtp: TestSmtp;
let sender: MailSender;
let agent: TestClient;
let admin: TestClient;

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestContext({
    KEFU_SMTP_URL: smtp.url,
    KEFU_MAIL_FROM: 'Kefu 客服 <service@kefu.example.com>',
    PUBLIC_URL: PUBLIC_URL,
    KEFU_MAIL_MAX_ATTEMPTS: 3,
    KEFU_MAIL_RETRY_SECONDS: 60,
    KEFU_MAIL_SEND_MS: 0,
  });
  sender = startMailSender({ db: t.database.db, clock: t.clock, config: t.config });
  agent = await t.as('agent');
  admin = await t.as('admin');
});
afterAll(async () => {
  await sender.stop();
  await t.close();
  await smtp.close();
});
beforeEach(async () => {
  smtp.reject = null;
  // Each test starts with an empty queue: earlier tests' mail is marked sent.
  await t.database.db
    .update(mailOutbox)
    .set({ status: 'sent', sentAt: t.clock.now() })
    .where(eq(mailOutbox.status, 'queued'));
});

const outboxOf = (ticketId: string) =>
  t.database.db.select().from(mailOutbox).where(eq(mailOutbox.ticketId, ticketId));

let n = 0;
const customerWithEmail = (email?: string) => {
  n += 1;
  return { customer: { name: `邮件客户${n}`, email: email ?? `mail${n}@example.com` } };
};

describe('confirmation email', () => {
  it('resolving queues the mail in the same transaction and the sender delivers the one-time link', async () => {
    const ticket = await registerTicket(agent, customerWithEmail('li.hua@example.com'));
    const resolved = await walk(agent, ticket, 'accepted', 'resolved');
    const [queued] = await outboxOf(ticket.id);
    expect(queued).toMatchObject({
      status: 'queued',
      template: 'ticket.confirmation',
      locale: 'zh-CN',
      toAddress: 'li.hua@example.com',
    });
    const before = smtp.received.length;
    expect(await sender.runOnce()).toMatchObject({ sent: 1, failed: 0 });
    const mail = smtp.received[before]!;
    expect(mail.subject).toContain(ticket.number);
    expect(mail.subject).toContain('请确认');
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.text).toBe('li.hua@example.com');
    const token = tokenOf(resolved.confirmationUrl);
    const link = `${PUBLIC_URL}/portal/confirm/${token}`;
    expect(resolved.confirmationUrl).toBe(link);
    expect(mail.text).toContain(link);
    expect(mail.html || '').toContain(`href="${link}"`);
    expect(mail.headers.get('x-kefu-mail-id')).toBe(queued!.id);

    const [sent] = await outboxOf(ticket.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    // The link in the mail works (once).
    const view = await t.anonymous.get(`/api/v1/portal/confirmations/${token}`);
    expect(view.json().data).toMatchObject({ number: ticket.number, state: 'open' });
    // The timeline says the customer was told by email.
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    const notice = timeline.find(
      (e: { kind: string; data: { requested?: boolean } }) =>
        e.kind === 'confirmation' && e.data.requested,
    );
    expect(notice.data).toMatchObject({ notifiedBy: 'email', sentTo: 'l***@example.com' });
  });

  it('a customer without email gets no mail and the timeline does not claim one', async () => {
    n += 1;
    const ticket = await registerTicket(agent, {
      customer: { name: `无邮箱${n}`, phone: `1380000${String(2000 + n)}` },
    });
    await walk(agent, ticket, 'accepted', 'resolved');
    expect(await outboxOf(ticket.id)).toHaveLength(0);
    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    const notice = timeline.find((e: { kind: string }) => e.kind === 'confirmation');
    expect(notice.data.notifiedBy).toBeUndefined();
  });

  it('a re-issued link is mailed too, and a failed transition queues nothing', async () => {
    const ticket = await registerTicket(agent, customerWithEmail());
    const resolved = await walk(agent, ticket, 'accepted', 'resolved');
    const again = await agent.post(`/api/v1/tickets/${ticket.id}/confirmation-link`);
    expect(again.statusCode).toBe(200);
    expect(await outboxOf(ticket.id)).toHaveLength(2);
    // Resolving again is illegal (409): the rolled back transaction leaves no mail behind.
    const refused = await agent.post(
      `/api/v1/tickets/${ticket.id}/transitions`,
      { to: 'resolved' },
      { 'if-match': `"${resolved.version}"` },
    );
    expect(refused.statusCode).toBe(409);
    expect(await outboxOf(ticket.id)).toHaveLength(2);
  });
});

describe('outbox', () => {
  it('enqueueMail belongs to the business transaction: a rollback takes the mail with it', async () => {
    const count = async () => (await t.database.db.select().from(mailOutbox)).length;
    const before = await count();
    await expect(
      t.database.db.transaction(async (tx) => {
        await enqueueMail(tx, t.clock.now(), {
          to: 'x@example.com',
          template: 'portal.sign_in_code',
          locale: 'en-US',
          params: { code: '123456', minutes: 10 },
        });
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    expect(await count()).toBe(before);
  });

  it('retries with back-off, gives up after the last attempt, and an admin can queue it again', async () => {
    smtp.reject = /^bounce@/;
    const ticket = await registerTicket(agent, customerWithEmail('bounce@example.com'));
    await walk(agent, ticket, 'accepted', 'resolved');
    const row = async () => (await outboxOf(ticket.id))[0]!;

    expect(await sender.runOnce()).toMatchObject({ sent: 0, retrying: 1 });
    let r = await row();
    expect(r).toMatchObject({ status: 'queued', attempts: 1 });
    expect(r.lastError).toMatch(/550/);
    expect(r.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(60_000);
    // Not due yet: nothing is tried.
    expect(await sender.runOnce()).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    t.clock.advance(60_000);
    expect(await sender.runOnce()).toMatchObject({ retrying: 1 });
    r = await row();
    expect(r.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(120_000);
    t.clock.advance(120_000);
    expect(await sender.runOnce()).toMatchObject({ failed: 1 });
    r = await row();
    expect(r).toMatchObject({ status: 'failed', attempts: 3 });

    const admin2 = await t.signIn((await t.buildUser({ roles: ['admin'] })).email);
    const listed = await admin2.get(`/api/v1/mail/outbox?status=failed&ticketId=${ticket.id}`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data).toHaveLength(1);
    expect(listed.json().data[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      to: 'bounce@example.com',
    });
    expect(listed.json().data[0].text).toBeUndefined();

    expect((await agent.post(`/api/v1/mail/outbox/${r.id}/retry`)).statusCode).toBe(403);
    const retried = await admin2.post(`/api/v1/mail/outbox/${r.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().data).toMatchObject({ status: 'queued', attempts: 0 });
    const twice = await admin2.post(`/api/v1/mail/outbox/${r.id}/retry`);
    expect(twice.json()).toMatchObject({ status: 409, code: 'mail_not_failed' });
    const unknown = await admin2.post(
      '/api/v1/mail/outbox/00000000-0000-4000-8000-000000000000/retry',
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors[0]).toMatchObject({ path: 'id', code: 'not_found' });

    smtp.reject = null;
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    expect(await row()).toMatchObject({ status: 'sent' });
    const audit = await admin2.get('/api/v1/audit-events?action=mail.retry');
    expect(audit.json().data.length).toBeGreaterThan(0);
  });

  it('concurrent claims take disjoint rows (FOR UPDATE SKIP LOCKED) and lease them', async () => {
    const now = t.clock.now();
    await t.database.db.transaction(async (tx) => {
      for (let i = 0; i < 10; i++)
        await enqueueMail(tx, now, {
          to: `claim${i}@example.com`,
          template: 'portal.sign_in_code',
          locale: 'zh-CN',
          params: { code: '000000', minutes: 10 },
        });
    });
    const db = t.database.db;
    const [a, b] = await Promise.all([
      claimDueMail(db, now, 6, 300_000),
      claimDueMail(db, now, 6, 300_000),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(10);
    // Leased: nobody claims them again until the lease ends.
    expect(await claimDueMail(db, now, 50, 300_000)).toHaveLength(0);
    expect(await claimDueMail(db, new Date(now.getTime() + 300_000), 50, 1000)).toHaveLength(10);
    await db
      .update(mailOutbox)
      .set({ status: 'sent', sentAt: now })
      .where(eq(mailOutbox.status, 'queued'));
  });

  it('a row locked by another sender is skipped, not waited for (PostgreSQL)', async () => {
    if (t.database.engine !== 'postgres') return; // PGlite has one connection: no concurrency.
    const now = t.clock.now();
    const db = t.database.db;
    const [locked] = await db.transaction((tx) =>
      Promise.all(
        [1, 2].map((i) =>
          enqueueMail(tx, now, {
            to: `locked${i}@example.com`,
            template: 'portal.sign_in_code',
            locale: 'zh-CN',
            params: { code: '000000', minutes: 10 },
          }),
        ),
      ),
    );
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let lockedIt!: () => void;
    const isLocked = new Promise<void>((r) => (lockedIt = r));
    const holder = db.transaction(async (tx) => {
      await tx.select().from(mailOutbox).where(eq(mailOutbox.id, locked!.id)).for('update');
      lockedIt();
      await held;
    });
    await isLocked;
    const claimed = await claimDueMail(db, now, 50, 300_000);
    expect(claimed.map((r) => r.toAddress)).toEqual(['locked2@example.com']);
    release();
    await holder;
    await db
      .update(mailOutbox)
      .set({ status: 'sent', sentAt: now })
      .where(eq(mailOutbox.status, 'queued'));
  });

  it('admins see whether mail is configured; other roles are refused', async () => {
    const status = await admin.get('/api/v1/mail/status');
    expect(status.json().data).toMatchObject({ configured: true });
    expect((await agent.get('/api/v1/mail/outbox')).statusCode).toBe(403);
    const page = await admin.get('/api/v1/mail/outbox?limit=2');
    expect(page.json().data).toHaveLength(2);
    const next = await admin.get(`/api/v1/mail/outbox?limit=2&cursor=${page.json().nextCursor}`);
    expect(next.json().data[0].id).not.toBe(page.json().data[0].id);
    // Sign-in codes never show in the admin list.
    expect(JSON.stringify((await admin.get('/api/v1/mail/outbox?limit=200')).json())).not.toContain(
      '000000',
    );
  });
});

describe('expiry', () => {
  it('a backlog that waited for SMTP does not go out stale: expired codes and confirmations stay unsent', async () => {
    // A sign-in code valid 10 minutes, queued while mail could not leave.
    const code = await t.database.db.transaction((tx) =>
      enqueueMail(tx, t.clock.now(), {
        to: 'late@example.com',
        template: 'portal.sign_in_code',
        locale: 'zh-CN',
        params: { code: '123456', minutes: 10 },
      }),
    );
    expect(code.expiresAt?.getTime()).toBe(t.clock.now().getTime() + 10 * 60_000);
    // A confirmation request for a ticket that was reopened before the mail could leave.
    const ticket = await registerTicket(agent, customerWithEmail());
    const resolved = await walk(agent, ticket, 'accepted', 'resolved');
    await walk(agent, resolved, { to: 'reopened', reason: '客户来电说问题还在' });
    // A confirmation that still makes sense.
    const current = await registerTicket(agent, customerWithEmail('still@example.com'));
    await walk(agent, current, 'accepted', 'resolved');

    t.clock.advance(11 * 60_000);
    const before = smtp.received.length;
    expect(await sender.runOnce()).toMatchObject({ sent: 1, failed: 0 });
    expect(smtp.received.slice(before).map((m) => m.subject)).toEqual([
      expect.stringContaining(current.number),
    ]);
    const [codeRow] = await t.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.id, code.id));
    expect(codeRow).toMatchObject({ status: 'expired', sentAt: null });
    expect(codeRow!.lastError).toMatch(/past its validity/);
    const [stale] = await outboxOf(ticket.id);
    expect(stale).toMatchObject({ status: 'expired', sentAt: null });
    expect(stale!.lastError).toMatch(/ticket no longer needs/);

    // The admin outbox shows them, filterable, with the counts.
    const expired = (await admin.get('/api/v1/mail/outbox?status=expired')).json().data;
    expect(expired.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining([code.id, stale!.id]),
    );
    expect(expired[0].expiresAt).toEqual(expect.any(String));
    expect((await admin.get('/api/v1/mail/status')).json().data.counts.expired).toBeGreaterThan(1);
  });
});

describe('without SMTP configuration', () => {
  it('mail stays queued and the admin sees "not configured"', async () => {
    const bare = await createTestContext({ KEFU_MAIL_SEND_MS: 0 });
    try {
      const job = startMailSender({ db: bare.database.db, clock: bare.clock, config: bare.config });
      const a = await bare.as('agent');
      const ticket = await registerTicket(a, customerWithEmail());
      await walk(a, ticket, 'accepted', 'resolved');
      expect(await job.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      const rows = await bare.database.db.select().from(mailOutbox);
      expect(rows.map((r) => r.status)).toEqual(['queued']);
      const admin3 = await bare.as('admin');
      expect((await admin3.get('/api/v1/mail/status')).json().data).toEqual({
        configured: false,
        from: null,
        counts: { queued: 1, sent: 0, failed: 0, expired: 0, discarded: 0 },
      });
      await job.stop();
    } finally {
      await bare.close();
    }
  });
});
