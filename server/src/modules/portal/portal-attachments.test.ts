import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSender, type MailSender } from '../../jobs/mail-sender.js';
import { createTestContext, TestClient, type TestContext } from '../../test/harness.js';
import { EXE, PDF, PNG_1PX, upload } from '../attachments/test-support.js';
import { startTestSmtp, type TestSmtp } from '../mail/test-smtp.js';
import { registerTicket, walk, type TicketJson } from '../tickets/test-support.js';

type Staff = TestClient & { user: { id: string; email: string; name: string } };
let t: TestContext;
let dir: string;
let smtp: TestSmtp;
let sender: MailSender;
let agent: Staff;
let admin: Staff;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-portal-files-'));
  smtp = await startTestSmtp();
  t = await createTestContext({
    KEFU_ATTACHMENTS_DIR: dir,
    KEFU_SMTP_URL: smtp.url,
    KEFU_MAIL_FROM: 'service@kefu.example.com',
    KEFU_MAIL_SEND_MS: 0,
  });
  sender = startMailSender({ db: t.database.db, clock: t.clock, config: t.config });
  [admin, agent] = await Promise.all([t.as('admin'), t.as('agent')]);
});
afterAll(async () => {
  await sender.stop();
  await t.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const freshEmail = () => `files${++n}-${Date.now() % 100000}@example.com`;

/** A signed-in portal client for a new address (code mailed through the real SMTP test server). */
async function customer(email = freshEmail()): Promise<TestClient & { email: string }> {
  const asked = await t.anonymous.post('/api/v1/portal/auth/request-code', { email });
  expect(asked.statusCode).toBe(202);
  await sender.runOnce();
  const mail = [...smtp.received]
    .reverse()
    .find((m) => JSON.stringify(m.to).includes(email) && /\d{6}/.test(m.subject ?? ''));
  const code = /(\d{6})/.exec(mail?.subject ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  const res = await t.anonymous.post('/api/v1/portal/auth/verify-code', { email, code });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'kefu_portal')!;
  return Object.assign(
    new TestClient(t.app, `kefu_portal=${cookie.value}`, res.json().data.csrfToken),
    { email },
  );
}

async function submit(c: TestClient) {
  const res = await c.post('/api/v1/portal/requests', {
    category: 'consultation',
    subject: '发票抬头错误',
    description: '附上发票照片',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; number: string };
}

const filesUrl = (id: string) => `/api/v1/portal/requests/${id}/attachments`;
const pdf = { filename: '发票.pdf', type: 'application/pdf', data: PDF };

interface PortalEventJson {
  kind: string;
  author: string;
  body: string | null;
  data: Record<string, unknown>;
}

describe('attachments in the portal', () => {
  it('attaches files to my request and a reply; public, by the customer, downloadable by me', async () => {
    const c = await customer();
    const req = await submit(c);
    const res = await upload(c, filesUrl(req.id), pdf);
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json().data;
    expect(file).toEqual({
      id: expect.any(String),
      filename: '发票.pdf',
      mimeType: 'application/pdf',
      size: PDF.length,
      url: `/api/v1/portal/attachments/${file.id}/content`,
    });

    const reply = await c.post(`/api/v1/portal/requests/${req.id}/replies`, {
      body: '发票照片见附件',
      attachmentIds: [file.id],
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const timeline = reply.json().data.timeline as PortalEventJson[];
    const ref = {
      id: file.id,
      filename: '发票.pdf',
      mimeType: 'application/pdf',
      size: PDF.length,
    };
    expect(timeline.find((e) => e.kind === 'attachment')).toMatchObject({
      author: 'you',
      data: { attachment: ref },
    });
    expect(timeline.find((e) => e.kind === 'reply')).toMatchObject({
      author: 'you',
      body: '发票照片见附件',
      data: { attachments: [ref] },
    });

    // Staff see it as a public file uploaded by the customer.
    const staffList = (await admin.get(`/api/v1/tickets/${req.id}/attachments`)).json().data;
    expect(staffList).toMatchObject([
      { id: file.id, visibility: 'public', uploadedBy: { kind: 'customer' } },
    ]);

    const download = await c.get(file.url);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
    });
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment;/);
    const audit = await admin.get('/api/v1/audit-events?action=attachment.read');
    expect(
      audit
        .json()
        .data.some(
          (e: { targetId: string; actorName: string }) =>
            e.targetId === file.id && e.actorName?.startsWith('customer:'),
        ),
    ).toBe(true);
  });

  it('applies the staff upload rules: 413 past the size limit, 415 for a refused type, multipart only', async () => {
    const c = await customer();
    const req = await submit(c);
    await admin.patch('/api/v1/attachment-settings', { maxFileBytes: 1024 });
    try {
      const big = await upload(c, filesUrl(req.id), {
        filename: 'big.pdf',
        type: 'application/pdf',
        data: Buffer.concat([PDF, Buffer.alloc(2000, 0x20)]),
      });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({
        code: 'file_too_large',
        maxBytes: 1024,
        errors: [{ path: 'file', code: 'file_too_large' }],
      });
    } finally {
      await admin.patch('/api/v1/attachment-settings', { maxFileBytes: 10 * 1024 * 1024 });
    }
    const exe = await upload(c, filesUrl(req.id), {
      filename: 'setup.pdf',
      type: 'application/pdf',
      data: EXE,
    });
    expect(exe.statusCode).toBe(415);
    expect(exe.json()).toMatchObject({
      code: 'unsupported_file_type',
      errors: [{ path: 'file', code: 'unsupported_file_type' }],
    });
    const json = await c.post(filesUrl(req.id), { file: 'x' });
    expect(json.json()).toMatchObject({ status: 400, code: 'multipart_required' });
    // Writes need the portal session and its CSRF token.
    expect((await upload(t.anonymous, filesUrl(req.id), pdf)).statusCode).toBe(401);
    const noCsrf = new TestClient(t.app, c.cookie);
    expect((await upload(noCsrf, filesUrl(req.id), pdf)).statusCode).toBe(403);
    // A staff session opens no portal route.
    expect((await upload(agent, filesUrl(req.id), pdf)).statusCode).toBe(401);
    // Nothing was attached by the refused uploads.
    const view = (await c.get(`/api/v1/portal/requests/${req.id}`)).json().data;
    expect(view.timeline.map((e: PortalEventJson) => e.kind)).toEqual(['created']);
  });

  it('never serves internal files or another customer’s files, and refuses closed requests', async () => {
    const alice = await customer();
    const bob = await customer();
    const hers = await submit(alice);
    const own = (await upload(alice, filesUrl(hers.id), pdf)).json().data;

    // Staff add an internal and a public file to her request.
    const staffFile = (visibility: string, filename: string) =>
      upload(
        admin,
        `/api/v1/tickets/${hers.id}/attachments`,
        { filename, type: 'image/png', data: PNG_1PX },
        { visibility },
      ).then((r) => r.json().data as { id: string });
    const internal = await staffFile('internal', '内部截图.png');
    const shared = await staffFile('public', '处理说明.png');

    const content = (id: string) => `/api/v1/portal/attachments/${id}/content`;
    const sharedDownload = await alice.get(content(shared.id));
    expect(sharedDownload.statusCode).toBe(200);
    expect(sharedDownload.headers['content-type']).toBe('image/png');
    for (const res of [
      await alice.get(content(internal.id)),
      await bob.get(content(own.id)),
      await bob.get(content(shared.id)),
      await alice.get(content('00000000-0000-4000-8000-000000000000')),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().errors[0].path).toBe('id');
    }
    expect((await t.anonymous.get(content(own.id))).statusCode).toBe(401);

    // The internal file is not on her timeline; naming it in a reply is refused.
    const view = (await alice.get(`/api/v1/portal/requests/${hers.id}`)).json().data;
    expect(JSON.stringify(view)).not.toContain(internal.id);
    expect(JSON.stringify(view)).not.toContain('内部截图');
    expect(JSON.stringify(view)).toContain('处理说明.png');
    const withInternal = await alice.post(`/api/v1/portal/requests/${hers.id}/replies`, {
      body: 'see',
      attachmentIds: [internal.id],
    });
    expect(withInternal.statusCode).toBe(422);
    expect(withInternal.json().errors[0]).toMatchObject({
      path: 'attachmentIds.0',
      code: 'attachment_internal',
    });

    // Bob can neither attach to her request nor send her file with his own reply.
    const bobUpload = await upload(bob, filesUrl(hers.id), pdf);
    expect(bobUpload.statusCode).toBe(404);
    expect(bobUpload.json().errors[0].path).toBe('id');
    const his = await submit(bob);
    const foreign = await bob.post(`/api/v1/portal/requests/${his.id}/replies`, {
      body: 'x',
      attachmentIds: [own.id],
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].path).toBe('attachmentIds.0');

    // A closed request takes no more files.
    const ticket = (await admin.get(`/api/v1/tickets/${his.id}`)).json().data as TicketJson;
    await walk(admin, ticket, 'accepted', 'resolved', { to: 'closed', customerConfirmed: true });
    const closed = await upload(bob, filesUrl(his.id), pdf);
    expect(closed.json()).toMatchObject({ status: 409, code: 'ticket_closed' });
  });
});

describe('guest look-up', () => {
  it('shows the public timeline as the portal does: no staff ids, e-mails or internal data', async () => {
    const ticket = await registerTicket(agent, {
      customer: { name: '周女士', phone: '13612345678', email: 'zhou@example.com' },
    });
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '内部：怀疑是系统故障',
      visibility: 'internal',
    });
    const shared = await upload(
      agent,
      `/api/v1/tickets/${ticket.id}/attachments`,
      { filename: '说明.png', type: 'image/png', data: PNG_1PX },
      { visibility: 'public' },
    );
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '您好，已为您处理',
      visibility: 'public',
      attachmentIds: [shared.json().data.id],
    });
    await walk(agent, (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data, 'accepted');

    const res = await t.anonymous.post('/api/v1/portal/lookup', {
      number: ticket.number,
      contact: 'zhou@example.com',
    });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data;
    const timeline = data.timeline as (PortalEventJson & Record<string, unknown>)[];
    expect(timeline.map((e) => e.kind)).toEqual(['created', 'attachment', 'reply', 'status']);
    for (const e of timeline)
      expect(Object.keys(e).sort()).toEqual(
        ['at', 'author', 'authorName', 'body', 'data', 'id', 'kind'].sort(),
      );
    expect(timeline.find((e) => e.kind === 'reply')).toMatchObject({
      author: 'staff',
      authorName: agent.user.name,
      data: { attachments: [{ filename: '说明.png', mimeType: 'image/png' }] },
    });
    const text = JSON.stringify(data);
    for (const secret of [
      agent.user.id,
      agent.user.email,
      'enteredBy',
      'registeredBy',
      'actor',
      'visibility',
      'tier',
      'sha256',
      '内部：怀疑是系统故障',
    ])
      expect(text, secret).not.toContain(secret);
  });
});
