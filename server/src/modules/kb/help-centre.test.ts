import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { seedSlaDefaults } from '../sla/seed.js';
import { manualArticles } from './fixtures/manual.js';
import { loadManual } from './seed.js';
import { detectSearchCapabilities } from './search/service.js';

/** Public help centre, feedback queue and the forbidden-phrase check, over the seeded manual. */
let t: TestContext;
let ids: Map<string, string>;
let agent: TestClient;
let editor: TestClient & { user: { id: string } };
const articles = manualArticles();
const internalKeys = articles.filter((a) => a.audience === 'internal').map((a) => a.key);

beforeAll(async () => {
  t = await createTestContext();
  const author = await t.buildUser({ roles: ['knowledge_editor'] });
  ids = await t.database.db.transaction((tx) =>
    loadManual(
      tx,
      {
        actorId: author.id,
        actorName: author.name,
        ip: null,
        userAgent: null,
        requestId: null,
        at: t.clock.now(),
      },
      author.id,
      articles,
    ),
  );
  // The default business calendar (China, with 2026's holidays) counts feedback deadlines.
  await seedSlaDefaults(t.database.db, t.clock.now());
  agent = await t.as('agent');
  editor = await t.as('knowledge_editor');
}, 120_000);
afterAll(() => t.close());

