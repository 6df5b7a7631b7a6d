import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../../test/harness.js';
import { manualArticles } from '../fixtures/manual.js';
import { EN_QUERIES, ZH_QUERIES } from '../fixtures/queries.js';
import { EN_HELDOUT, ZH_HELDOUT } from '../fixtures/queries-heldout.js';
import { loadManual } from '../seed.js';
import { chooseSegmenter } from './segment.js';

/**
 * Search quality over the seeded manual (≥ 200 articles): paraphrased questions must find the
 * article that answers them. Prints recall@1 and recall@3; fails below recall@3 = 0.85.
 */
let t: TestContext;
let agent: TestClient;
let ids: Map<string, string>;
const articles = manualArticles();

async function load() {
  t = await createTestContext();
  const editor = await t.buildUser({ roles: ['knowledge_editor'] });
  ids = await t.database.db.transaction((tx) =>
    loadManual(
      tx,
      {
        actorId: editor.id,
        actorName: editor.name,
        ip: null,
        userAgent: null,
        requestId: null,
        at: t.clock.now(),
      },
      editor.id,
      articles,
    ),
  );
  agent = await t.as('agent');
}

beforeAll(load, 120_000);
afterAll(() => t.close());

async function recall(queries: readonly [string, string][], label: string) {
  let at1 = 0;
  let at3 = 0;
  const misses: string[] = [];
  for (const [q, key] of queries) {
    const res = await agent.get(`/api/v1/kb/search?q=${encodeURIComponent(q)}&limit=3`);
    expect(res.statusCode, res.body).toBe(200);
    const found: { id: string; title: string }[] = res.json().data;
    const expected = ids.get(key);
    expect(expected, key).toBeDefined();
    const rank = found.findIndex((h) => h.id === expected);
    if (rank === 0) at1 += 1;
    if (rank !== -1) at3 += 1;
    else
      misses.push(
        `  ✗ ${q} → wanted ${key}, got ${found.map((h) => h.title).join(' | ') || 'nothing'}`,
      );
  }
  const r1 = at1 / queries.length;
  const r3 = at3 / queries.length;
  console.log(
    `${label}: ${queries.length} queries over ${articles.length} articles — recall@1 ${r1.toFixed(3)}, recall@3 ${r3.toFixed(3)}` +
      (misses.length ? `\n${misses.join('\n')}` : ''),
  );
  return { r1, r3 };
}

describe('knowledge-base search quality', () => {
  it('has a manual of at least 200 articles and enough queries', () => {
    expect(articles.length).toBeGreaterThanOrEqual(200);
    expect(ZH_QUERIES.length).toBeGreaterThanOrEqual(60);
    expect(EN_QUERIES.length).toBeGreaterThanOrEqual(20);
  });

  it('finds the answer to Chinese questions (recall@3 ≥ 0.85)', async () => {
    const { r3 } = await recall(ZH_QUERIES, 'zh-CN');
    expect(r3).toBeGreaterThanOrEqual(0.85);
  }, 60_000);

  it('finds the answer to English questions (recall@3 ≥ 0.85)', async () => {
    const { r3 } = await recall(EN_QUERIES, 'en-US');
    expect(r3).toBeGreaterThanOrEqual(0.85);
  }, 60_000);
});

/**
 * Floor for the held-out questions. They are reported, not tuned to: a figure under the tuned
 * set's 0.85 is the honest measure of how search generalises. Below 0.7 recall@3, though, more
 * than one question in four finds nothing useful in the top three — that is a regression of
 * search (segmentation, ranking, index), not the difficulty of new wording, so it fails.
 */
const HELDOUT_FLOOR_AT3 = 0.7;

describe('held-out questions (never used to tune synonyms or stop words)', () => {
  it('has at least 30 Chinese and 10 English questions', () => {
    expect(ZH_HELDOUT.length).toBeGreaterThanOrEqual(30);
    expect(EN_HELDOUT.length).toBeGreaterThanOrEqual(10);
  });

  it(`reports recall on Chinese held-out questions (fails below recall@3 = ${HELDOUT_FLOOR_AT3})`, async () => {
    const { r3 } = await recall(ZH_HELDOUT, 'zh-CN held-out');
    expect(r3).toBeGreaterThanOrEqual(HELDOUT_FLOOR_AT3);
  }, 60_000);

  it(`reports recall on English held-out questions (fails below recall@3 = ${HELDOUT_FLOOR_AT3})`, async () => {
    const { r3 } = await recall(EN_HELDOUT, 'en-US held-out');
    expect(r3).toBeGreaterThanOrEqual(HELDOUT_FLOOR_AT3);
  }, 60_000);
});

describe('the same search with Intl.Segmenter instead of jieba (for docs/knowledge.md)', () => {
  it('measures recall with the other segmenter', async () => {
    await t.close();
    chooseSegmenter('intl');
    try {
      await load();
      await recall(ZH_QUERIES, 'zh-CN with Intl.Segmenter');
    } finally {
      chooseSegmenter('jieba');
    }
  }, 120_000);
});
