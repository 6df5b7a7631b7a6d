import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments } from '../../db/schema/index.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket, type TicketJson } from '../tickets/test-support.js';
import { DOCX, EXE, filesUnder, HTML, PDF, PNG_1PX, upload, zip } from './test-support.js';

type Client = TestClient & { user: { id: string; email: string } };
let t: TestContext;
let dir: string;
let agent: Client;
let admin: Client;
let qa: Client;
let specialist: Client;
let ticket: TicketJson;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-attachments-'));
  t = await createTestContext({ KEFU_ATTACHMENTS_DIR: dir });
  [agent, admin, qa, specialist] = await Promise.all([
    t.as('agent'),
    t.as('admin'),
    t.as('qa_inspector'),
    t.as('specialist'),
  ]);
  ticket = await registerTicket(agent);
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const attachUrl = (id: string) => `/api/v1/tickets/${id}/attachments`;

async function countRows(): Promise<number> {
  const [row] = await t.database.db.select({ n: count() }).from(attachments);
  return row!.n;
}

async function setLimits(patch: Record<string, unknown>) {
  const res = await admin.patch('/api/v1/attachment-settings', patch);
  expect(res.statusCode, res.body).toBe(200);
}

describe('ticket attachments', () => {
  it('uploads a file: detected type, sanitised name, stored by sha256, timeline and audit', async () => {
    const res = await upload(
      agent,
      attachUrl(ticket.id),
      { filename: '../截图 1.png', type: 'image/png', data: PNG_1PX },
      { visibility: 'public' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json().data;
    expect(a).toMatchObject({
      ticketId: ticket.id,
      filename: '截图 1.png',
      mimeType: 'image/png',
      size: PNG_1PX.length,
      visibility: 'public',
      uploadedBy: { kind: 'user', id: agent.user.id },
      url: `/api/v1/attachments/${a.id}/content`,
    });
    expect(await filesUnder(dir)).toEqual([
      `sha256/${a.sha256.slice(0, 2)}/${a.sha256.slice(2, 4)}/${a.sha256}`,
    ]);

    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data;
    expect(timeline.at(-1)).toMatchObject({
      kind: 'attachment',
      visibility: 'public',
      actor: { id: agent.user.id },
      data: { attachment: { id: a.id, filename: '截图 1.png', mimeType: 'image/png' } },
    });
    const audit = (
      await admin.get(`/api/v1/audit-events?action=ticket.attachment&targetId=${ticket.id}`)
    ).json().data;
    expect(audit).toHaveLength(1);

    const list = (await qa.get(attachUrl(ticket.id))).json();
    expect(list.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect(list.nextCursor).toBeNull();
  });

  it('downloads with safe headers: attachment, UTF-8 name, nosniff, sandbox; images inline', async () => {
    const pdf = (
      await upload(agent, attachUrl(ticket.id), {
        filename: '报价单.pdf',
        type: 'application/pdf',
        data: PDF,
      })
    ).json().data;
    expect(pdf).toMatchObject({ mimeType: 'application/pdf', visibility: 'internal' });
    const res = await qa.get(pdf.url);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="___.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
      'content-length': String(PDF.length),
    });
    const again = await qa.get(pdf.url, { 'if-none-match': res.headers.etag as string });
    expect(again.statusCode).toBe(304);

    const [png] = (await agent.get(`${attachUrl(ticket.id)}?visibility=public`)).json().data;
    const image = await agent.get(png.url);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-disposition']).toMatch(/^inline; /);

    const audit = (
      await admin.get(`/api/v1/audit-events?action=attachment.read&targetId=${pdf.id}`)
    ).json().data;
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('accepts UTF-8 text declared as text, CSV, and Office files by content', async () => {
    const text = await upload(agent, attachUrl(ticket.id), {
      filename: '通话记录.txt',
      type: 'text/plain',
      data: Buffer.from('客户反馈：路由器指示灯常亮红色。\n'),
    });
    expect(text.statusCode, text.body).toBe(201);
    expect(text.json().data.mimeType).toBe('text/plain');
    const served = await agent.get(text.json().data.url);
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(served.headers['content-disposition']).toMatch(/^attachment; /);
    expect(served.body).toContain('路由器');

    const csv = await upload(agent, attachUrl(ticket.id), {
      filename: 'orders.csv',
      type: 'application/vnd.ms-excel',
      data: Buffer.from('订单号,金额\nA1,100\n'),
    });
    expect(csv.json().data.mimeType).toBe('text/csv');

    const docx = await upload(agent, attachUrl(ticket.id), {
      filename: '说明.docx',
      type: 'application/octet-stream',
      data: DOCX,
    });
    expect(docx.json().data.mimeType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const plainZip = await upload(agent, attachUrl(ticket.id), {
      filename: 'logs.zip',
      type: 'application/zip',
      data: zip([['a.log', 'x']]),
    });
    expect(plainZip.json().data.mimeType).toBe('application/zip');
  });

  it('refuses by content with 415 and the detected type, leaving nothing behind', async () => {
    const rowsBefore = await countRows();
    const filesBefore = await filesUnder(dir);
    const cases = [
      { filename: 'photo.png', type: 'image/png', data: EXE, detected: 'application/x-msdownload' },
      { filename: 'cat.png', type: 'image/png', data: HTML, detected: 'text/html' },
      { filename: 'page.txt', type: 'text/plain', data: HTML, detected: 'text/html' },
      {
        filename: 'notes.bin',
        type: 'application/octet-stream',
        data: Buffer.from('just text'),
        detected: 'text/plain',
      },
      {
        filename: 'blob.txt',
        type: 'text/plain',
        data: Buffer.from([0x41, 0x42, 0x80, 0x81, 0x00, 0x43]),
        detected: 'application/octet-stream',
      },
    ];
    for (const c of cases) {
      const res = await upload(agent, attachUrl(ticket.id), c);
      expect(res.statusCode, c.filename).toBe(415);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json()).toMatchObject({
        code: 'unsupported_file_type',
        detectedType: c.detected,
        errors: [{ path: 'file', code: 'unsupported_file_type' }],
      });
    }
    expect(await countRows()).toBe(rowsBefore);
    expect(await filesUnder(dir)).toEqual(filesBefore);
  });

  it('refuses files over the admin-set limit with 413, leaving nothing behind', async () => {
    const rowsBefore = await countRows();
    const filesBefore = await filesUnder(dir);
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline?limit=200`)).json().data
      .length;
    await setLimits({ maxFileBytes: 4096 });
    try {
      const big = Buffer.concat([PDF, Buffer.alloc(8192, 0x20)]);
      const res = await upload(agent, attachUrl(ticket.id), {
        filename: 'big.pdf',
        type: 'application/pdf',
        data: big,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'file_too_large', maxBytes: 4096 });
      // Exactly at the limit is fine.
      const exact = await upload(agent, attachUrl(ticket.id), {
        filename: 'exact.txt',
        type: 'text/plain',
        data: Buffer.alloc(4096, 0x61),
      });
      expect(exact.statusCode, exact.body).toBe(201);
    } finally {
      await setLimits({ maxFileBytes: 20 * 1024 * 1024 });
    }
    expect(await countRows()).toBe(rowsBefore + 1);
    expect(await filesUnder(dir), JSON.stringify(filesBefore)).toHaveLength(filesBefore.length + 1);
    expect((await filesUnder(join(dir, 'tmp'))).length).toBe(0);
    const after = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline?limit=200`)).json().data
      .length;
    expect(after).toBe(events + 1);
  });

  it('stores identical content once', async () => {
    const before = await filesUnder(dir);
    const a = await upload(agent, attachUrl(ticket.id), {
      filename: 'again.png',
      type: 'image/png',
      data: PNG_1PX,
    });
    expect(a.statusCode).toBe(201);
    expect(await filesUnder(dir)).toEqual(before);
  });

  it('asks for multipart and a file part (400), and validates the visibility field', async () => {
    const json = await agent.post(attachUrl(ticket.id), {});
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'multipart_required', errors: [{ path: 'file' }] });
    const bad = await upload(
      agent,
      attachUrl(ticket.id),
      { filename: 'a.png', type: 'image/png', data: PNG_1PX },
      { visibility: 'everyone' },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('visibility');
  });

  it('follows the ticket: who cannot see it gets 404; QA reads but cannot upload', async () => {
    const [a] = (await agent.get(attachUrl(ticket.id))).json().data;
    const png = { filename: 'x.png', type: 'image/png', data: PNG_1PX };
    expect((await upload(specialist, attachUrl(ticket.id), png)).statusCode).toBe(404);
    expect((await specialist.get(attachUrl(ticket.id))).statusCode).toBe(404);
    const download = await specialist.get(a.url);
    expect(download.statusCode).toBe(404);
    expect(download.json().code).toBe('not_found');
    expect((await upload(qa, attachUrl(ticket.id), png)).statusCode).toBe(403);
    expect((await qa.get(a.url)).statusCode).toBe(200);
    expect((await t.anonymous.get(a.url)).statusCode).toBe(401);
    const unknown = await upload(agent, attachUrl('00000000-0000-4000-8000-000000000000'), png);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors[0].path).toBe('id');
  });

  it('a reply carries uploaded files; a public reply refuses internal ones', async () => {
    const files = (await agent.get(attachUrl(ticket.id))).json().data as {
      id: string;
      visibility: string;
    }[];
    const pub = files.find((f) => f.visibility === 'public')!;
    const internal = files.find((f) => f.visibility === 'internal')!;
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '请查看截图',
      visibility: 'public',
      attachmentIds: [pub.id],
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json().data.data.attachments).toEqual([
      expect.objectContaining({ id: pub.id, filename: '截图 1.png' }),
    ]);
    const refused = await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '附件',
      visibility: 'public',
      attachmentIds: [pub.id, internal.id],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({
      path: 'attachmentIds.1',
      code: 'attachment_internal',
    });
    const note = await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '内部附件',
      visibility: 'internal',
      attachmentIds: [internal.id],
    });
    expect(note.statusCode).toBe(201);
    const other = await registerTicket(agent);
    const foreign = await agent.post(`/api/v1/tickets/${other.id}/replies`, {
      body: '别的工单',
      visibility: 'internal',
      attachmentIds: [internal.id],
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].path).toBe('attachmentIds.0');
  });

  it('documents the upload routes in OpenAPI as multipart', async () => {
    const doc = (await t.anonymous.get('/api/openapi.json')).json();
    const op = doc.paths['/api/v1/tickets/{id}/attachments'].post;
    expect(op.tags).toEqual(['attachments']);
    expect(JSON.stringify(op)).toContain('multipart/form-data');
    expect(doc.paths['/api/v1/kb/images/{id}'].get).toBeDefined();
  });

  it('settings: admins change limits (audited) but can never allow script types', async () => {
    const current = (await agent.get('/api/v1/attachment-settings')).json().data;
    expect(current).toMatchObject({ maxFileBytes: 20 * 1024 * 1024 });
    expect(current.allowedTypes).toContain('application/pdf');
    const refused = await admin.patch('/api/v1/attachment-settings', {
      allowedTypes: ['image/png', 'text/html'],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({
      path: 'allowedTypes.1',
      code: 'type_not_allowed',
    });
    expect(
      (await agent.patch('/api/v1/attachment-settings', { maxFileBytes: 2048 })).statusCode,
    ).toBe(403);
    const audit = (await admin.get('/api/v1/audit-events?action=attachment_settings.update')).json()
      .data;
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });
});

