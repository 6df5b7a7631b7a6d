import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../../test/harness.js';

/**
 * The narrow search tables (kb_search, migration 0012; kb_search_head, 0043) follow the live
 * version: publishing, replacing the live version, re-tagging and unpublishing change them in the
 * same transaction.
 */
let t: TestContext;
let editor: TestClient;
let editor2: TestClient;
let supervisor: TestClient;
let reviewer: TestClient;
let admin: TestClient;
let agent: TestClient;
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
  categoryId = (await editor.post('/api/v1/kb/categories', { name: '索引' })).json().data.id;
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

/** The article's search row joined to its title-and-tags row (kb_search_head, 0043): both or none. */
const searchRow = async (articleId: string) => {
  const [head] = rowsOf<{ audience: string; head: string }>(
    await t.database.db.execute(
      sql`SELECT audience, head_vector::text AS head FROM kb_search_head WHERE article_id = ${articleId}`,
    ),
  );
  const [row] = rowsOf<{ version_id: string; audience: string }>(
    await t.database.db.execute(
      sql`SELECT version_id, audience FROM kb_search WHERE article_id = ${articleId}`,
    ),
  );
  expect(head === undefined).toBe(row === undefined);
  if (head) expect(head.audience).toBe(row?.audience);
  return row && head && { ...row, head: head.head };
};

const found = async (q: string) =>
  (
    (await agent.get(`/api/v1/kb/search?q=${encodeURIComponent(q)}`)).json().data as {
      id: string;
    }[]
  ).map((h) => h.id);

describe('search rows follow the live version', () => {
  it('indexes on publication only, replaces on a new publication, re-tags at once, drops on unpublish', async () => {
    const created = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId,
      title: '电热毯安全须知',
      body: '使用电热毯时不要折叠。',
      audience: 'internal',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, workingVersion } = created.json().data as {
      id: string;
      workingVersion: { id: string };
    };
    expect(await searchRow(id)).toBeUndefined(); // a draft is not searchable
    expect(await found('电热毯')).not.toContain(id);

    await publish(workingVersion.id);
    expect(await searchRow(id)).toMatchObject({
      version_id: workingVersion.id,
      audience: 'internal',
    });
    expect(await found('电热毯 折叠')).toContain(id);

    // A new version replaces the live one in the same transaction as the publication.
    const request = await admin.post(`/api/v1/kb/articles/${id}/revision-requests`, {
      reason: '改为面向客户',
    });
    expect(request.statusCode, request.body).toBe(201);
    const v2 = request.json().data.version.id as string;
    const edited = await editor.patch(`/api/v1/kb/versions/${v2}`, {
      body: '电热毯请勿与热水袋同时使用。',
      audience: 'all_customers',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await searchRow(id))?.version_id).toBe(workingVersion.id); // a draft changes nothing
    await publish(v2);
    expect(await searchRow(id)).toMatchObject({ version_id: v2, audience: 'all_customers' });
    expect(await found('热水袋')).toContain(id);
    expect(await found('折叠')).not.toContain(id);

    // Tags are not versioned: live at once.
    const tagged = await editor.patch(`/api/v1/kb/articles/${id}`, { tags: ['取暖器'] });
    expect(tagged.statusCode, tagged.body).toBe(200);
    expect((await searchRow(id))?.head).toContain('取暖器');
    expect(await found('取暖器')).toContain(id);

    // A rolled-back change leaves the search row alone; an unpublished article leaves search.
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE kb_articles SET live_version_id = NULL WHERE id = ${id}`);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await searchRow(id))?.version_id).toBe(v2);
    await t.database.db.execute(
      sql`UPDATE kb_articles SET live_version_id = NULL WHERE id = ${id}`,
    );
    expect(await searchRow(id)).toBeUndefined();
    expect(await found('热水袋')).not.toContain(id);
  });
});
