import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket } from '../tickets/test-support.js';

/** Tickets cite the manual: the version cited, the timeline, the audit log, who may see what. */
type Client = TestClient & { user: { id: string } };
let t: TestContext;
let editor: Client;
let editor2: Client;
let supervisor: Client;
let reviewer: Client;
let agent: Client;
let specialist: Client;
let categoryId: string;

beforeAll(async () => {
  t = await createTestContext();
  [editor, editor2, supervisor, reviewer, agent, specialist] = await Promise.all([
    t.as('knowledge_editor'),
    t.as('knowledge_editor'),
    t.as('supervisor'),
    t.as('reviewer'),
    t.as('agent'),
    t.as('specialist'),
  ]);
  const res = await editor.post('/api/v1/kb/categories', { name: '退换货' });
  categoryId = res.json().data.id;
});
afterAll(() => t.close());

async function publish(versionId: string) {
  for (const [c, action] of [
    [editor, 'submit'],
    [editor2, 'approve'],
    [supervisor, 'approve'],
    [reviewer, 'approve'],
    [editor, 'publish'],
  ] as const) {
    const res = await c.post(`/api/v1/kb/versions/${versionId}/actions`, { action, comment: 'ok' });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  }
}

async function publishedArticle(title: string) {
  const res = await editor.post('/api/v1/kb/articles', {
    type: 'faq',
    categoryId,
    title,
    body: '签收 7 天内可申请无理由退货。\n',
    audience: 'all_customers',
  });
  expect(res.statusCode, res.body).toBe(201);
  const article = res.json().data as { id: string; workingVersion: { id: string } };
  await publish(article.workingVersion.id);
  return article.id;
}

describe('ticket citations of the manual', () => {
  it('records the live version cited, on the timeline and in the audit log', async () => {
    const articleId = await publishedArticle('七天无理由退货');
    const ticket = await registerTicket(agent);

    const cited = await agent.post(`/api/v1/tickets/${ticket.id}/citations`, {
      articleId,
      mode: 'excerpt',
    });
    expect(cited.statusCode, cited.body).toBe(201);
    expect(cited.json().data).toMatchObject({
      ticketId: ticket.id,
      articleId,
      articleTitle: '七天无理由退货',
      versionNumber: 1,
      current: true,
      mode: 'excerpt',
      citedBy: { id: agent.user.id },
    });

    const timeline = (await agent.get(`/api/v1/tickets/${ticket.id}/timeline`)).json().data as {
      kind: string;
      visibility: string;
      data: Record<string, unknown>;
    }[];
    expect(timeline.find((e) => e.kind === 'citation')).toMatchObject({
      visibility: 'internal',
      data: { articleId, articleTitle: '七天无理由退货', versionNumber: 1, mode: 'excerpt' },
    });
    const audit = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`SELECT action FROM audit_events WHERE target_id = ${ticket.id} AND action = 'ticket.cite_article'`,
      ),
    );
    expect(audit).toHaveLength(1);

    // A revision is published: the ticket still points at version 1, no longer current.
    const requester = await t.as('supervisor');
    const req = await requester.post(`/api/v1/kb/articles/${articleId}/revision-requests`, {
      reason: '延长到 15 天',
    });
    expect(req.statusCode, req.body).toBe(201);
    const v2 = req.json().data.version.id as string;
    await editor.patch(`/api/v1/kb/versions/${v2}`, { body: '签收 15 天内可申请无理由退货。\n' });
    await publish(v2);
    t.clock.advance(60_000);
    await agent.post(`/api/v1/tickets/${ticket.id}/citations`, { articleId });

    const list = await agent.get(`/api/v1/tickets/${ticket.id}/citations`);
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toMatchObject([
      { versionNumber: 1, current: false, mode: 'excerpt' },
      { versionNumber: 2, current: true, mode: 'link' },
    ]);

    const onArticle = await agent.get(`/api/v1/kb/articles/${articleId}/citations`);
    expect(onArticle.statusCode).toBe(200);
    expect(onArticle.json().data).toMatchObject({
      ticketCount: 1,
      citationCount: 2,
      recent: [
        { ticketId: ticket.id, ticketNumber: ticket.number, versionNumber: 2 },
        { ticketId: ticket.id, versionNumber: 1 },
      ],
    });
    // Knowledge editors do not read tickets: the count only.
    const forEditor = (await editor.get(`/api/v1/kb/articles/${articleId}/citations`)).json().data;
    expect(forEditor).toMatchObject({ ticketCount: 1, citationCount: 2, recent: [] });
  });

  it('answers 404 naming the field for unknown or unpublished articles and unknown tickets', async () => {
    const ticket = await registerTicket(agent);
    const unknown = await agent.post(`/api/v1/tickets/${ticket.id}/citations`, {
      articleId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({ path: 'articleId', code: 'not_found' }),
    ]);
    const draft = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId,
      title: '草稿文章',
      body: '还没发布',
      audience: 'internal',
    });
    const unpublished = await agent.post(`/api/v1/tickets/${ticket.id}/citations`, {
      articleId: draft.json().data.id,
    });
    expect(unpublished.statusCode).toBe(404);
    const noTicket = await agent.post(
      '/api/v1/tickets/00000000-0000-4000-8000-000000000000/citations',
      { articleId: draft.json().data.id },
    );
    expect(noTicket.statusCode).toBe(404);
    expect(noTicket.json().errors[0].path).toBe('id');
    const bad = await agent.post(`/api/v1/tickets/${ticket.id}/citations`, {
      articleId: 'x',
      mode: 'quote',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('follows ticket visibility: a specialist outside the ticket gets 404', async () => {
    const articleId = await publishedArticle('换货流程');
    const ticket = await registerTicket(agent);
    expect(
      (await agent.post(`/api/v1/tickets/${ticket.id}/citations`, { articleId })).statusCode,
    ).toBe(201);
    expect((await specialist.get(`/api/v1/tickets/${ticket.id}/citations`)).statusCode).toBe(404);
    expect(
      (await specialist.post(`/api/v1/tickets/${ticket.id}/citations`, { articleId })).statusCode,
    ).toBe(404);
    const seen = (await specialist.get(`/api/v1/kb/articles/${articleId}/citations`)).json().data;
    expect(seen).toMatchObject({ ticketCount: 0, recent: [] });
    expect(
      (await editor.post(`/api/v1/tickets/${ticket.id}/citations`, { articleId })).statusCode,
    ).toBe(403);
  });
});
