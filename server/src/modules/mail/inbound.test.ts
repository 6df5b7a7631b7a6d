/**
 * Inbound mail with real peers (issue 13): nodemailer sends to Kefu's SMTP receiver over a real
 * socket; a private Dovecot serves an IMAP mailbox that Kefu polls with imapflow.
 */
import { createServer, type AddressInfo } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailInbound, tickets } from '../../db/schema/index.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ingestBatch, ingestMessage, type IngestResult } from './inbound.js';
import { dovecotInstalled, startTestDovecot, type TestDovecot } from './test-dovecot.js';

let t: TestContext;
let admin: TestClient;
let agent: TestClient;
let smtpPort: number;
let dovecot: TestDovecot | null;
let teamId: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  t = await createTestContext();
  admin = await t.as('admin');
  agent = await t.as('agent');
  teamId = (await t.buildTeam('邮件组')).id;
  smtpPort = await freePort();
  dovecot = await startTestDovecot();
  // CI installs dovecot and sets KEFU_REQUIRE_DOVECOT: there the IMAP tests may not be skipped.
  if (!dovecot && process.env.KEFU_REQUIRE_DOVECOT)
    throw new Error('dovecot-imapd is required (KEFU_REQUIRE_DOVECOT) but not installed');
  if (!dovecot) console.warn('SKIPPED: IMAP tests (dovecot-imapd is not installed)');
}, 180_000);
afterAll(async () => {
  await t.close();
  dovecot?.stop();
});

const send = async (
  mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0],
) => {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({ to: 'support@kefu.test', ...mail });
  } finally {
    transport.close();
  }
};

const inboundOf = async (messageId: string) => {
  const [row] = await t.database.db
    .select()
    .from(mailInbound)
    .where(eq(mailInbound.messageId, messageId));
  return row;
};

