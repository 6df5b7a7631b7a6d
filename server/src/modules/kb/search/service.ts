import { sql, type SQL } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { rowsOf, type Db } from '../../../db/client.js';
import { markdownToText, snippetText } from '../rules/text.js';
import {
  hanBigrams,
  queryGroups,
  ZH_WEAK_WORDS,
  pairsOf,
  snippet,
  type SnippetPart,
} from '../rules/query.js';
import type { ArticleType, Audience, Language } from '../schemas.js';
import { ensureDictionary, synonymsInUse } from './dictionary.js';
import { segment } from './segment.js';
import { soundAlikes } from '../rules/pinyin.js';
import { forgetSoundIndex, soundIndex } from './typos.js';
import { evidenceBonus } from '../rules/evidence.js';
import { evidenceFor, evidenceTerms } from './evidence.js';
import {
  bm25fScore,
  charScore,
  queryChars,
  type FieldNumbers,
  type RankChar,
  type RankTerm,
} from '../rules/bm25f.js';

export interface SearchCapabilities {
  /** pg_trgm is installed: typo-tolerant title matching for Latin-script queries. */
  trigram: boolean;
}

const capabilities = new WeakMap<Db, SearchCapabilities>();

/**
 * Detected once per database at start-up: PostgreSQL with contrib has pg_trgm (the migration
 * installs it when it can), PGlite does not — search then runs on full-text + prefix matching.
 */
export async function detectSearchCapabilities(db: Db): Promise<SearchCapabilities> {
  const known = capabilities.get(db);
  if (known) return known;
  const [row] = rowsOf<{ trigram: boolean }>(
    await db.execute(
      sql`SELECT exists (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS trigram`,
    ),
  );
  const found = { trigram: row?.trigram === true };
  capabilities.set(db, found);
  return found;
}

export interface SearchOptions {
  q: string;
  /** Audiences the caller may read; undefined = every audience (staff). */
  audiences?: readonly Audience[];
  language?: Language;
  categoryId?: string;
  limit: number;
}

export interface SearchHit {
  id: string;
  title: string;
  type: ArticleType;
  language: Language;
  categoryId: string;
  audience: Audience;
  rank: number;
  snippet: SnippetPart[];
  /** How it was found: full-text, or trigram similarity of the title (typos). */
  via: 'fulltext' | 'trigram';
}

/** ts_rank normalisation 1: divides by 1 + log(document length), so long bodies do not win. */
const NORMALISATION = 1;
/** Longer questions keep their first words (a ticket description can be long). */
const MAX_GROUPS = 16;
/** Character bigrams of a query searched beside its words (a long question keeps its first). */
const MAX_BIGRAMS = 12;
/** A bigram's weight relative to a word of the same rarity (words and bigrams fused). */
const BIGRAM_WEIGHT = 0.5;
/** A weak word's weight (ZH_WEAK_WORDS: 还, 不, 能 …) relative to a topical word. */
const WEAK_WEIGHT = 0.3;
/** ts_rank weights of body (D), –, tags (B), title (A): the body counts for more than the default 0.1. */
const FIELD_WEIGHTS = '{0.3, 0.2, 0.6, 1.0}';
/**
 * A group in more live articles than this selects candidates through titles and tags only
 * (`head_vector`): ranking the tens of thousands of articles that mention 快递 or 退货
 * somewhere is what made search slow at 100,000 articles. Body-only matches of such a word
 * weigh a tenth of a title match (D vs A) and rarely reach the top anyway. Below this many
 * articles the selection is exhaustive.
 */
const COMMON_DF = 1000;
/**
 * Of the articles a common group selects through titles and tags, only this many (the best by
 * a title-and-tags pre-rank, cheap on small vectors) are ranked over the whole article. 快递/物流
 * is in the titles or tags of 20,000 articles at 100,000; ranking all of them cost 150–250 ms.
 * With fewer candidates than this (any manual under ~1,000 articles) nothing is cut.
 */
const COMMON_CANDIDATES = 300;
/** A Han word or bigram in fewer live articles than this is checked for a typo by sound. */
const TYPO_MAX_DF = 3;
/**
 * Chinese queries: the SQL ranking's best this many are re-ranked in Node by BM25F over their
 * stored tokens (rules/bm25f.ts). The SQL rank finds the right article in its top 10 for ~92 % of
 * the finance FAQ questions but orders the top 3 worse than BM25.
 */
