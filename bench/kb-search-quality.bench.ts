import { sql } from 'drizzle-orm';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf, type Database } from '../server/src/db/client.js';
import { DEMO_PASSWORD } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { importArticles } from '../server/src/modules/kb/seed.js';
import { bm25, bigramsOf, dictionaryEntries, wordsOf } from './kb-bm25.js';
import { financeEval, type EvalPair } from './eval/finance-faq.js';
import { benchArticles } from './kb-corpus.js';
import { seedKbBench } from './kb-seed.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

/** Generated e-commerce articles added as distractors (the demo manual's 209 are there too). */
const DISTRACTORS = Number(process.env.BENCH_KB_EVAL_DISTRACTORS ?? 3000);
const K = [1, 3, 10] as const;
/** BENCH_SHOW_MISSES=1 prints every n-th tuning miss (BENCH_MISS_EVERY, default 12). */
const MISS_EVERY = Math.max(1, Number(process.env.BENCH_MISS_EVERY ?? 12));
/** Goal: recall@3 of our search on the held-out set ≥ 1.2 × plain BM25 over Intl.Segmenter words. */
const GOAL_RATIO = 1.2;

/**
 * Chinese search quality on a generated financial-services FAQ set (bench/eval/finance-faq.ts:
 * ~390 FAQ articles, ~5,900 paraphrased questions split into tuning and held-out) among the demo
 * manual and generated distractors. In the same run and over the same live articles: our search
 * through the API (listening server, signed-in agent), plain BM25 over `Intl.Segmenter` words,
 * and BM25 over Intl words plus character bigrams. Prints recall@1/3/10 of each.
 */
export default async function kbSearchQualityBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  try {
    return await measure(database);
  } finally {
    await close();
  }
}