describe('SMTP receiver', () => {
  it('is off by default; an admin turns it on and the settings never fail on bad input', async () => {
    const before = await admin.get('/api/v1/mail/inbound/settings');
    expect(before.statusCode).toBe(200);
    expect(before.json().data).toMatchObject({
      smtpEnabled: false,
      receiver: { listening: false },
    });
    const bad = await admin.patch('/api/v1/mail/inbound/settings', { senderLimit: 0 });
    expect(bad.statusCode).toBe(400);
    const badBlock = await admin.patch('/api/v1/mail/inbound/settings', { blocklist: ['nope'] });
    expect(badBlock.statusCode).toBe(400);
    const unknownTeam = await admin.patch('/api/v1/mail/inbound/settings', {
      smtpTeamId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownTeam.statusCode).toBe(404);
    const on = await admin.patch('/api/v1/mail/inbound/settings', {
      smtpEnabled: true,
      smtpPort,
      smtpTeamId: teamId,
      blocklist: ['@spam.test', 'Bad@Example.test'],
      senderLimit: 10,
    });
    expect(on.statusCode).toBe(200);
    expect(on.json().data).toMatchObject({
      smtpEnabled: true,
      blocklist: ['@spam.test', 'bad@example.test'],
      receiver: { listening: true, port: smtpPort },
    });
    expect((await agent.get('/api/v1/mail/inbound/settings')).statusCode).toBe(403);
  });

  it('a new message registers an email ticket: customer by address, team of the receiver, SLA', async () => {
    const info = await send({
      from: '"王芳" <wang.fang@example.test>',
      subject: '发票抬头错了',
      text: '你好，发票抬头需要改成公司名称。\n\n王芳\n-- \n王芳 | 某公司',
      messageId: '<first-1@example.test>',
    });
    expect(info.accepted).toHaveLength(1);
    const row = await inboundOf('first-1@example.test');
    expect(row).toMatchObject({
      outcome: 'ticket',
      source: 'smtp',
      fromAddress: 'wang.fang@example.test',
    });
    const [ticket] = await t.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, row!.ticketId!));
    expect(ticket).toMatchObject({ channel: 'email', subject: '发票抬头错了', teamId });
    expect(ticket!.description).toContain('发票抬头需要改成公司名称');
    expect(ticket!.description).not.toContain('某公司'); // the signature is folded away
    expect(ticket!.slaDueAt).not.toBeNull();
    const tl = await agent.get(`/api/v1/tickets/${ticket!.id}/timeline`);
    expect(tl.statusCode).toBe(200);
  });

  it('threads replies by In-Reply-To / References or [number]; never by subject text alone', async () => {
    const first = await inboundOf('first-1@example.test');
    const [ticket] = await t.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, first!.ticketId!));
    await send({
      from: 'wang.fang@example.test',
      subject: 'Re: 发票抬头错了',
      text: '补充：税号 123456\n\nOn Mon, 1 Dec 2026, Kefu wrote:\n> 旧的内容',
      messageId: '<reply-1@example.test>',
      inReplyTo: '<first-1@example.test>',
      references: ['<first-1@example.test>'],
    });
    expect(await inboundOf('reply-1@example.test')).toMatchObject({
      outcome: 'appended',
      ticketId: ticket!.id,
    });
    await send({
      from: 'wang.fang@example.test',
      subject: `回复：[${ticket!.number}] 发票`,
      text: '还有一件事',
      messageId: '<reply-2@example.test>',
    });
    expect(await inboundOf('reply-2@example.test')).toMatchObject({
      outcome: 'appended',
      ticketId: ticket!.id,
    });
    // Same subject, no headers, no number: a new ticket.
    await send({
      from: 'wang.fang@example.test',
      subject: 'Re: 发票抬头错了',
      text: '另一个问题',
      messageId: '<reply-3@example.test>',
    });
    const third = await inboundOf('reply-3@example.test');
    expect(third!.outcome).toBe('ticket');
    expect(third!.ticketId).not.toBe(ticket!.id);
    const tl = (await agent.get(`/api/v1/tickets/${ticket!.id}/timeline`)).json();
    const replies = JSON.stringify(tl);
    expect(replies).toContain('税号 123456');
  });

  it('an unknown sender on a known thread is held until an agent accepts it', async () => {
    const first = await inboundOf('first-1@example.test');
    await send({
      from: 'colleague@other.test',
      subject: 'Re: 发票抬头错了',
      text: '我是她同事，补充一下',
      messageId: '<held-1@other.test>',
      inReplyTo: '<first-1@example.test>',
    });
    const held = await inboundOf('held-1@other.test');
    expect(held).toMatchObject({ outcome: 'held', ticketId: first!.ticketId });
    const list = await agent.get('/api/v1/mail/inbound?outcome=held');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((m: { id: string }) => m.id)).toContain(held!.id);
    const accepted = await agent.post(`/api/v1/mail/inbound/${held!.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().data.outcome).toBe('accepted');
    expect((await agent.post(`/api/v1/mail/inbound/${held!.id}/accept`)).statusCode).toBe(409);
  });

  it('auto-replies, bulk, bounces and blocked senders are recorded, not ticketed; floods are limited', async () => {
    await send({
      from: 'away@example.test',
      subject: 'Out of office',
      text: 'I am away',
      messageId: '<ooo@example.test>',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await send({
      from: 'news@example.test',
      subject: 'Newsletter',
      text: 'buy',
      messageId: '<bulk@example.test>',
      headers: { Precedence: 'bulk' },
    });
    await send({
      from: 'MAILER-DAEMON@example.test',
      subject: 'Undelivered Mail Returned to Sender',
      text: 'failed',
      messageId: '<bounce@example.test>',
    });
    await send({ from: 'x@spam.test', subject: 'hi', text: 'spam', messageId: '<spam@spam.test>' });
    expect((await inboundOf('ooo@example.test'))!.outcome).toBe('auto_reply');
    expect((await inboundOf('bulk@example.test'))!.outcome).toBe('bulk');
    expect((await inboundOf('bounce@example.test'))!.outcome).toBe('bounce');
    expect((await inboundOf('spam@spam.test'))!.outcome).toBe('blocked');
    for (const row of ['ooo', 'bulk', 'bounce'])
      expect((await inboundOf(`${row}@example.test`))!.ticketId).toBeNull();
    // Limit 3 per window: the fourth message from one sender is recorded, not ticketed.
    await admin.patch('/api/v1/mail/inbound/settings', { senderLimit: 3 });
    for (let i = 1; i <= 4; i += 1)
      await send({
        from: 'flood@example.test',
        subject: `flood ${i}`,
        text: 'x',
        messageId: `<flood-${i}@example.test>`,
      });
    expect((await inboundOf('flood-3@example.test'))!.outcome).toBe('ticket');
    expect((await inboundOf('flood-4@example.test'))!.outcome).toBe('rate_limited');
  });

  it('the same Message-ID twice changes nothing', async () => {
    const count = async () => (await t.database.db.select().from(tickets)).length;
    const n = await count();
    await send({
      from: 'dup@example.test',
      subject: 'dup',
      text: 'x',
      messageId: '<dup@example.test>',
    });
    await send({
      from: 'dup@example.test',
      subject: 'dup',
      text: 'x',
      messageId: '<dup@example.test>',
    });
    expect(await count()).toBe(n + 1);
    const again = await ingestMessage(
      t.database.db,
      t.clock.now(),
      Buffer.from(
        'From: dup@example.test\r\nMessage-ID: <dup@example.test>\r\nSubject: dup\r\n\r\nx',
      ),
      { source: 'smtp', arrivedAt: t.clock.now() },
    );
    expect(again.outcome).toBe('duplicate');
    expect(await count()).toBe(n + 1);
  });

  it('malformed, sender-less and oversized messages are recorded with a clear reason', async () => {
    const noFrom = await ingestMessage(
      t.database.db,
      t.clock.now(),
      Buffer.from('Subject: who\r\nMessage-ID: <nofrom@x.test>\r\n\r\nbody'),
      { source: 'smtp', arrivedAt: t.clock.now() },
    );
    expect(noFrom).toMatchObject({ outcome: 'rejected', reason: 'no sender address (From)' });
    await admin.patch('/api/v1/mail/inbound/settings', { maxMessageBytes: 2048 });
    const big = await ingestMessage(
      t.database.db,
      t.clock.now(),
      Buffer.from(
        `From: big@x.test\r\nMessage-ID: <big@x.test>\r\nSubject: big\r\n\r\n${'x'.repeat(5000)}`,
      ),
      { source: 'smtp', arrivedAt: t.clock.now() },
    );
    expect(big.outcome).toBe('rejected');
    expect(big.reason).toMatch(/too large/);
    await admin.patch('/api/v1/mail/inbound/settings', { maxMessageBytes: 26214400 });
    const hostile = await ingestMessage(
      t.database.db,
      t.clock.now(),
      Buffer.from(
        'From: h@x.test\r\nMessage-ID: <hostile@x.test>\r\nSubject: =?utf-8?B?PHNjcmlwdD4=?=\r\nContent-Type: text/html\r\n\r\n<p>hi<script>alert(1)</script><img src=x onerror=alert(2)></p>',
      ),
      { source: 'smtp', arrivedAt: t.clock.now() },
    );
    expect(hostile.outcome).toBe('ticket');
    const [ticket] = await t.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, hostile.ticketId!));
    expect(ticket!.description).not.toMatch(/<script|onerror/);
    const raw = await admin.get(`/api/v1/mail/inbound/${hostile.inboundId}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.json().data.raw).toContain('<script>');
  });

  const mail = (from: string, id: string, subject: string, extra = '') =>
    Buffer.from(
      `From: ${from}\r\nMessage-ID: <${id}>\r\nSubject: ${subject}\r\n${extra}\r\n${subject} body`,
    );
  const item = (raw: Buffer) => ({
    raw,
    src: { source: 'smtp' as const, arrivedAt: t.clock.now() },
  });

  it('a sender address a customer record cannot hold is recorded as rejected, never blocking its batch', async () => {
    // mailparser reads these; the customer's email check (or its 254-character limit) does not.
    const long = `${'x'.repeat(250)}@example.test`;
    const raw = (from: string, id: string) =>
      `From: "Odd" <${from}>\r\nTo: support@kefu.test\r\nSubject: odd ${id}\r\n` +
      `Message-ID: <${id}>\r\n\r\nplease help`;
    const envelope = { from: 'envelope@example.test', to: ['support@kefu.test'] };
    // Sent together, so the receiver may take them into one batch.
    const infos = await Promise.all([
      send({ envelope, raw: raw('用户@例子.测试', 'odd-idn@x.test') }),
      send({ envelope, raw: raw(long, 'odd-long@x.test') }),
      send({ envelope, raw: raw('a..b@example.test', 'odd-dots@x.test') }),
      send({ envelope, raw: raw('fine.sender@example.test', 'odd-fine@x.test') }),
    ]);
    // Answered 250: committed, not left for the sender to retry forever.
    for (const info of infos) expect(info.accepted).toHaveLength(1);
    for (const id of ['odd-idn@x.test', 'odd-long@x.test', 'odd-dots@x.test']) {
      const row = await inboundOf(id);
      expect(row).toMatchObject({ outcome: 'rejected', ticketId: null });
      expect(row!.reason).toMatch(/sender address cannot be a customer's email/);
    }
    expect((await inboundOf('odd-long@x.test'))!.reason).toMatch(/longer than 254/);
    expect(await inboundOf('odd-fine@x.test')).toMatchObject({ outcome: 'ticket' });
    // In one batch (one transaction) too: the others of the batch are registered.
    const results = await ingestBatch(t.database.db, t.clock.now(), [
      item(mail('"Odd" <b..c@example.test>', 'odd-batch-1@x.test', 'odd')),
      item(mail('fine.too@example.test', 'odd-batch-2@x.test', 'fine')),
    ]);
    expect(results.map((r) => (r as IngestResult).outcome)).toEqual(['rejected', 'ticket']);
  });

  it('a batch (one transaction) behaves as its messages one after another', async () => {
    const results = await ingestBatch(t.database.db, t.clock.now(), [
      item(mail('batch.a@example.test', 'batch-1@x.test', 'first')),
      item(mail('batch.a@example.test', 'batch-1@x.test', 'first again')),
      item(
        mail(
          'batch.a@example.test',
          'batch-2@x.test',
          'Re: first',
          'In-Reply-To: <batch-1@x.test>\r\n',
        ),
      ),
      item(mail('batch.a@example.test', 'batch-3@x.test', 'second')),
      item(
        mail('batch.b@example.test', 'batch-4@x.test', 'Auto', 'Auto-Submitted: auto-replied\r\n'),
      ),
    ]);
    const [first, again, reply, second, auto] = results as IngestResult[];
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
    expect(first).toMatchObject({ outcome: 'ticket' });
    // The same Message-ID later in the batch is a duplicate of the first …
    expect(again).toMatchObject({
      outcome: 'duplicate',
      inboundId: first!.inboundId,
      ticketId: first!.ticketId,
    });
    // … a reply threads onto the ticket registered earlier in the same batch …
    expect(reply).toMatchObject({ outcome: 'appended', ticketId: first!.ticketId });
    // … and the customer created for the first message is the customer of the next.
    expect(second).toMatchObject({ outcome: 'ticket' });
    const rows = await t.database.db
      .select()
      .from(tickets)
      .where(inArray(tickets.id, [first!.ticketId!, second!.ticketId!]));
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(1);
    expect(auto).toMatchObject({ outcome: 'auto_reply', ticketId: null });
    for (const id of ['batch-1@x.test', 'batch-2@x.test', 'batch-3@x.test', 'batch-4@x.test'])
      expect(await inboundOf(id)).toBeDefined();
    const audit = await admin.get(
      `/api/v1/audit-events?action=ticket.create&targetId=${second!.ticketId}`,
    );
    expect(audit.json().data).toHaveLength(1);
  });

  it('overlapping batches of two receivers: each Message-ID once, nothing lost', async () => {
    const shared = item(mail('race.s@example.test', 'race-shared@x.test', 'shared'));
    const [left, right] = await Promise.all([
      ingestBatch(t.database.db, t.clock.now(), [
        shared,
        item(mail('race.l@example.test', 'race-left@x.test', 'left')),
      ]),
      ingestBatch(t.database.db, t.clock.now(), [
        item(mail('race.r@example.test', 'race-right@x.test', 'right')),
        shared,
      ]),
    ]);
    const all = [...left!, ...right!] as IngestResult[];
    expect(all.every((r) => !(r instanceof Error))).toBe(true);
    const outcomes = [left![0], right![1]].map((r) => (r as IngestResult).outcome).sort();
    expect(outcomes).toEqual(['duplicate', 'ticket']);
    expect((left![1] as IngestResult).outcome).toBe('ticket');
    expect((right![0] as IngestResult).outcome).toBe('ticket');
    const made = await t.database.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.subject, 'shared'));
    expect(made).toHaveLength(1);
  });
});

