/**
 * Replies by mail with real peers (issue 13): a message comes in over SMTP to Kefu's receiver,
 * an agent answers in Kefu, the sender hands the reply to a real SMTP server (test-smtp.ts)
 * that reads back what arrived, headers and files included, and the customer's answer to that
 * mail lands on the same ticket. Failed sends stay on the ticket and in the dead letters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailInbound, mailMailboxes, mailOutbox } from '../../db/schema/index.js';
import { startMailSender, type MailSender } from '../../jobs/mail-sender.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { EXE, PNG_1PX, upload } from '../attachments/test-support.js';
import {
  decryptSecret,
  encryptSecret,
  encryptStoredPasswords,
  secretKeyFor,
} from './secret-box.js';
import { startTestSmtp, type TestSmtp } from './test-smtp.js';

let t: TestContext;
let smtp: TestSmtp;
let sender: MailSender;
let admin: TestClient;
let agent: TestClient;
let supervisor: TestClient;
let smtpPort: number;
let dataDir: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  dataDir = await mkdtemp(join(tmpdir(), 'kefu-reply-mail-'));
  t = await createTestContext({
    KEFU_SMTP_URL: smtp.url,
    KEFU_MAIL_FROM: 'Kefu <service@kefu.example.com>',
    PUBLIC_URL: 'https://kefu.example.com',
    KEFU_MAIL_MAX_ATTEMPTS: 2,
    KEFU_MAIL_RETRY_SECONDS: 60,
    KEFU_MAIL_SEND_MS: 0,
    KEFU_DATA_DIR: dataDir,
  });
  sender = startMailSender({ db: t.database.db, clock: t.clock, config: t.config });
  admin = await t.as('admin');
  supervisor = await t.as('supervisor');
  const team = await t.buildTeam('售后组');
  const user = await t.buildUser({ roles: ['agent'], teamIds: [team.id] });
  agent = await t.signIn(user.email);
  smtpPort = await freePort();
  const on = await admin.patch('/api/v1/mail/inbound/settings', {
    smtpEnabled: true,
    smtpPort,
    smtpTeamId: team.id,
  });
  expect(on.statusCode).toBe(200);
  // The team's mailbox: replies go out from it and the answers come back to it.
  const box = await admin.post('/api/v1/mail/mailboxes', {
    name: '售后邮箱',
    address: 'aftersales@kefu.test',
    host: '127.0.0.1',
    port: 1,
    tls: false,
    username: 'aftersales',
    password: 's3cret-imap',
    teamId: team.id,
    active: false,
  });
  expect(box.statusCode).toBe(201);
}, 60_000);
afterAll(async () => {
  await sender.stop();
  await t.close();
  await smtp.close();
  await rm(dataDir, { recursive: true, force: true });
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
    return await transport.sendMail({ to: 'aftersales@kefu.test', ...mail });
  } finally {
    transport.close();
  }
};

const inbound = async (messageId: string) =>
  (await t.database.db.select().from(mailInbound).where(eq(mailInbound.messageId, messageId)))[0]!;

describe('a reply by mail, and the answer to it', () => {
  it('an inbound mail with files → the agent replies → the mail arrives threaded → the answer lands on the ticket', async () => {
    await send({
      from: '"赵敏" <zhao.min@example.test>',
      subject: '显示器有坏点',
      text: '你好，新买的显示器有坏点，照片见附件。',
      messageId: '<loop-1@example.test>',
      attachments: [
        { filename: '坏点.png', content: PNG_1PX, contentType: 'image/png' },
        { filename: 'tool.exe', content: EXE, contentType: 'application/octet-stream' },
      ],
    });
    const first = await inbound('loop-1@example.test');
    expect(first.outcome).toBe('ticket');
    const ticketId = first.ticketId!;

    // The picture is a ticket attachment; the program is refused with the reason.
    const files = (await agent.get(`/api/v1/tickets/${ticketId}/attachments`)).json().data;
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ filename: '坏点.png', mimeType: 'image/png' });
    const ticket = (await agent.get(`/api/v1/tickets/${ticketId}`)).json().data;
    const timeline = (await agent.get(`/api/v1/tickets/${ticketId}/timeline?limit=100`)).json()
      .data;
    const attachmentEvents = timeline.filter((e: { kind: string }) => e.kind === 'attachment');
    expect(attachmentEvents.map((e: { data: unknown }) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attachment: expect.objectContaining({ filename: '坏点.png' }) }),
        expect.objectContaining({ refused: [expect.objectContaining({ filename: 'tool.exe' })] }),
      ]),
    );

    // The agent answers with a file of their own.
    const up = await upload(
      agent,
      `/api/v1/tickets/${ticketId}/attachments`,
      { filename: '换货单.png', type: 'image/png', data: PNG_1PX },
      { visibility: 'public' },
    );
    expect(up.statusCode).toBe(201);
    const reply = await agent.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: '您好，我们会为您换货。',
      visibility: 'public',
      attachmentIds: [up.json().data.id],
    });
    expect(reply.statusCode).toBe(201);
    const queued = (await agent.get(`/api/v1/mail/deliveries?ticketId=${ticketId}`)).json().data;
    expect(queued).toEqual([
      expect.objectContaining({ eventId: reply.json().data.id, status: 'queued' }),
    ]);

    const before = smtp.received.length;
    expect((await sender.runOnce()).sent).toBeGreaterThanOrEqual(1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.subject).toBe(`Re: [${ticket.number}] 显示器有坏点`);
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toBe('zhao.min@example.test');
    expect(mail!.from?.value[0]).toMatchObject({ address: 'aftersales@kefu.test', name: '售后组' });
    expect(mail!.replyTo?.value[0]?.address).toBe('aftersales@kefu.test');
    expect(mail!.messageId).toMatch(
      new RegExp(`^<kefu\\.${ticketId}\\.[0-9a-f-]{36}@kefu\\.test>$`),
    );
    expect(mail!.inReplyTo).toBe('<loop-1@example.test>');
    expect([mail!.references].flat()).toContain('<loop-1@example.test>');
    expect(mail!.text).toContain('您好，我们会为您换货。');
    expect(mail!.attachments.map((a) => a.filename)).toEqual(['换货单.png']);
    expect(mail!.attachments[0]!.content.equals(PNG_1PX)).toBe(true);
    const sent = (await agent.get(`/api/v1/mail/deliveries?ticketId=${ticketId}`)).json().data;
    expect(sent[0]).toMatchObject({ status: 'sent', lastError: null });

    // The customer answers that mail (no ticket number in the subject: the headers thread it).
    t.clock.advance(60_000);
    await send({
      from: 'zhao.min@example.test',
      subject: 'Re: 好的',
      text: '好的，谢谢！\n\n在 2026年12月4日，售后组 写道：\n> 您好，我们会为您换货。',
      messageId: '<loop-2@example.test>',
      inReplyTo: mail!.messageId,
      references: [...[mail!.references].flat(), mail!.messageId!].join(' '),
    });
    const answer = await inbound('loop-2@example.test');
    expect(answer).toMatchObject({ outcome: 'appended', ticketId, reason: 'threaded by headers' });

    // A second reply chains the customer's last message.
    await agent.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: '已发货。',
      visibility: 'public',
    });
    await sender.runOnce();
    const [second] = (await smtp.waitFor(before + 2)).slice(before + 1);
    expect(second!.inReplyTo).toBe('<loop-2@example.test>');
    expect([second!.references].flat()).toEqual(
      expect.arrayContaining(['<loop-1@example.test>', mail!.messageId, '<loop-2@example.test>']),
    );
  });

  it('internal notes and tickets that did not come by mail send nothing', async () => {
    const phone = await agent.post('/api/v1/tickets', {
      channel: 'phone',
      category: 'consultation',
      priority: 'general',
      subject: '电话咨询',
      description: '客户来电',
      customer: { name: '电话客户', email: 'phone@example.test' },
    });
    expect(phone.statusCode).toBe(201);
    const id = phone.json().data.id;
    await agent.post(`/api/v1/tickets/${id}/replies`, { body: '已回电', visibility: 'public' });
    const rows = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.ticketId, id));
    expect(rows.filter((r) => r.template === 'ticket.reply')).toEqual([]);
  });

  it('a customer who prefers email gets the reply by mail on a ticket registered in the console', async () => {
    const created = await agent.post('/api/v1/tickets', {
      channel: 'chat',
      category: 'consultation',
      priority: 'general',
      subject: '网页咨询发票',
      description: '在线咨询开票',
      customer: { name: '偏好邮件', email: 'prefers.mail@example.test' },
    });
    expect(created.statusCode).toBe(201);
    const ticket = created.json().data;
    const customerId = ticket.customer.id;
    // The preference is set on the customer record.
    const set = await agent.patch(`/api/v1/customers/${customerId}`, { prefersEmail: true });
    expect(set.statusCode).toBe(200);
    expect(set.json().data.prefersEmail).toBe(true);
    expect((await agent.get(`/api/v1/customers/${customerId}`)).json().data.prefersEmail).toBe(
      true,
    );
    expect(
      (await agent.patch(`/api/v1/customers/${customerId}`, { prefersEmail: 'yes' })).statusCode,
    ).toBe(400);

    // An internal note still sends nothing; the public reply goes out by mail.
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '内部',
      visibility: 'internal',
    });
    const before = smtp.received.length;
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '发票已开具，请查收。',
      visibility: 'public',
    });
    expect(reply.statusCode).toBe(201);
    expect((await sender.runOnce()).sent).toBeGreaterThanOrEqual(1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toBe('prefers.mail@example.test');
    expect(mail!.subject).toBe(`Re: [${ticket.number}] 网页咨询发票`);
    expect(mail!.text).toContain('发票已开具，请查收。');
    expect(mail!.messageId).toMatch(new RegExp(`^<kefu\\.${ticket.id}\\.`));

    // Preference without an address: nothing to send to.
    const noMail = await agent.post('/api/v1/tickets', {
      channel: 'chat',
      category: 'consultation',
      priority: 'general',
      subject: '无邮箱',
      description: '无邮箱',
      customer: { name: '无邮箱客户', phone: '13900000001' },
    });
    const id = noMail.json().data.id;
    await agent.patch(`/api/v1/customers/${noMail.json().data.customer.id}`, {
      prefersEmail: true,
    });
    await agent.post(`/api/v1/tickets/${id}/replies`, { body: '已处理', visibility: 'public' });
    const rows = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.ticketId, id));
    expect(rows).toEqual([]);
  });
});

describe('a reply that cannot be delivered', () => {
  it('stays on the ticket as not delivered, retried, then in the dead letters to retry or discard', async () => {
    await send({
      from: 'bounce.me@example.test',
      subject: '无法送达的地址',
      text: '请回复',
      messageId: '<dead-1@example.test>',
    });
    const ticketId = (await inbound('dead-1@example.test')).ticketId!;
    smtp.reject = /bounce\.me/;
    const reply = await agent.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: '这封回复发不出去',
      visibility: 'public',
    });
    expect(reply.statusCode).toBe(201);
    expect((await sender.runOnce()).retrying).toBe(1);
    let d = (await agent.get(`/api/v1/mail/deliveries?ticketId=${ticketId}`)).json().data[0];
    expect(d).toMatchObject({ status: 'queued', attempts: 1 });
    expect(d.lastError).toMatch(/550/);
    t.clock.advance(61_000);
    expect((await sender.runOnce()).failed).toBe(1);
    d = (await agent.get(`/api/v1/mail/deliveries?ticketId=${ticketId}`)).json().data[0];
    expect(d).toMatchObject({ status: 'failed', attempts: 2 });
    // The reply itself is still on the timeline.
    const events = (await agent.get(`/api/v1/tickets/${ticketId}/timeline?limit=100`)).json().data;
    expect(events.some((e: { body: string }) => e.body === '这封回复发不出去')).toBe(true);

    expect((await agent.get('/api/v1/mail/dead-letters')).statusCode).toBe(403);
    const dead = await supervisor.get(`/api/v1/mail/dead-letters?ticketId=${ticketId}`);
    expect(dead.statusCode).toBe(200);
    expect(dead.json().data).toEqual([
      expect.objectContaining({ id: d.mailId, status: 'failed', eventId: reply.json().data.id }),
    ]);

    // Sent again once the address works.
    smtp.reject = null;
    const retried = await supervisor.post(`/api/v1/mail/outbox/${d.mailId}/retry`, {});
    expect(retried.statusCode).toBe(200);
    expect((await sender.runOnce()).sent).toBe(1);
    d = (await agent.get(`/api/v1/mail/deliveries?ticketId=${ticketId}`)).json().data[0];
    expect(d.status).toBe('sent');

    // Another one fails and is discarded.
    smtp.reject = /bounce\.me/;
    await agent.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: '第二封',
      visibility: 'public',
    });
    await sender.runOnce();
    t.clock.advance(61_000);
    await sender.runOnce();
    const failed = (await supervisor.get(`/api/v1/mail/dead-letters?ticketId=${ticketId}`)).json()
      .data[0];
    const discarded = await supervisor.post(`/api/v1/mail/outbox/${failed.id}/discard`, {});
    expect(discarded.json().data).toMatchObject({ status: 'discarded' });
    expect((await supervisor.post(`/api/v1/mail/outbox/${failed.id}/discard`, {})).statusCode).toBe(
      409,
    );
    expect(
      (await supervisor.get(`/api/v1/mail/dead-letters?ticketId=${ticketId}`)).json().data,
    ).toEqual([]);
    smtp.reject = null;
  });
});

describe('templates administrators edit', () => {
  it('lists, validates, previews, saves, is used by the next reply, and resets', async () => {
    expect((await agent.get('/api/v1/mail/templates')).statusCode).toBe(403);
    const list = (await admin.get('/api/v1/mail/templates')).json().data;
    expect(list).toHaveLength(10);
    const reply = list.find(
      (x: { template: string; locale: string }) =>
        x.template === 'ticket.reply' && x.locale === 'zh-CN',
    );
    expect(reply).toMatchObject({ customized: false, required: ['body', 'number'] });

    const unknown = await admin.request('PUT', '/api/v1/mail/templates/ticket.reply/zh-CN', {
      subject: 'Re: [{{number}}] {{subject}}',
      body: '{{body}} {{secret}}',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].message).toContain('{{secret}}');
    const noNumber = await admin.request('PUT', '/api/v1/mail/templates/ticket.reply/zh-CN', {
      subject: '{{subject}}',
      body: '{{body}}',
    });
    expect(noNumber.statusCode).toBe(422);
    const badKey = await admin.request('PUT', '/api/v1/mail/templates/nope/zh-CN', {
      subject: 'x',
      body: 'y',
    });
    expect(badKey.statusCode).toBe(400);

    const edited = {
      subject: '回复：[{{number}}] {{subject}}',
      body: '尊敬的客户：\n\n{{body}}\n\n<{{agent}}>',
    };
    const preview = await admin.post('/api/v1/mail/templates/ticket.reply/zh-CN/preview', edited);
    expect(preview.statusCode).toBe(200);
    expect(preview.json().data.subject).toBe(
      '回复：[KF-2026-000123] 打印机无法连接 / Printer offline',
    );
    expect(preview.json().data.html).toContain('&lt;王小明&gt;');
    const saved = await admin.request('PUT', '/api/v1/mail/templates/ticket.reply/zh-CN', edited);
    expect(saved.json().data).toMatchObject({ customized: true });

    await send({
      from: 'tpl@example.test',
      subject: '模板测试',
      text: '你好',
      messageId: '<tpl-1@example.test>',
    });
    const ticketId = (await inbound('tpl-1@example.test')).ticketId!;
    await agent.post(`/api/v1/tickets/${ticketId}/replies`, {
      body: '按新模板',
      visibility: 'public',
    });
    const before = smtp.received.length;
    await sender.runOnce();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.subject).toMatch(/^回复：\[KF-\d{4}-\d{6}\] 模板测试$/);
    expect(mail!.text).toContain('尊敬的客户：');

    const reset = await admin.delete('/api/v1/mail/templates/ticket.reply/zh-CN');
    expect(reset.json().data).toMatchObject({
      customized: false,
      subject: 'Re: [{{number}}] {{subject}}',
    });
  });
});

describe('mailbox passwords at rest', () => {
  it('are encrypted with AES-256-GCM, never returned, and plain rows are encrypted at start-up', async () => {
    const boxes = (await admin.get('/api/v1/mail/mailboxes')).json().data;
    expect(boxes[0]).toMatchObject({ passwordSet: true });
    expect(JSON.stringify(boxes)).not.toContain('s3cret');
    const [row] = await t.database.db.select().from(mailMailboxes);
    expect(row!.password).toMatch(/^enc:v1:/);
    const key = secretKeyFor(t.config);
    expect(decryptSecret(key, row!.password)).toBe('s3cret-imap');
    expect(encryptSecret(key, 'x')).not.toBe(encryptSecret(key, 'x'));
    const tampered =
      row!.password.slice(0, -4) + (row!.password.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => decryptSecret(key, tampered)).toThrow();
    expect(() =>
      decryptSecret(secretKeyFor({ ...t.config, KEFU_SECRET_KEY: 'k'.repeat(40) }), row!.password),
    ).toThrow();

    // A row from before migration 0032 (plain) is encrypted at start-up.
    await t.database.db
      .update(mailMailboxes)
      .set({ password: 'plain-old' })
      .where(eq(mailMailboxes.id, row!.id));
    expect(await encryptStoredPasswords(t.database.db, key)).toBe(1);
    const [after] = await t.database.db.select().from(mailMailboxes);
    expect(decryptSecret(key, after!.password)).toBe('plain-old');
    expect(await encryptStoredPasswords(t.database.db, key)).toBe(0);
  });
});
