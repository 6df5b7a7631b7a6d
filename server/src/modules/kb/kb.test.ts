import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';

type Client = TestClient & { user: { id: string } };
let t: TestContext;
let editor: Client;
let editor2: Client;
let supervisor: Client;
let reviewer: Client;
let admin: Client;
let agent: Client;
let categoryId: string;

beforeAll(async () => {
  t = await createTestContext();
  [editor, editor2, supervisor, reviewer, admin, agent] = await Promise.all([
    t.as('knowledge_editor'),
    t.as('knowledge_editor'),
    t.as('supervisor'),
    t.as('reviewer'),
    t.as('admin'),
    t.as('agent'),
  ]);
  const res = await editor.post('/api/v1/kb/categories', { name: '售后服务' });
  expect(res.statusCode).toBe(201);
  categoryId = res.json().data.id;
});
afterAll(() => t.close());

async function newArticle(body: Record<string, unknown> = {}) {
  const res = await editor.post('/api/v1/kb/articles', {
    type: 'faq',
    categoryId,
    title: '退货流程',
    body: '# 退货\n\n收到商品 7 天内可申请退货。\n',
    audience: 'all_customers',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; workingVersion: { id: string } };
}

/** Moves the clock and signs everyone in again (sessions last hours, not months). */
async function travel(ms: number) {
  t.clock.advance(ms);
  for (const c of [editor, editor2, supervisor, reviewer, admin, agent]) {
    const fresh = await t.signIn((c as unknown as { user: { email: string } }).user.email);
    c.cookie = fresh.cookie;
    c.csrfToken = fresh.csrfToken;
  }
}

const act = (c: TestClient, versionId: string, action: string, comment = '') =>
  c.post(`/api/v1/kb/versions/${versionId}/actions`, { action, comment });

async function approveAll(versionId: string) {
  for (const [c, action] of [
    [editor, 'submit'],
    [editor2, 'approve'],
    [supervisor, 'approve'],
    [reviewer, 'approve'],
    [editor, 'publish'],
  ] as const) {
    const res = await act(c, versionId, action, 'ok');
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  }
}

describe('knowledge-base workflow', () => {
  it('walks draft → submitted → three reviews → published, recorded in history and audit', async () => {
    const article = await newArticle();
    const v = article.workingVersion.id;
    expect((await editor.patch(`/api/v1/kb/versions/${v}`, { body: '新正文\n' })).statusCode).toBe(
      200,
    );
    expect((await act(editor, v, 'submit')).json().data).toMatchObject({
      status: 'submitted',
      allowedActions: ['withdraw'],
    });

    const own = await act(editor, v, 'approve');
    expect(own.statusCode).toBe(409);
    expect(own.json()).toMatchObject({ code: 'own_version', allowed: ['withdraw'] });
    const early = await act(editor, v, 'publish');
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('illegal_transition');
    const wrongRole = await act(reviewer, v, 'approve');
    expect(wrongRole.json()).toMatchObject({ code: 'step_role_required', allowed: [] });

    expect((await act(editor2, v, 'approve', '格式规范')).json().data.status).toBe(
      'initial_review',
    );
    expect((await act(supervisor, v, 'approve')).json().data.status).toBe('second_review');
    expect((await act(reviewer, v, 'approve', '合规')).json().data.status).toBe('final_approval');
    const published = (await act(editor, v, 'publish')).json().data;
    expect(published).toMatchObject({ status: 'published', allowedActions: ['request_revision'] });
    expect(published.approvals.map((a: { step: string }) => a.step)).toEqual([
      'initial_review',
      'second_review',
      'final_approval',
    ]);

    const view = (await agent.get(`/api/v1/kb/articles/${article.id}`)).json().data;
    expect(view).toMatchObject({
      status: 'published',
      liveVersion: { number: 1 },
      workingVersion: null,
    });
    expect(view.nextReviewAt).toBe('2026-06-02');

    const history = (await agent.get(`/api/v1/kb/articles/${article.id}/history`)).json().data;
    expect(history.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'edit',
      'submit',
      'approve',
      'approve',
      'approve',
      'publish',
    ]);
    expect(history[3]).toMatchObject({
      step: 'initial_review',
      actorId: editor2.user.id,
      comment: '格式规范',
    });
    const audit = (
      await admin.get(`/api/v1/audit-events?targetType=kb_article&targetId=${article.id}`)
    ).json().data;
    expect(audit.map((e: { action: string }) => e.action)).toContain('kb.publish');
    expect(audit).toHaveLength(history.length);
  });

  it('rejects with a comment back to draft and clears the round', async () => {
    const { workingVersion } = await newArticle({ title: '换货流程' });
    const v = workingVersion.id;
    await act(editor, v, 'submit');
    await act(editor2, v, 'approve');
    expect((await act(supervisor, v, 'reject')).statusCode).toBe(422);
    const rejected = (await act(supervisor, v, 'reject', '时限写错了')).json().data;
    expect(rejected).toMatchObject({ status: 'draft', approvals: [] });
    expect(
      (await editor.patch(`/api/v1/kb/versions/${v}`, { title: '换货流程（修订）' })).statusCode,
    ).toBe(200);
  });

  it('refuses the same reviewer for two steps, and a second editor cannot skip a role', async () => {
    const both = await t.as('knowledge_editor', 'supervisor');
    const { workingVersion } = await newArticle({ title: '发票开具' });
    const v = workingVersion.id;
    await act(editor, v, 'submit');
    expect((await act(both, v, 'approve')).statusCode).toBe(200);
    const again = await act(both, v, 'approve');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'reviewer_already_approved',
      allowed: ['reject', 'withdraw'],
    });
  });

  it('keeps published versions immutable; a revision request starts a new draft that replaces it', async () => {
    const article = await newArticle({ title: '保修政策', type: 'policy' });
    const v1 = article.workingVersion.id;
    await approveAll(v1);

    const edit = await editor.patch(`/api/v1/kb/versions/${v1}`, { body: 'changed' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json()).toMatchObject({
      code: 'illegal_transition',
      allowed: ['request_revision'],
    });
    await expect(
      t.database.db.execute(sql`UPDATE kb_versions SET body = 'x' WHERE id = ${v1}`),
    ).rejects.toThrow();

    const denied = await agent.post(`/api/v1/kb/articles/${article.id}/revision-requests`, {
      reason: 'x',
    });
    expect(denied.statusCode).toBe(403);
    const req = await supervisor.post(`/api/v1/kb/articles/${article.id}/revision-requests`, {
      reason: '政策调整：保修期延长到两年',
      proposedChange: '把一年改成两年',
      urgent: true,
    });
    expect(req.statusCode, req.body).toBe(201);
    const v2 = req.json().data.version;
    expect(v2).toMatchObject({ number: 2, status: 'draft', reason: '政策调整：保修期延长到两年' });
    const dup = await editor.post(`/api/v1/kb/articles/${article.id}/revision-requests`, {
      reason: 'again',
    });
    expect(dup.json()).toMatchObject({ code: 'revision_in_progress' });
    expect((await agent.get(`/api/v1/kb/articles/${article.id}`)).json().data).toMatchObject({
      urgentRevision: true,
      dueForReview: true,
      liveVersion: { number: 1 },
      workingVersion: { number: 2 },
    });

    // The supervisor asked for it, so the supervisor is the author of v2 and cannot review it.
    await editor.patch(`/api/v1/kb/versions/${v2.id}`, {
      body: '# 退货\n\n保修期两年。\n新增一行\n',
    });
    await act(supervisor, v2.id, 'submit');
    await act(editor2, v2.id, 'approve');
    expect((await act(supervisor, v2.id, 'approve')).json().code).toBe('own_version');
    await act(admin, v2.id, 'approve');
    await act(reviewer, v2.id, 'approve');
    await travel(86_400_000);
    expect((await act(editor, v2.id, 'publish')).statusCode).toBe(200);

    const versions = (await agent.get(`/api/v1/kb/articles/${article.id}/versions`)).json().data;
    expect(versions.map((x: { status: string }) => x.status)).toEqual(['published', 'superseded']);
    expect((await agent.get(`/api/v1/kb/versions/${v1}`)).json().data.body).toContain('7 天内');
    const after = (await agent.get(`/api/v1/kb/articles/${article.id}`)).json().data;
    expect(after).toMatchObject({ urgentRevision: false, liveVersion: { number: 2 } });

    const record = (await agent.get(`/api/v1/kb/articles/${article.id}/revisions`)).json().data;
    expect(record).toHaveLength(2);
    expect(record[1]).toMatchObject({
      number: 2,
      previousNumber: 1,
      reason: '政策调整：保修期延长到两年',
      proposedChange: '把一年改成两年',
      urgent: true,
    });
    expect(record[1].reviewers.map((r: { userId: string }) => r.userId)).toEqual([
      editor2.user.id,
      admin.user.id,
      reviewer.user.id,
    ]);
    expect(record[1].linesAdded).toBeGreaterThan(0);

    const cmp = (await agent.get(`/api/v1/kb/articles/${article.id}/compare?from=1&to=2`)).json()
      .data;
    expect(cmp.rows.some((r: { kind: string }) => r.kind === 'change')).toBe(true);
    expect(cmp.rows.find((r: { kind: string }) => r.kind === 'add').right.text).toBe('新增一行');
    expect(
      (await agent.get(`/api/v1/kb/articles/${article.id}/compare?from=1&to=9`)).statusCode,
    ).toBe(404);
  });

  it('lists articles due for review, and a done review moves the date', async () => {
    const article = await newArticle({ title: '配送时效' });
    await approveAll(article.workingVersion.id);
    const due = async () =>
      (await agent.get('/api/v1/kb/due-for-review')).json().data.map((a: { id: string }) => a.id);
    expect(await due()).not.toContain(article.id);
    await travel(100 * 86_400_000);
    expect(await due()).toContain(article.id);
    const done = await editor.post(`/api/v1/kb/articles/${article.id}/review-done`, {
      comment: '无需修改',
    });
    expect(done.json().data.dueForReview).toBe(false);
    expect(await due()).not.toContain(article.id);
    const flagged = await reviewer.post(`/api/v1/kb/articles/${article.id}/urgent`, {
      urgent: true,
      reason: '投诉：时效描述与实际不符',
    });
    expect(flagged.json().data).toMatchObject({ urgentRevision: true, dueForReview: true });
    expect(await due()).toContain(article.id);
  });

  it('keeps roles at the route: agents read, editors write, reviewer roles need an admin', async () => {
    expect((await agent.post('/api/v1/kb/articles', {})).statusCode).toBe(403);
    expect((await agent.get('/api/v1/kb/articles?limit=2')).statusCode).toBe(200);
    const custom = await editor.post('/api/v1/kb/categories', {
      name: '合规政策',
      reviewRoles: ['knowledge_editor', 'reviewer', 'admin'],
    });
    expect(custom.statusCode).toBe(403);
    const ok = await admin.post('/api/v1/kb/categories', {
      name: '合规政策',
      reviewRoles: ['knowledge_editor', 'reviewer', 'admin'],
      reviewIntervalMonths: 6,
    });
    expect(ok.statusCode).toBe(201);
    const loop = await editor.patch(`/api/v1/kb/categories/${categoryId}`, {
      parentId: categoryId,
    });
    expect(loop.statusCode).toBe(422);
  });

  it('refuses phrases on non-scripts and links translations', async () => {
    const bad = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId,
      title: 'x',
      phrases: { forbidden: [{ phrase: '不知道' }] },
    });
    expect(bad.statusCode).toBe(422);
    const zh = await newArticle({ title: '如何开发票' });
    const en = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId,
      language: 'en-US',
      translationOf: zh.id,
      title: 'How to get an invoice',
    });
    expect(en.json().data.translations).toEqual([
      { id: zh.id, language: 'zh-CN', title: '如何开发票' },
    ]);
    const dup = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId,
      language: 'en-US',
      translationOf: zh.id,
      title: 'Again',
    });
    expect(dup.json().code).toBe('translation_exists');
  });
});
