import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../../test/harness.js';
import type { ManualArticle } from '../fixtures/types.js';
import { loadManual } from '../seed.js';
import { synonymsInUse } from './dictionary.js';
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
        article('savings', '储蓄卡账单在哪里查看', '在首页点击储蓄卡，进入账单。'),
        article('credit', '信用卡账单在哪里查看', '在首页点击信用卡，进入账单明细。'),
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

  it('a synonym finds the articles naming the word; synonyms are replaced, validated and audited', async () => {
    const agent = await t.as('agent');
    const search = async (q: string) =>
      (await agent.get(`/api/v1/kb/search?q=${encodeURIComponent(q)}`)).json().data as {
        id: string;
      }[];
    const res = await editor.post('/api/v1/kb/dictionary', {
      word: '储蓄卡',
      synonyms: ['存款卡', ' 借记卡 '],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({
      word: '储蓄卡',
      synonyms: ['存款卡', '借记卡'],
      reindexed: 1,
    });
    expect(segment('存款卡账单')).toContain('存款卡'); // kept whole like a word
    expect((await search('存款卡账单在哪看'))[0]?.id).toBe(ids.get('savings'));
    expect((await search('借记卡的账单'))[0]?.id).toBe(ids.get('savings'));
    expect(synonymsInUse().get('借记卡')).toEqual(['储蓄卡', '存款卡', '借记卡']);

    const id = res.json().data.id as string;
    const patch = (body: unknown) => editor.patch(`/api/v1/kb/dictionary/${id}`, body);
    const itself = await patch({ synonyms: ['借记卡', '储蓄卡'] });
    expect(itself.statusCode).toBe(422);
    expect(itself.json().errors).toEqual([
      expect.objectContaining({ path: 'synonyms.1', code: 'same_as_word' }),
    ]);
    const twice = await patch({ synonyms: ['借记卡', ' 借记卡'] });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().errors[0]).toMatchObject({ path: 'synonyms.1', code: 'duplicate_synonym' });
    const bad = [
      { synonyms: Array.from({ length: 11 }, (_, i) => `别名${i}`) },
      { synonyms: ['借 记卡'] },
      { synonyms: ['卡'] },
      { synonyms: 'x' },
      {},
    ];
    for (const body of bad) expect((await patch(body)).statusCode, JSON.stringify(body)).toBe(400);
    const same = await editor.post('/api/v1/kb/dictionary', {
      word: '信用卡',
      synonyms: ['信用卡'],
    });
    expect(same.statusCode).toBe(422);
    expect(same.json().errors[0]).toMatchObject({ code: 'same_as_word' });
    expect((await editor.get('/api/v1/kb/dictionary')).json().data).toHaveLength(2); // nothing added
    expect((await agent.patch(`/api/v1/kb/dictionary/${id}`, { synonyms: [] })).statusCode).toBe(
      403,
    );
    expect(
      (
        await editor.patch('/api/v1/kb/dictionary/00000000-0000-4000-8000-000000000000', {
          synonyms: [],
        })
      ).statusCode,
    ).toBe(404);

    const ok = await patch({ synonyms: ['借记卡'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data).toMatchObject({ word: '储蓄卡', synonyms: ['借记卡'] });
    const list = (await editor.get('/api/v1/kb/dictionary')).json().data;
    expect(list.find((w: { id: string }) => w.id === id).synonyms).toEqual(['借记卡']);
    expect(segment('存款卡账单')).not.toContain('存款卡');
    const [audit] = rowsOf<{ diff: unknown }>(
      await t.database.db.execute(
        sql`SELECT diff FROM audit_events WHERE action = 'kb_dictionary.update'`,
      ),
    );
    expect(JSON.stringify(audit!.diff)).toContain('借记卡');
    expect((await editor.delete(`/api/v1/kb/dictionary/${id}`)).statusCode).toBe(204);
    expect(synonymsInUse().get('借记卡')).toBeUndefined();
  });

  it('removes a word (204, then 404) and the segmenter forgets it', async () => {
    const [entry] = (await editor.get('/api/v1/kb/dictionary')).json().data;
    expect((await editor.delete(`/api/v1/kb/dictionary/${entry.id}`)).statusCode).toBe(204);
    expect((await editor.delete(`/api/v1/kb/dictionary/${entry.id}`)).statusCode).toBe(404);
    expect(segment('花呗怎么还款')).not.toContain('花呗');
  });
});
