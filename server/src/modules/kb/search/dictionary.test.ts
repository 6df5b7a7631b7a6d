import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../../test/harness.js';
import type { ManualArticle } from '../fixtures/types.js';
import { loadManual } from '../seed.js';
import { segment, useDictionary } from './segment.js';

/** The search dictionary: words administrators add are kept whole, and articles re-indexed. */
let t: TestContext;
let editor: TestClient;
let ids: Map<string, string>;

const article = (key: string, title: string, body: string): ManualArticle => ({
  key,
  category: 'payments',
  type: 'faq',
  language: 'zh-CN',
  title,
  tags: [],
  body,
  audience: 'all_customers',
});

beforeAll(async () => {
  useDictionary([]);
  t = await createTestContext();
  const user = await t.buildUser({ roles: ['knowledge_editor'] });
  ids = await t.database.db.transaction((tx) =>
    loadManual(
      tx,
      {
        actorId: user.id,
        actorName: user.name,
        ip: null,
        userAgent: null,
        requestId: null,
        at: t.clock.now(),
      },
      user.id,
      [
        article('huabei', '花呗如何提前还款', '进入花呗页面点击还款。'),
        article('flower', '鲜花订单配送说明', '花束当天送达。'),
      ],
    ),
  );
  editor = await t.as('knowledge_editor');
}, 120_000);
afterAll(() => t.close());

describe('search dictionary', () => {
  it('keeps an added product name whole and re-indexes the articles that contain it', async () => {
    expect(segment('花呗怎么还款')).not.toContain('花呗');
    const res = await editor.post('/api/v1/kb/dictionary', { word: ' 花呗 ' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ word: '花呗', reindexed: 1 });
    expect(segment('花呗怎么还款')).toContain('花呗');
    const [row] = rowsOf<{ tokens: string }>(
      await t.database.db.execute(
        sql`SELECT search_title_tokens AS tokens FROM kb_articles WHERE id = ${ids.get('huabei')!}`,
      ),
    );
    expect(row!.tokens.split(' ')).toContain('花呗');
    const list = await editor.get('/api/v1/kb/dictionary');
    expect(list.json().data.map((w: { word: string }) => w.word)).toEqual(['花呗']);
    const audit = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`SELECT action FROM audit_events WHERE action = 'kb_dictionary.add'`,
      ),
    );
    expect(audit).toHaveLength(1);
  });

  it('finds the article by the whole word first', async () => {
    const agent = await t.as('agent');
    const res = await agent.get(`/api/v1/kb/search?q=${encodeURIComponent('花呗怎么还')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data[0].id).toBe(ids.get('huabei'));
  });

  it('refuses duplicates (409), bad words (400) and other roles (403)', async () => {
    expect((await editor.post('/api/v1/kb/dictionary', { word: '花呗' })).statusCode).toBe(409);
    for (const body of [{ word: '花 呗' }, { word: '花' }, { word: 'x'.repeat(21) }, {}])
      expect((await editor.post('/api/v1/kb/dictionary', body)).statusCode).toBe(400);
    expect(
      (await editor.post('/api/v1/kb/dictionary', { word: '借呗', extra: 1 })).statusCode,
    ).toBe(400);
    const agent = await t.as('agent');
    expect((await agent.post('/api/v1/kb/dictionary', { word: '借呗' })).statusCode).toBe(403);
  });

  it('removes a word (204, then 404) and the segmenter forgets it', async () => {
    const [entry] = (await editor.get('/api/v1/kb/dictionary')).json().data;
    expect((await editor.delete(`/api/v1/kb/dictionary/${entry.id}`)).statusCode).toBe(204);
    expect((await editor.delete(`/api/v1/kb/dictionary/${entry.id}`)).statusCode).toBe(404);
    expect(segment('花呗怎么还款')).not.toContain('花呗');
  });
});