const RERANK_DEPTH = 40;
/** A long Chinese question keeps its first this many distinct characters for the re-rank. */
const MAX_CHARS = 24;
/** Query-side weights in the BM25F re-rank (chosen on the tuning set, bench/kb-rank-lab.ts). */
const RERANK_WEAK_WEIGHT = 0.6;
const RERANK_BIGRAM_WEIGHT = 0.25;
/**
 * Evidence of use is a bonus in ts_rank units (rules/evidence.ts); BM25F scores of the same
 * candidates run about ten times higher.
 */
const RERANK_EVIDENCE_SCALE = 10;
/**
 * Common groups pair up to select title/tag candidates (rankedRows) when they weigh at least
 * this share of the strongest common group (idf × role weight). At 100,000 articles, the
 * manual's 146 questions (search p95, best of 3; recall@3): any one group selecting 51 ms,
 * 0.623; every common group pairing 49 ms, 0.651; this share 20 ms, 0.644.
 */
const PAIR_MIN_SHARE = 0.25;
/** Typo matching of titles: minimum word_similarity of the query to some part of a title. */
const TRIGRAM_THRESHOLD = 0.5;

/** Conditions on the search row `s` (kb_search holds live articles only). */
function filters(o: SearchOptions): SQL {
  const parts: SQL[] = [sql`true`];
  if (o.audiences)
    parts.push(
      o.audiences.length
        ? sql`s.audience IN (${sql.join(
            o.audiences.map((a) => sql`${a}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  if (o.language) parts.push(sql`s.language = ${o.language}`);
  if (o.categoryId) parts.push(sql`s.category_id = ${o.categoryId}`);
  return sql.join(parts, sql` AND `);
}

interface Row {
  id: string;
  title: string;
  type: ArticleType;
  language: Language;
  category_id: string;
  live_audience: Audience;
  body: string;
  rank: number;
}

/**
 * Document frequency of each query group among live articles, for IDF weighting (ts_rank has
 * none: without it a word in 40 articles counts as much as a word in one). Counted with the GIN
 * index in one query and cached briefly; publishing clears the cache.
 */
/**
 * Ten minutes, like the sound index: counting a new word's articles costs ~1 s at 100,000 under
 * load, and with a one-minute life the search bench's rounds outlived it and paid it on nearly
 * every question (API p50 1 s against 69 ms for the ranking). Publishing here clears it; a
 * publication on another instance reaches this one's statistics within the ten minutes.
 */
const TERM_STATS_TTL_MS = 10 * 60_000;
const dfCache = new LRUCache<string, number>({ max: 20_000, ttl: TERM_STATS_TTL_MS });
/** Per group: the english and simple configurations parse it to the same tsquery (see oneConfig). */
const sameCache = new LRUCache<string, boolean>({ max: 20_000, ttl: TERM_STATS_TTL_MS });
const totalCache = new LRUCache<string, number>({ max: 4, ttl: TERM_STATS_TTL_MS });
const dbKeys = new WeakMap<Db, string>();
let dbCounter = 0;

/** Forget cached term statistics (after a publication changes the live corpus). */
export function forgetTermStats(): void {
  dfCache.clear();
  sameCache.clear();
  totalCache.clear();
  forgetSoundIndex();
}

const matches = (g: string) =>
  sql`((s.language = 'en-US' AND s.vector @@ to_tsquery('english', ${g}))
       OR (s.language <> 'en-US' AND s.vector @@ to_tsquery('simple', ${g})))`;

interface TermStats {
  idf: number[];
  df: number[];
  /** Live articles in all. */
  total: number;
  /** Per group: to_tsquery('english', g) = to_tsquery('simple', g) (true for Chinese words). */
  sameConfig: boolean[];
}

async function termStats(db: Db, groups: string[]): Promise<TermStats> {
  let key = dbKeys.get(db);
  if (!key) dbKeys.set(db, (key = String((dbCounter += 1))));
  let total = totalCache.get(key);
  if (total === undefined) {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM kb_search`),
    );
    total = row?.n ?? 0;
    totalCache.set(key, total);
  }
  const missing = groups.filter(
    (g) => !dfCache.has(`${key}:${g}`) || !sameCache.has(`${key}:${g}`),
  );
  if (missing.length) {
    const [row] = rowsOf<Record<string, number | boolean>>(
      await db.execute(sql`
        SELECT ${sql.join(
          missing.map(
            (g, i) =>
              sql`count(*) FILTER (WHERE ${matches(g)})::int AS ${sql.identifier(`d${i}`)},
                  (to_tsquery('english', ${g})::text = to_tsquery('simple', ${g})::text)
                    AS ${sql.identifier(`s${i}`)}`,
          ),
          sql`, `,
        )}
        FROM kb_search s
        WHERE ${sql.join(missing.map(matches), sql` OR `)}`),
    );
    missing.forEach((g, i) => {
      dfCache.set(`${key}:${g}`, Number(row?.[`d${i}`] ?? 0));
      sameCache.set(`${key}:${g}`, row?.[`s${i}`] === true);
    });
  }
  const df = groups.map((g) => dfCache.get(`${key}:${g}`) ?? 0);
  const sameConfig = groups.map((g) => sameCache.get(`${key}:${g}`) === true);
  // BM25's idf: rare words weigh more, a word in nearly every article almost nothing.
  const idf = df.map((d) => Math.log(1 + (total - d + 0.5) / (d + 0.5)));
  return { idf, df, total, sameConfig };
}

/** A query segmented like the index, grouped with synonyms, each group weighted by rarity. */
export interface PreparedQuery {
  tokens: string[];
  groups: string[];
  idf: number[];
  /** Live articles containing each group (document frequency). */
  df: number[];
  /** Per group: both text-search configurations parse it alike (one index scan suffices). */
  sameConfig: boolean[];
  /** Ranking bonus per article from evidence of use (rules/evidence.ts). */
  evidence: Map<string, number>;
  /** The groups as BM25F terms for the re-rank of Chinese queries (rules/bm25f.ts). */
  rankTerms: RankTerm[];
  /** Chinese queries: their topical characters and each one's idf, for the re-rank's charScore. */
  rankChars: RankChar[];
}

export async function prepareQuery(db: Db, q: string): Promise<PreparedQuery> {
  await ensureDictionary(db);
  const tokens = segment(q);
  const words = queryGroups(tokens, q, synonymsInUse()).slice(0, MAX_GROUPS);
  // Character bigrams that are not already a word of the query: fused with the words at a
  // lower weight (the index holds both, see indexTokens).
  const known = new Set(words.join(' ').match(/[\p{L}\p{N}]+/gu) ?? []);
  const bigrams = hanBigrams(q.replace(/帐/g, '账'))
    .filter((b) => !known.has(b))
    .slice(0, MAX_BIGRAMS)
    .map((b) => `'${b}'`);
  const groups = [...words, ...bigrams];
  // A character's document frequency, for the re-rank: articles with a stored word or bigram
  // starting with it (`'还':*`; the index holds no single characters). Counted in the same
  // statement as the groups' and cached like them.
  const chars = queryChars(q).slice(0, MAX_CHARS);
  const counted = [...groups, ...chars.map((c) => `'${c}':*`)];
  const stats = counted.length ? await termStats(db, counted) : { idf: [], df: [], sameConfig: [] };
  const charIdf = stats.idf.slice(groups.length);
  let idf = stats.idf.slice(0, groups.length);
  let df = stats.df.slice(0, groups.length);
  let sameConfig = stats.sameConfig.slice(0, groups.length);
  const corrected = new Set<number>();
  // Typos by sound: a Han word or bigram that few articles contain also matches the much more
  // frequent index words that sound the same (发漂 → 发票, 环款 → 还款).
  if (groups.some((g, i) => /^'\p{Script=Han}{2,4}'$/u.test(g) && (df[i] ?? 0) < TYPO_MAX_DF)) {
    const sounds = await soundIndex(db);
    groups.forEach((g, i) => {
      const m = /^'(\p{Script=Han}{2,4})'$/u.exec(g);
      if (!m || (df[i] ?? 0) >= TYPO_MAX_DF) return;
      const alikes = soundAlikes(m[1]!, df[i] ?? 0, sounds).filter(
        (w) => !groups.includes(`'${w}'`),
      );
      if (!alikes.length) return;
      groups[i] = `(${[m[1]!, ...alikes].map((w) => `'${w}'`).join(' | ')})`;
      corrected.add(i);
    });
    if (corrected.size) ({ idf, df, sameConfig } = await termStats(db, groups));
  }
  // A group's role: a bigram (unless corrected to a word: 环款 → 还款), a weak word, or a word.
  const roleWeight = (term: string, i: number, bigram: number, weak: number) =>
    i >= words.length && !corrected.has(i) ? bigram : ZH_WEAK_WORDS.has(term) ? weak : 1;
  const weight = (term: string, i: number) => roleWeight(term, i, BIGRAM_WEIGHT, WEAK_WEIGHT);
  const evidenceTermsOf = evidenceTerms(q);
  const queryWords = new Set(tokens);
  const evidence = evidenceBonus(await evidenceFor(db, evidenceTermsOf), (term) =>
    queryWords.has(term) ? (ZH_WEAK_WORDS.has(term) ? WEAK_WEIGHT : 1) : BIGRAM_WEIGHT,
  );
  const rerankWeight = (term: string, i: number) =>
    roleWeight(term, i, RERANK_BIGRAM_WEIGHT, RERANK_WEAK_WEIGHT);
  return {
    tokens,
    groups,
    idf: idf.map((w, i) => w * weight(groups[i]!.replace(/'|:\*/g, ''), i)),
    df,
    sameConfig,
    evidence,
    rankTerms: groups.map((g, i) => ({
      alternatives: [...g.matchAll(/'([^']+)'/g)].map((m) => m[1]!),
      prefix: g.includes(':*'),
      weight: (idf[i] ?? 0) * rerankWeight(groups[i]!.replace(/'|:\*/g, ''), i),
    })),
    rankChars: chars.map((char, i) => ({ char, idf: charIdf[i] ?? 0 })),
  };
}

/**
 * The ranking statement alone (what the search benchmark times as "bare SQL"). Candidates: live
 * articles matching a rare group anywhere, plus the COMMON_CANDIDATES best of those matching a
 * common group in title or tags (pre-ranked on titles and tags, read from the narrow
 * kb_search_head rows, migration 0043). All candidates are ranked by
 * Σ idf × ts_rank over the whole article — title weighted highest (A), tags next (B), body
 * last (D) — and come back with their live body for the snippet.
 */
export async function rankedRows(
  db: Db,
  o: SearchOptions,
  { groups, idf, df, sameConfig, evidence }: PreparedQuery,
): Promise<Row[]> {
  if (!groups.length) return [];
  const tsq = (vector: SQL, g: string) =>
    sql`ts_rank(${FIELD_WEIGHTS}::float4[], ${vector}, CASE WHEN s.language = 'en-US' THEN to_tsquery('english', ${g})
          ELSE to_tsquery('simple', ${g}) END, ${NORMALISATION})`;
  const weighted = (vector: SQL, which: number[]) =>
    which.length
      ? sql.join(
          which.map((i) => sql`${idf[i]}::float8 * ${tsq(vector, groups[i]!)}`),
          sql` + `,
        )
      : sql`0::float8`;
  const all = groups.map((_, i) => i);
  const commonIdx = all.filter((i) => (df[i] ?? 0) > COMMON_DF);
  const tsqOf = (list: number[]) => (list.length ? list.map((i) => groups[i]).join(' | ') : null);
  const rareIdx = all.filter((i) => (df[i] ?? 0) <= COMMON_DF);
  const rare = tsqOf(rareIdx);
  const common = tsqOf(commonIdx);
  // Several common groups: only titles and tags holding two of them are pre-ranked (快递 & 动*),
  // not every one holding any (快递/物流 alone is in 20,000 titles and tags: pre-ranking those
  // was most of the slowest searches, and which 300 of them won was near arbitrary). Groups
  // weighing under PAIR_MIN_SHARE of the strongest (说*, 没* …) do not pair. When no group is
  // rare enough to select anywhere and no title holds a pair, any one of them selects again.
  const strongest = Math.max(0, ...commonIdx.map((i) => idf[i] ?? 0));
  const pairable = commonIdx.filter((i) => (idf[i] ?? 0) >= PAIR_MIN_SHARE * strongest);
  const both = pairable.length >= 2 ? pairsOf(pairable.map((i) => groups[i]!)) : null;
  const fallback = both !== null && rareIdx.every((i) => (df[i] ?? 0) === 0);
  // English articles are matched with the english configuration, the others with simple. When
  // both parse the query alike (any Chinese query) one index scan answers both: under load the
  // second scan of a common word's posting lists (快递 …, 20,000 entries) cost 20–60 ms.
  const match = (vector: SQL, which: number[], en: SQL, zh: SQL) =>
    which.every((i) => sameConfig[i])
      ? sql`${vector} @@ ${zh}`
      : sql`((s.language = 'en-US' AND ${vector} @@ ${en})
             OR (s.language <> 'en-US' AND ${vector} @@ ${zh}))`;
  const where = filters(o);
  return rowsOf<Row>(
    await db.execute(sql`
      WITH q AS (SELECT to_tsquery('simple', ${rare}) AS zh, to_tsquery('english', ${rare}) AS en,
                        to_tsquery('simple', ${both ?? common}) AS zh_head,
                        to_tsquery('english', ${both ?? common}) AS en_head,
                        to_tsquery('simple', ${common}) AS zh_any,
                        to_tsquery('english', ${common}) AS en_any),
      rare AS (
        SELECT s.article_id FROM kb_search s, q
        WHERE ${match(sql`s.vector`, rareIdx, sql`q.en`, sql`q.zh`)} AND ${where}),
      head AS (
        SELECT s.article_id FROM kb_search_head s, q
        WHERE ${match(sql`s.head_vector`, commonIdx, sql`q.en_head`, sql`q.zh_head`)} AND ${where}
        ORDER BY ${weighted(sql`s.head_vector`, commonIdx)} DESC, s.article_id
        LIMIT ${COMMON_CANDIDATES}),
      head_any AS (
        SELECT s.article_id FROM kb_search_head s, q
        WHERE ${fallback ? sql`NOT EXISTS (SELECT 1 FROM head)` : sql`false`}
          AND ${match(sql`s.head_vector`, commonIdx, sql`q.en_any`, sql`q.zh_any`)} AND ${where}
        ORDER BY ${weighted(sql`s.head_vector`, commonIdx)} DESC, s.article_id
        LIMIT ${COMMON_CANDIDATES}),
      ev AS (
        SELECT * FROM unnest(${`{${[...evidence.keys()].join(',')}}`}::uuid[],
                             ${`{${[...evidence.values()].join(',')}}`}::float8[]) AS e(article_id, bonus)),
      hits AS (
        SELECT s.article_id AS id,
               ${weighted(sql`s.vector`, all)} + coalesce(ev.bonus, 0) AS rank
        FROM kb_search s LEFT JOIN ev ON ev.article_id = s.article_id
        WHERE s.article_id IN (SELECT article_id FROM rare UNION SELECT article_id FROM head
                               UNION SELECT article_id FROM head_any
                               UNION SELECT e.article_id FROM ev e
                               JOIN kb_search s ON s.article_id = e.article_id WHERE ${where})
        ORDER BY rank DESC, s.article_id
        LIMIT ${o.limit})
      SELECT a.id, a.title, a.type, a.language, a.category_id, a.live_audience, v.body,
             hits.rank::float8 AS rank
      FROM hits
      JOIN kb_articles a ON a.id = hits.id
      JOIN kb_versions v ON v.id = a.live_version_id
      ORDER BY hits.rank DESC, a.id`),
  );
}

const lengthCache = new LRUCache<string, FieldNumbers>({ max: 4, ttl: TERM_STATS_TTL_MS });

/**
 * Mean number of stored tokens per field among live articles (BM25F's length normalisation),
 * counted like the tokens themselves (space-separated) and cached like the term statistics.
 */
async function meanFieldLengths(db: Db): Promise<FieldNumbers> {
  let key = dbKeys.get(db);
  if (!key) dbKeys.set(db, (key = String((dbCounter += 1))));
  const known = lengthCache.get(key);
  if (known) return known;
  const count = (column: SQL) =>
    sql`avg(CASE WHEN ${column} = '' THEN 0
                 ELSE length(${column}) - length(replace(${column}, ' ', '')) + 1 END)::float8`;
  const [row] = rowsOf<FieldNumbers>(
    await db.execute(sql`
      SELECT ${count(sql`a.search_title_tokens`)} AS title,
             ${count(sql`a.search_keywords`)} AS tags,
             ${count(sql`a.search_tokens`)} AS body
      FROM kb_search s JOIN kb_articles a ON a.id = s.article_id`),
  );
  const found = {
    title: Number(row?.title ?? 1),
    tags: Number(row?.tags ?? 0),
    body: Number(row?.body ?? 1),
  };
  lengthCache.set(key, found);
  return found;
}

/**
 * Re-ranks the SQL ranking's candidates by BM25F over their stored tokens (title, tags, body),
 * plus character evidence from their title and body text (charScore: the query's characters,
 * title coverage), plus evidence of use; ties keep the SQL order.
 */
async function rerankBm25f(db: Db, rows: Row[], prepared: PreparedQuery): Promise<Row[]> {
  if (rows.length < 2) return rows;
  const tokens = rowsOf<{ id: string; title: string; tags: string; body: string }>(
    await db.execute(sql`
      SELECT id, search_title_tokens AS title, search_keywords AS tags, search_tokens AS body
      FROM kb_articles
      WHERE id IN (${sql.join(
        rows.map((r) => sql`${r.id}`),
        sql`, `,
      )})`),
  );
  const means = await meanFieldLengths(db);
  const split = (t: string) => (t ? t.split(' ') : []);
  const text = new Map(rows.map((r) => [r.id, r]));
  const score = new Map(
    tokens.map((t): [string, number] => {
      const doc = { title: split(t.title), tags: split(t.tags), body: split(t.body) };
      const row = text.get(t.id);
      const characters = row
        ? charScore(
            {
              title: row.title,
              body: markdownToText(row.body),
              lengthRatio: {
                title: doc.title.length / Math.max(means.title, 1e-9),
                body: doc.body.length / Math.max(means.body, 1e-9),
              },
            },
            prepared.rankChars,
          )
        : 0;
      return [
        t.id,
        bm25fScore(doc, prepared.rankTerms, means) +
          characters +
          RERANK_EVIDENCE_SCALE * (prepared.evidence.get(t.id) ?? 0),
      ];
    }),
  );
  return rows
    .map((r, i) => ({ r: { ...r, rank: score.get(r.id) ?? 0 }, i }))
    .sort((x, y) => y.r.rank - x.r.rank || x.i - y.i)
    .map(({ r }) => r);
}

/**
 * Full-text search over live versions: the query is segmented like the index (jieba for
 * Chinese), turned into an OR-query with synonyms, and ranked by ts_rank with the title weighted
 * highest (A), tags next (B), body last (D). Latin-script queries that find too little also try
 * trigram similarity of titles where pg_trgm exists.
 */
export async function searchArticles(db: Db, o: SearchOptions): Promise<SearchHit[]> {
  const prepared = await prepareQuery(db, o.q);
  const { tokens } = prepared;
  const where = filters(o);
  const rerank = /\p{Script=Han}/u.test(o.q);
  const ranked = await rankedRows(
    db,
    rerank ? { ...o, limit: Math.max(o.limit, RERANK_DEPTH) } : o,
    prepared,
  );
  const rows: (Row & { via: 'fulltext' | 'trigram' })[] = (
    rerank ? (await rerankBm25f(db, ranked, prepared)).slice(0, o.limit) : ranked
  ).map((r) => ({ ...r, via: 'fulltext' as const }));
  const latin = !/\p{Script=Han}/u.test(o.q) && o.q.trim().length >= 3;
  if (latin && rows.length < o.limit && (await detectSearchCapabilities(db)).trigram) {
    const needle = o.q.toLowerCase();
    const similar = await db.transaction(async (tx) => {
      // `<%` is word_similarity ≥ this threshold, and unlike the function it can use the trigram
      // index on lower(title): the function alone scanned every title (500 ms at 100,000).
      await tx.execute(
        sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true)`,
      );
      return rowsOf<Row>(
        await tx.execute(sql`
          SELECT a.id, a.title, a.type, a.language, a.category_id, a.live_audience, v.body,
                 word_similarity(${needle}, lower(a.title))::float8 AS rank
          FROM kb_search s
          JOIN kb_articles a ON a.id = s.article_id
          JOIN kb_versions v ON v.id = s.version_id
          WHERE ${where} AND ${needle} <% lower(a.title)
          ORDER BY rank DESC, a.id
          LIMIT ${o.limit}`),
      );
    });
    for (const r of similar)
      if (!rows.some((x) => x.id === r.id) && rows.length < o.limit)
        rows.push({ ...r, rank: r.rank / 1000, via: 'trigram' });
  }
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    type: r.type,
    language: r.language,
    categoryId: r.category_id,
    audience: r.live_audience,
    rank: Number(r.rank),
    snippet: snippet(snippetText(r.body), tokens),
    via: r.via,
  }));
}

/** Articles that may answer a ticket, from its subject and description (agents' view). */
export function suggestArticles(db: Db, text: string, limit = 5) {
  // Long descriptions: the first words carry the topic; cap the query at 40 distinct tokens.
  const words = [...new Set(segment(text))].slice(0, 40).join(' ');
  return searchArticles(db, { q: words, limit });
}