describe('IMAP mailboxes', () => {
  it('an admin adds a mailbox; its password is never returned', async () => {
    const created = await admin.post('/api/v1/mail/mailboxes', {
      name: '售后邮箱',
      address: 'Support@Example.test',
      host: dovecot?.host ?? '127.0.0.1',
      port: dovecot?.port ?? 1,
      tls: false,
      username: dovecot?.user ?? 'nobody',
      password: dovecot?.password ?? 'x',
      teamId,
      category: 'complaint',
      pollSeconds: 30,
    });
    expect(created.statusCode).toBe(201);
    const box = created.json().data;
    expect(box).toMatchObject({ address: 'support@example.test', passwordSet: true });
    expect(JSON.stringify(box)).not.toContain(dovecot?.password ?? 'x"');
    const list = await admin.get('/api/v1/mail/mailboxes');
    expect(JSON.stringify(list.json())).not.toContain('imap-test-secret');
    expect((await admin.post('/api/v1/mail/mailboxes', { name: 'x' })).statusCode).toBe(400);
    const badCategory = await admin.patch(`/api/v1/mail/mailboxes/${box.id}`, {
      category: 'no_such',
    });
    expect(badCategory.statusCode).toBe(404);
  });

  it.skipIf(!dovecotInstalled)(
    'messages delivered into the mailbox become tickets and are flagged seen only after commit',
    async () => {
      if (!dovecot) return;
      const client = new ImapFlow({
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: dovecot.user, pass: dovecot.password },
        logger: false,
      });
      await client.connect();
      await client.append(
        'INBOX',
        'From: "Zhao Lei" <zhao.lei@example.test>\r\nTo: support@example.test\r\nSubject: =?utf-8?B?5py65Zmo5Z2P5LqG?=\r\nMessage-ID: <imap-1@example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe machine is broken.\r\n',
      );
      await client.append(
        'INBOX',
        'From: robot@example.test\r\nSubject: Automatic reply\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <imap-2@example.test>\r\n\r\naway\r\n',
      );
      const boxes = (await admin.get('/api/v1/mail/mailboxes')).json().data as { id: string }[];
      const polled = await admin.post(`/api/v1/mail/mailboxes/${boxes[0]!.id}/poll`);
      expect(polled.statusCode).toBe(200);
      expect(polled.json().data).toMatchObject({
        fetched: 2,
        processed: 2,
        failed: 0,
        error: null,
      });
      const row = await inboundOf('imap-1@example.test');
      expect(row).toMatchObject({ outcome: 'ticket', source: 'imap', mailboxId: boxes[0]!.id });
      const [ticket] = await t.database.db
        .select()
        .from(tickets)
        .where(eq(tickets.id, row!.ticketId!));
      expect(ticket).toMatchObject({
        channel: 'email',
        subject: '机器坏了',
        category: 'complaint',
      });
      expect((await inboundOf('imap-2@example.test'))!.outcome).toBe('auto_reply');
      // Both are seen now: a second poll fetches nothing.
      const lock = await client.getMailboxLock('INBOX');
      const unseen = await client.search({ seen: false }, { uid: true });
      lock.release();
      expect(unseen).toEqual([]);
      const again = await admin.post(`/api/v1/mail/mailboxes/${boxes[0]!.id}/poll`);
      expect(again.json().data.fetched).toBe(0);
      // A message re-marked unseen (a crash before \Seen) changes nothing the second time.
      const lock2 = await client.getMailboxLock('INBOX');
      await client.messageFlagsRemove('1:*', ['\\Seen']);
      lock2.release();
      const n = (await t.database.db.select().from(tickets)).length;
      const third = await admin.post(`/api/v1/mail/mailboxes/${boxes[0]!.id}/poll`);
      expect(third.json().data).toMatchObject({ fetched: 2, processed: 2 });
      expect((await t.database.db.select().from(tickets)).length).toBe(n);
      await client.logout();
    },
  );

  it('a wrong password is reported on the mailbox, not thrown', async () => {
    const created = await admin.post('/api/v1/mail/mailboxes', {
      name: '错误密码',
      address: 'wrong@example.test',
      host: '127.0.0.1',
      port: dovecot?.port ?? (await freePort()),
      tls: false,
      username: 'support@example.test',
      password: 'wrong',
    });
    const id = created.json().data.id as string;
    const polled = await admin.post(`/api/v1/mail/mailboxes/${id}/poll`);
    expect(polled.statusCode).toBe(200);
    expect(polled.json().data.error).toBeTruthy();
    const list = (await admin.get('/api/v1/mail/mailboxes')).json().data as {
      id: string;
      lastError: string | null;
    }[];
    expect(list.find((b) => b.id === id)!.lastError).toBeTruthy();
    expect((await admin.delete(`/api/v1/mail/mailboxes/${id}`)).statusCode).toBe(204);
  });
});