async function measure(database: Database): Promise<BenchResult[]> {
  const { db } = database;
  const engine = database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const now = systemClock.now();
  const { author, categories, ctx } = await seedKbBench(db, now);
  const evalSet = financeEval();
  const ids = await db.transaction((tx) =>
    importArticles(tx, ctx, author.id, evalSet.articles, categories),
  );
  for (let offset = 0; offset < DISTRACTORS; offset += 1000) {
    const batch = benchArticles(Math.min(1000, DISTRACTORS - offset), offset);
    await db.transaction((tx) => importArticles(tx, ctx, author.id, batch, categories));
  }
  await db.execute(sql`ANALYZE`);

  // The baselines index exactly the live articles the API searches.
  const corpus = rowsOf<{ id: string; title: string; body: string }>(
    await db.execute(sql`
      SELECT a.id, a.title, v.body FROM kb_articles a
      JOIN kb_versions v ON v.id = a.live_version_id`),
  );
  const intlWords = bm25(corpus, wordsOf);
  const intlBigrams = bm25(corpus, (t) => [...wordsOf(t), ...bigramsOf(t)]);
  console.error(
    `kb-search-quality: ${engine}, ${corpus.length} live articles (${evalSet.articles.length} FAQ), ` +
      `${evalSet.tuning.length} tuning + ${evalSet.heldOut.length} held-out questions`,
  );

  const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { cookie } = await signIn(base, 'agent@kefu.demo');
    // The workspace's product names and their synonyms, added to the search dictionary as an
    // administrator would (BENCH_KB_EVAL_NO_DICTIONARY=1 measures without any,
    // BENCH_KB_EVAL_NO_SYNONYMS=1 with the names alone).
    if (!process.env.BENCH_KB_EVAL_NO_DICTIONARY) {
      const editor = await signIn(base, 'editor@kefu.demo');
      for (const entry of dictionaryEntries(!process.env.BENCH_KB_EVAL_NO_SYNONYMS)) {
        const res = await fetch(`${base}/api/v1/kb/dictionary`, {
          method: 'POST',
          headers: {
            cookie: editor.cookie,
            'content-type': 'application/json',
            'x-csrf-token': editor.csrf,
          },
          body: JSON.stringify(entry),
        });
        if (res.status !== 201)
          throw new Error(`dictionary answered ${res.status}: ${await res.text()}`);
      }
    }
    let failed = 0;
    const ours = async (q: string) => {
      const res = await fetch(`${base}/api/v1/kb/search?q=${encodeURIComponent(q)}&limit=10`, {
        headers: { cookie },
      });
      if (res.status !== 200) {
        failed += 1;
        return [];
      }
      return ((await res.json()) as { data: { id: string }[] }).data.map((h) => h.id);
    };
    const results: BenchResult[] = [];
    // BENCH_KB_EVAL_TUNING_ONLY=1 while changing search: held-out is not even run.
    const sets = [
      ['tuning', evalSet.tuning],
      ['held-out', evalSet.heldOut],
    ] as const;
    // BENCH_KB_EVAL_SETS=held-out runs one set; BENCH_KB_EVAL_EVERY=n asks every n-th question
    // (a deterministic sample, for a loaded machine).
    const only = process.env.BENCH_KB_EVAL_TUNING_ONLY ? 'tuning' : process.env.BENCH_KB_EVAL_SETS;
    const every = Math.max(1, Number(process.env.BENCH_KB_EVAL_EVERY ?? 1));
    for (const [label, all] of sets.filter(([l]) => !only || only === l)) {
      const pairs = all.filter((_, i) => i % every === 0);
      const r = {
        ours: await recall(pairs, ids, ours, label === 'tuning'),
        intl: await recall(pairs, ids, async (q) => intlWords(q)),
        bigram: await recall(pairs, ids, async (q) => intlBigrams(q)),
      };
      const row = (metric: string, value: number, unit = 'recall'): BenchResult => ({
        name: 'kb-search-quality',
        metric: `${label} ${metric} (${engine}, ${pairs.length} questions)`,
        value,
        unit,
      });
      for (const [who, name] of [
        ['ours', 'our search (API)'],
        ['intl', 'BM25 Intl words'],
        ['bigram', 'BM25 Intl words+bigrams'],
      ] as const)
        results.push(...K.map((k, i) => row(`${name} recall@${k}`, r[who][i]!)));
      results.push({
        ...row('recall@3 ours / BM25 Intl words', r.ours[1]! / r.intl[1]!, 'ratio'),
        ...(label === 'held-out' ? { goal: { atLeast: GOAL_RATIO } } : {}),
        ...(failed ? { invalid: `${failed} searches did not answer 200` } : {}),
      });
    }
    // Learning from use: every tuning question is asked in the help centre and its article
    // marked helpful (the query travels with the vote), then the held-out questions — other
    // rewordings, never used — are asked again. BENCH_KB_EVAL_NO_USE=1 skips this.
    if (!process.env.BENCH_KB_EVAL_NO_USE && only !== 'tuning') {
      for (const p of evalSet.tuning) {
        const res = await fetch(`${base}/api/v1/help/articles/${ids.get(p.key)}/feedback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ helpful: true, query: p.query }),
        });
        if (res.status !== 201)
          throw new Error(`feedback answered ${res.status}: ${await res.text()}`);
      }
      const pairs = evalSet.heldOut.filter((_, i) => i % every === 0);
      const after = await recall(pairs, ids, ours);
      const intlAgain = await recall(pairs, ids, async (q) => intlWords(q));
      const row = (metric: string, value: number, unit = 'recall'): BenchResult => ({
        name: 'kb-search-quality',
        metric: `held-out ${metric} (${engine}, ${pairs.length} questions, ${evalSet.tuning.length} uses)`,
        value,
        unit,
      });
      results.push(...K.map((k, i) => row(`our search after use recall@${k}`, after[i]!)));
      results.push({
        ...row('recall@3 ours after use / BM25 Intl words', after[1]! / intlAgain[1]!, 'ratio'),
        goal: { atLeast: GOAL_RATIO },
        ...(failed ? { invalid: `${failed} searches did not answer 200` } : {}),
      });
    }
    return results.map((r) =>
      r.unit === 'recall' ? { ...r, value: r.value * 100, unit: '%' } : r,
    );
  } finally {
    await app.close();
  }
}

/** recall@1/3/10 of a ranking function; the tuning set's misses are printed (never held-out's). */
async function recall(
  pairs: readonly EvalPair[],
  ids: Map<string, string>,
  rank: (q: string) => Promise<string[]>,
  showMisses = false,
): Promise<number[]> {
  const hits = K.map(() => 0);
  let missed = 0;
  for (const p of pairs) {
    const found = await rank(p.query);
    const at = found.indexOf(ids.get(p.key)!);
    K.forEach((k, i) => {
      if (at !== -1 && at < k) hits[i]! += 1;
    });
    if (showMisses && (at === -1 || at >= 3) && (missed += 1) % MISS_EVERY === 0)
      if (process.env.BENCH_SHOW_MISSES) console.error(`  ✗ ${p.query} → ${p.key} at ${at}`);
  }
  const r = hits.map((h) => h / pairs.length);
  console.error(`  recall@1/3/10 ${r.map((x) => x.toFixed(3)).join(' / ')}`);
  return r;
}

async function signIn(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!session) throw new Error('sign-in set no kefu_session cookie');
  const { data } = (await res.json()) as { data: { csrfToken: string } };
  return { cookie: session.split(';')[0]!, csrf: data.csrfToken };
}
