import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import type { ManualArticle } from '../fixtures/types.js';
import { loadManual } from '../seed.js';
import { prepareQuery, rankedRows, type PreparedQuery } from './service.js';

/**
 * How common groups select candidates (rankedRows): titles and tags holding two of them, and any
 * one of them only when nothing else selects. "Common" needs over 1,000 articles holding a group;
 * here the document frequencies are forged on a handful of articles.
 */
let t: TestContext;
let ids: Map<string, string>;

const article = (key: string, title: string, tags: string[] = []): ManualArticle => ({
  key,
  category: 'delivery',
  type: 'faq',
  language: 'zh-CN',
  title,
  tags,
  body: `${title}。请联系客服。`,
  audience: 'all_customers',
});

beforeAll(async () => {
  t = await createTestContext();
  const editor = await t.buildUser({ roles: ['knowledge_editor'] });
  const ctx = {
    actorId: editor.id,
    actorName: editor.name,
    ip: null,
    userAgent: null,
    requestId: null,
    at: t.clock.now(),
  };
  ids = await t.database.db.transaction((tx) =>
    loadManual(tx, ctx, editor.id, [
      article('both', '快递 退货 须知'),
      article('parcel', '快递 说明'),
      article('returns', '退货 流程'),
      article('tagged', '上门取件', ['快递', '退货']),
    ]),
  );
}, 60_000);
afterAll(() => t.close());

/** The query's groups with forged statistics: every group in `df` articles. */
async function forged(q: string, df: number, weights?: number[]): Promise<PreparedQuery> {
  const p = await prepareQuery(t.database.db, q);
  return {
    ...p,
    df: p.groups.map(() => df),
    idf: p.groups.map((_, i) => weights?.[i] ?? 1),
  };
}

const found = async (p: PreparedQuery) =>
  (await rankedRows(t.database.db, { q: '', limit: 10 }, p)).map((r) => r.id);

describe('common groups select through titles and tags', () => {
  it('pairs: only articles holding two common groups in title or tags are candidates', async () => {
    const p = await forged('快递 退货', 5000);
    expect(p.groups.length).toBeGreaterThanOrEqual(2);
    expect(new Set(await found(p))).toEqual(new Set([ids.get('both'), ids.get('tagged')]));
  });

  it('when no title holds a pair and no group is rare, any one of them selects again', async () => {
    const p = await forged('快递 发票', 5000);
    const hits = await found(p);
    expect(hits).toContain(ids.get('parcel'));
    expect(hits).toContain(ids.get('both'));
  });

  it('a group weighing under a quarter of the strongest does not pair', async () => {
    const p = await forged('快递 退货', 5000);
    const weights = p.groups.map((g) => (g.includes('退货') ? 0.1 : 1));
    const hits = await found({ ...p, idf: weights });
    // One pairable group left: any common group selects, as before pairs existed.
    expect(hits).toContain(ids.get('parcel'));
    expect(hits).toContain(ids.get('returns'));
  });

  it('rare groups still select anywhere beside the pairs', async () => {
    const p = await forged('快递 退货 取件', 5000);
    const rare = p.groups.findIndex((g) => g.includes('取件'));
    expect(rare).toBeGreaterThanOrEqual(0);
    const df = p.df.map((d, i) => (i === rare ? 1 : d));
    const hits = await found({ ...p, df });
    expect(new Set(hits)).toEqual(new Set([ids.get('both'), ids.get('tagged')]));
  });
});
