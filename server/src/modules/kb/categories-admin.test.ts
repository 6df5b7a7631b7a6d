import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';

let t: TestContext;
let editor: TestClient;
let admin: TestClient;
let agent: TestClient;
let editor2: TestClient;
let supervisor: TestClient;

beforeAll(async () => {
  t = await createTestContext();
  [editor, admin, agent, editor2, supervisor] = await Promise.all([
    t.as('knowledge_editor'),
    t.as('admin'),
    t.as('agent'),
    t.as('knowledge_editor'),
    t.as('supervisor'),
  ]);
});
afterAll(() => t.close());

const category = async (name: string) => {
  const res = await editor.post('/api/v1/kb/categories', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; position: number; archived: boolean };
};

describe('knowledge-base category admin (issue 9)', () => {
  it('renames, reorders in one audited step, and only editors or admins may', async () => {
    const [a, b, c] = [await category('售前咨询'), await category('售后'), await category('投诉')];
    expect(a.archived).toBe(false);

    const renamed = await editor.patch(`/api/v1/kb/categories/${b.id}`, { name: '售后服务' });
    expect(renamed.json().data).toMatchObject({ name: '售后服务' });

    const order = await editor.post('/api/v1/kb/categories/reorder', { ids: [c.id, a.id, b.id] });
    expect(order.statusCode, order.body).toBe(200);
    const names = (await agent.get('/api/v1/kb/categories'))
      .json()
      .data.map((x: { name: string }) => x.name);
    expect(names).toEqual(['投诉', '售前咨询', '售后服务']);

    const audit = (
      await admin.get('/api/v1/audit-events?targetType=kb_category&action=kb.category.reorder')
    ).json().data;
    expect(audit[0].diff.order).toEqual({
      from: ['售前咨询', '售后服务', '投诉'],
      to: ['投诉', '售前咨询', '售后服务'],
    });

    expect((await agent.post('/api/v1/kb/categories/reorder', { ids: [a.id] })).statusCode).toBe(
      403,
    );
    expect(
      (await editor.post('/api/v1/kb/categories/reorder', { ids: [a.id, a.id] })).statusCode,
    ).toBe(422);
    const unknown = await editor.post('/api/v1/kb/categories/reorder', {
      ids: [a.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('archives: articles stay, no new article or move into it, restore reopens it', async () => {
    const open = await category('物流');
    const closing = await category('旧活动');
    const article = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId: closing.id,
      title: '双十一活动规则',
      body: '活动已结束。',
    });
    expect(article.statusCode).toBe(201);

    const archived = await editor.patch(`/api/v1/kb/categories/${closing.id}`, { archived: true });
    expect(archived.json().data).toMatchObject({ archived: true });
    expect((await agent.get(`/api/v1/kb/articles/${article.json().data.id}`)).statusCode).toBe(200);

    const refused = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId: closing.id,
      title: '新活动',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      { path: 'categoryId', message: 'category is archived' },
    ]);

    const other = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId: open.id,
      title: '发货时间',
    });
    const move = await editor.patch(`/api/v1/kb/articles/${other.json().data.id}`, {
      categoryId: closing.id,
    });
    expect(move.statusCode).toBe(422);
    expect(
      (await editor.post('/api/v1/kb/categories', { name: '子类', parentId: closing.id }))
        .statusCode,
    ).toBe(422);

    const actions = (
      await admin.get(`/api/v1/audit-events?targetType=kb_category&targetId=${closing.id}`)
    )
      .json()
      .data.map((e: { action: string }) => e.action);
    expect(actions).toContain('kb.category.archive');

    const restored = await editor.patch(`/api/v1/kb/categories/${closing.id}`, {
      archived: false,
    });
    expect(restored.json().data.archived).toBe(false);
    expect(
      (
        await editor.post('/api/v1/kb/articles', {
          type: 'faq',
          categoryId: closing.id,
          title: '新活动',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('review roles stay an administrator decision; the interval an editor may change', async () => {
    const c = await category('合规');
    const roles = ['supervisor', 'reviewer', 'admin'];
    expect(
      (await editor.patch(`/api/v1/kb/categories/${c.id}`, { reviewRoles: roles })).statusCode,
    ).toBe(403);
    const byAdmin = await admin.patch(`/api/v1/kb/categories/${c.id}`, {
      reviewRoles: roles,
      reviewIntervalMonths: 6,
    });
    expect(byAdmin.json().data).toMatchObject({ reviewRoles: roles, reviewIntervalMonths: 6 });
    const interval = await editor.patch(`/api/v1/kb/categories/${c.id}`, {
      reviewIntervalMonths: 12,
    });
    expect(interval.json().data.reviewIntervalMonths).toBe(12);
  });
});

describe('review queue: who acts next, awaiting my review', () => {
  it('names the next step and lists a version only for who may decide it now', async () => {
    const c = await category('审核队列');
    const created = (
      await editor.post('/api/v1/kb/articles', { type: 'faq', categoryId: c.id, title: '开票' })
    ).json().data;
    expect(created.nextStep).toEqual({ action: 'submit', step: null, role: 'author' });
    const versionId = created.workingVersion.id;
    const act = (who: TestClient, action: string) =>
      who.post(`/api/v1/kb/versions/${versionId}/actions`, { action, comment: '' });
    const awaiting = async (who: TestClient) =>
      (await who.get('/api/v1/kb/articles?awaitingMe=true'))
        .json()
        .data.map((a: { id: string }) => a.id);

    expect((await act(editor, 'submit')).statusCode).toBe(200);
    const article = (await agent.get(`/api/v1/kb/articles/${created.id}`)).json().data;
    expect(article.nextStep).toEqual({
      action: 'approve',
      step: 'initial_review',
      role: 'knowledge_editor',
    });
    expect(await awaiting(editor2)).toContain(created.id);
    expect(await awaiting(editor)).not.toContain(created.id); // the author
    expect(await awaiting(supervisor)).not.toContain(created.id); // not their step yet

    expect((await act(editor2, 'approve')).statusCode).toBe(200);
    expect(await awaiting(editor2)).not.toContain(created.id);
    expect(await awaiting(supervisor)).toContain(created.id);
    expect(await awaiting(admin)).toContain(created.id);
  });
});