describe('public help centre', () => {
  it('never lists, searches, reads or rates internal or tiered articles', async () => {
    expect(internalKeys.length).toBeGreaterThan(5);
    const pub = t.anonymous;
    const all = (await pub.get('/api/v1/help/articles?limit=100')).json().data;
    const search = (
      await pub.get(
        `/api/v1/help/articles?q=${encodeURIComponent('投诉 升级 绿色通道 话术 禁用语 应急')}`,
      )
    ).json().data;
    const listed = new Set([...all, ...search].map((a: { id: string }) => a.id));
    for (const key of [...internalKeys, 'm-vip']) {
      const id = ids.get(key)!;
      expect(listed.has(id), key).toBe(false);
      expect((await pub.get(`/api/v1/help/articles/${id}`)).statusCode, key).toBe(404);
      expect(
        (await pub.post(`/api/v1/help/articles/${id}/feedback`, { helpful: true })).statusCode,
      ).toBe(404);
    }
    // Staff search does see internal articles.
    const staff = (await agent.get(`/api/v1/kb/search?q=${encodeURIComponent('绿色通道')}`)).json()
      .data;
    expect(staff.map((h: { id: string }) => h.id)).toContain(ids.get('c-escalate'));
  });

  it('browses categories and reads an article with its translation', async () => {
    const cats = (await t.anonymous.get('/api/v1/help/categories')).json().data;
    expect(cats.map((c: { name: string }) => c.name)).toContain('发票');
    expect(cats.map((c: { name: string }) => c.name)).not.toContain('应急预案');
    const invoices = cats.find((c: { name: string }) => c.name === '发票');
    const list = (await t.anonymous.get(`/api/v1/help/articles?categoryId=${invoices.id}`)).json()
      .data;
    expect(list.length).toBeGreaterThanOrEqual(6);
    const article = (await t.anonymous.get(`/api/v1/help/articles/${ids.get('i-vat')}`)).json()
      .data;
    expect(article).toMatchObject({ title: '开具增值税专用发票', version: 1 });
    expect(article.translations).toEqual([
      { id: ids.get('en-i-vat'), language: 'en-US', title: 'Special VAT invoices for companies' },
    ]);
  });

  it('searches with highlighted snippets (parts, no HTML)', async () => {
    const hits = (
      await t.anonymous.get(`/api/v1/help/articles?q=${encodeURIComponent('电子发票下载')}`)
    ).json().data;
    expect(hits[0].id).toBe(ids.get('i-download'));
    expect(
      hits[0].snippet.some(
        (p: { match: boolean; text: string }) => p.match && p.text.includes('发票'),
      ),
    ).toBe(true);
  });

  it('matches title typos with pg_trgm where the engine has it (PGlite: full-text only)', async () => {
    const { trigram } = await detectSearchCapabilities(t.database.db);
    const hits = (await t.anonymous.get('/api/v1/help/articles?q=Warrenty%20perod')).json().data;
    if (trigram) expect(hits.map((h: { id: string }) => h.id)).toContain(ids.get('en-w-scope'));
    else expect(hits).toEqual([]);
  });

  it('is rate limited per IP', async () => {
    const limited = await createTestContext({ KEFU_PUBLIC_RATE_PER_MINUTE: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await limited.anonymous.get('/api/v1/help/categories')).statusCode);
      expect(codes).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('feedback queue', () => {
  it('takes customer and agent feedback with a 30-working-day deadline; editors answer or revise', async () => {
    const articleId = ids.get('r-refund-time')!;
    const customer = await t.anonymous.post(`/api/v1/help/articles/${articleId}/feedback`, {
      helpful: false,
      comment: '写的到账时间和实际不一样',
      category: 'accuracy',
    });
    expect(customer.statusCode).toBe(201);
    // 2026-03-02 is a Monday: 30 working days later on the China calendar is Tuesday
    // 2026-04-14 (Monday 6 April is the Qingming holiday; Monday–Friday alone gives 13 April).
    expect(customer.json().data.dueAt).toBe('2026-04-14T02:00:00.000Z');
    t.clock.advance(1000);
    const fromAgent = await agent.post(`/api/v1/kb/articles/${articleId}/feedback`, {
      helpful: true,
      comment: '流程清楚',
      category: 'process',
    });
    expect(fromAgent.statusCode).toBe(201);
    expect((await agent.get('/api/v1/kb/feedback')).statusCode).toBe(403);

    const queue = (await editor.get('/api/v1/kb/feedback?status=open')).json().data;
    expect(queue.map((f: { source: string }) => f.source)).toEqual(['customer', 'agent']);
    const [fb1, fb2] = queue;
    const answered = await editor.post(`/api/v1/kb/feedback/${fb2.id}/answer`, {
      answer: '谢谢反馈',
    });
    expect(answered.json().data).toMatchObject({ status: 'answered', answer: '谢谢反馈' });
    const revised = await editor.post(`/api/v1/kb/feedback/${fb1.id}/revision-request`, {
      reason: '客户反馈：到账时间描述不准确',
      proposedChange: '银行卡改为 1–7 个工作日',
    });
    expect(revised.json().data).toMatchObject({ status: 'revision_requested' });
    const again = await editor.post(`/api/v1/kb/feedback/${fb1.id}/answer`, { answer: 'x' });
    expect(again.json()).toMatchObject({ code: 'feedback_closed' });
    const article = (await agent.get(`/api/v1/kb/articles/${articleId}`)).json().data;
    expect(article.workingVersion).toMatchObject({ number: 2, status: 'draft' });

    t.clock.advance(60 * 86_400_000);
    const late = await t.anonymous.post(`/api/v1/help/articles/${ids.get('d-fee')}/feedback`, {
      helpful: false,
    });
    expect(late.statusCode).toBe(201);
  });
});

describe('forbidden phrases', () => {
  it('finds SPEC phrases in a reply with positions, ignoring spaces', async () => {
    const agentNow = await t.as('agent');
    const text = '您好，这不是 我的职责，你自己看说明吧。';
    const res = await agentNow.post('/api/v1/kb/phrase-check', { text });
    expect(res.statusCode).toBe(200);
    const { forbidden, requiredMissing } = res.json().data;
    expect(forbidden.map((f: { phrase: string }) => f.phrase)).toEqual([
      '这不是我的职责',
      '你自己看说明',
    ]);
    expect(text.slice(forbidden[0].start, forbidden[0].end)).toBe('这不是 我的职责');
    expect(forbidden[0].suggestion).not.toBe('');
    expect(requiredMissing.map((r: { phrase: string }) => r.phrase)).not.toContain('您好');
    const phrases = (await agentNow.get('/api/v1/kb/phrases')).json().data;
    expect(phrases.forbidden.length).toBeGreaterThanOrEqual(8);
  });

  it('suggests articles for a ticket from its subject and description', async () => {
    const text = '包裹显示已经签收了，但是我家里根本没有收到，快递员也联系不上';
    const fresh = await t.as('agent');
    const hits = (await fresh.get(`/api/v1/kb/suggestions?text=${encodeURIComponent(text)}`)).json()
      .data;
    expect(hits.slice(0, 3).map((h: { id: string }) => h.id)).toContain(ids.get('d-signed'));
  });
});