describe('knowledge-base images', () => {
  let editor: Client;
  let editor2: Client;
  let supervisor: Client;
  let reviewer: Client;
  let categoryId: string;

  beforeAll(async () => {
    [editor, editor2, supervisor, reviewer] = await Promise.all([
      t.as('knowledge_editor'),
      t.as('knowledge_editor'),
      t.as('supervisor'),
      t.as('reviewer'),
    ]);
    const res = await editor.post('/api/v1/kb/categories', { name: '安装指南' });
    expect(res.statusCode).toBe(201);
    categoryId = res.json().data.id;
  });

  async function newArticle(audience: string) {
    const res = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId,
      title: `路由器安装 ${audience}`,
      body: '# 安装\n',
      audience,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: string; workingVersion: { id: string } };
  }

  async function publishWith(versionId: string, body: string) {
    expect((await editor.patch(`/api/v1/kb/versions/${versionId}`, { body })).statusCode).toBe(200);
    for (const [c, action] of [
      [editor, 'submit'],
      [editor2, 'approve'],
      [supervisor, 'approve'],
      [reviewer, 'approve'],
      [editor, 'publish'],
    ] as const) {
      const res = await c.post(`/api/v1/kb/versions/${versionId}/actions`, {
        action,
        comment: 'ok',
      });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    }
  }

  const png = { filename: '接线图.png', type: 'image/png', data: PNG_1PX };

  it('uploads an image and answers its URL and Markdown; the help centre sees it once published', async () => {
    const article = await newArticle('all_customers');
    const res = await upload(editor, `/api/v1/kb/articles/${article.id}/images`, png);
    expect(res.statusCode, res.body).toBe(201);
    const image = res.json().data;
    expect(image).toMatchObject({
      articleId: article.id,
      ticketId: null,
      mimeType: 'image/png',
      url: `/api/v1/kb/images/${image.id}`,
      markdown: `![接线图](/api/v1/kb/images/${image.id})`,
    });
    const audit = (
      await admin.get(`/api/v1/audit-events?action=kb.image_upload&targetId=${article.id}`)
    ).json().data;
    expect(audit).toHaveLength(1);

    // Staff see it at once (the editor's preview); the public not while it is a draft.
    const staffView = await agent.get(image.url);
    expect(staffView.statusCode).toBe(200);
    expect(staffView.headers['content-type']).toBe('image/png');
    expect(staffView.headers['content-disposition']).toMatch(/^inline; /);
    expect((await t.anonymous.get(image.url)).statusCode).toBe(404);

    await publishWith(article.workingVersion.id, `# 安装\n\n${image.markdown}\n`);
    const pub = await t.anonymous.get(image.url);
    expect(pub.statusCode).toBe(200);
    expect(pub.rawPayload.equals(PNG_1PX)).toBe(true);
    expect(pub.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
    });

    // A second image uploaded after publication stays private until a version uses it.
    const later = (await upload(editor, `/api/v1/kb/articles/${article.id}/images`, png)).json()
      .data;
    expect((await t.anonymous.get(later.url)).statusCode).toBe(404);
    expect((await editor.get(later.url)).statusCode).toBe(200);
  });

  it("never serves an internal article's image to the public", async () => {
    const article = await newArticle('internal');
    const image = (await upload(editor, `/api/v1/kb/articles/${article.id}/images`, png)).json()
      .data;
    await publishWith(article.workingVersion.id, `内部\n\n${image.markdown}\n`);
    expect((await t.anonymous.get(image.url)).statusCode).toBe(404);
    expect((await t.anonymous.get(`/api/v1/kb/images/${image.id}`)).json().code).toBe('not_found');
    expect((await agent.get(image.url)).statusCode).toBe(200);
  });

  it('accepts images only (415), within the image size limit (413); editors only', async () => {
    const article = await newArticle('all_customers');
    const url = `/api/v1/kb/articles/${article.id}/images`;
    const rowsBefore = await countRows();
    const pdf = await upload(editor, url, { filename: 'a.png', type: 'image/png', data: PDF });
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().detectedType).toBe('application/pdf');
    const html = await upload(editor, url, { filename: 'x.png', type: 'image/png', data: HTML });
    expect(html.json()).toMatchObject({ code: 'unsupported_file_type', detectedType: 'text/html' });
    await setLimits({ maxImageBytes: 2048 });
    try {
      const big = Buffer.concat([PNG_1PX, Buffer.alloc(4096)]);
      const res = await upload(editor, url, { ...png, data: big });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'file_too_large', maxBytes: 2048 });
    } finally {
      await setLimits({ maxImageBytes: 5 * 1024 * 1024 });
    }
    expect(await countRows()).toBe(rowsBefore);
    expect((await filesUnder(join(dir, 'tmp'))).length).toBe(0);
    expect((await upload(agent, url, png)).statusCode).toBe(403);
    const missing = await upload(
      editor,
      '/api/v1/kb/articles/00000000-0000-4000-8000-000000000000/images',
      png,
    );
    expect(missing.statusCode).toBe(404);
  });
});
