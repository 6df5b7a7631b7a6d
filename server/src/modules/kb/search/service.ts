import { sql, type SQL } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { rowsOf, type Db } from '../../../db/client.js';
import { markdownToText } from '../rules/text.js';
import { queryGroups, snippet, type SnippetPart } from '../rules/query.js';
import type { ArticleType, Audience, Language } from '../schemas.js';
import { segment } from './segment.js';

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
/**
 * A group in more live articles than this selects candidates through titles and tags only
 * (`search_head_vector`): every candidate is ranked, and ranking the tens of thousands of
 * articles that mention 快递 or 退货 somewhere is what made search slow at 100,000 articles.
 * Body-only matches of such a word weigh a tenth of a title match (D vs A) and rarely reach
 * the top anyway. Below this many articles the selection is exhaustive, as before.
 */
const COMMON_DF = 1000;

function filters(o: SearchOptions): SQL {
  const parts: SQL[] = [sql`a.live_version_id IS NOT NULL`];
  if (o.audiences)
    parts.push(
      o.audiences.length
        ? sql`a.live_audience IN (${sql.join(
            o.audiences.map((a) => sql`${a}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  if (o.language) parts.push(sql`a.language = ${o.language}`);
  if (o.categoryId) parts.push(sql`a.category_id = ${o.categoryId}`);
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
const dfCache = new LRUCache<string, number>({ max: 20_000, ttl: 60_000 });
const totalCache = new LRUCache<string, number>({ max: 4, ttl: 60_000 });
const dbKeys = new WeakMap<Db, string>();
let dbCounter = 0;

/** Forget cached term statistics (after a publication changes the live corpus). */
export function forgetTermStats(): void {
  dfCache.clear();
  totalCache.clear();
}

const matches = (g: string) =>
  sql`((a.language = 'en-US' AND a.search_vector @@ to_tsquery('english', ${g}))
       OR (a.language <> 'en-US' AND a.search_vector @@ to_tsquery('simple', ${g})))`;

async function termStats(db: Db, groups: string[]): Promise<{ idf: number[]; df: number[] }> {
  let key = dbKeys.get(db);
  if (!key) dbKeys.set(db, (key = String((dbCounter += 1))));
  let total = totalCache.get(key);
  if (total === undefined) {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(
        sql`SELECT count(*)::int AS n FROM kb_articles WHERE live_version_id IS NOT NULL`,
      ),
    );
    total = row?.n ?? 0;
    totalCache.set(key, total);
  }
  const missing = groups.filter((g) => !dfCache.has(`${key}:${g}`));
  if (missing.length) {
    const [row] = rowsOf<Record<string, number>>(
      await db.execute(sql`
        SELECT ${sql.join(
          missing.map(
            (g, i) => sql`count(*) FILTER (WHERE ${matches(g)})::int AS ${sql.identifier(`d${i}`)}`,
          ),
          sql`, `,
        )}
        FROM kb_articles a
        WHERE a.live_version_id IS NOT NULL AND (${sql.join(missing.map(matches), sql` OR `)})`),
    );
    missing.forEach((g, i) => dfCache.set(`${key}:${g}`, row?.[`d${i}`] ?? 0));
  }
  const df = groups.map((g) => dfCache.get(`${key}:${g}`) ?? 0);
  // BM25's idf: rare words weigh more, a word in nearly every article almost nothing.
  const idf = df.map((d) => Math.log(1 + (total - d + 0.5) / (d + 0.5)));
  return { idf, df };
}

/** A query segmented like the index, grouped with synonyms, each group weighted by rarity. */
export interface PreparedQuery {
  tokens: string[];
  groups: string[];
  idf: number[];
  /** Live articles containing each group (document frequency). */
  df: number[];
}

export async function prepareQuery(db: Db, q: string): Promise<PreparedQuery> {
  const tokens = segment(q);
  const groups = queryGroups(tokens, q).slice(0, MAX_GROUPS);
  const { idf, df } = groups.length ? await termStats(db, groups) : { idf: [], df: [] };
  return { tokens, groups, idf, df };
}

/**
 * The ranking statement alone (what the search benchmark times as "bare SQL"): live articles
 * matching a rare group anywhere or a common one in title or tags, ranked by Σ idf × ts_rank
 * over the whole article with the title weighted highest (A), tags next (B), body last (D),
 * with their live body for the snippet.
 */
export async function rankedRows(
  db: Db,
  o: SearchOptions,
  { groups, idf, df }: PreparedQuery,
): Promise<Row[]> {
  if (!groups.length) return [];
  const rank = sql.join(
    groups.map(
      (g, i) =>
        sql`${idf[i]}::float8 * ts_rank(a.search_vector, CASE WHEN a.language = 'en-US'
              THEN to_tsquery('english', ${g}) ELSE to_tsquery('simple', ${g}) END, ${NORMALISATION})`,
    ),
    sql` + `,
  );
  // Rare groups match anywhere, common ones in titles and tags (see COMMON_DF).
  const tsqOf = (list: string[]) => (list.length ? list.join(' | ') : null);
  const rare = tsqOf(groups.filter((_, i) => (df[i] ?? 0) <= COMMON_DF));
  const common = tsqOf(groups.filter((_, i) => (df[i] ?? 0) > COMMON_DF));
  return rowsOf<Row>(
    await db.execute(sql`
      WITH q AS (SELECT to_tsquery('simple', ${rare}) AS zh, to_tsquery('english', ${rare}) AS en,
                        to_tsquery('simple', ${common}) AS zh_head,
                        to_tsquery('english', ${common}) AS en_head),
      hits AS (
        SELECT a.id, ${rank} AS rank
        FROM kb_articles a, q
        WHERE ((a.language = 'en-US' AND a.search_vector @@ q.en)
               OR (a.language <> 'en-US' AND a.search_vector @@ q.zh)
               OR (a.language = 'en-US' AND a.search_head_vector @@ q.en_head)
               OR (a.language <> 'en-US' AND a.search_head_vector @@ q.zh_head))
          AND ${filters(o)}
        ORDER BY rank DESC, a.id
        LIMIT ${o.limit})
      SELECT a.id, a.title, a.type, a.language, a.category_id, a.live_audience, v.body,
             hits.rank::float8 AS rank
      FROM hits
      JOIN kb_articles a ON a.id = hits.id
      JOIN kb_versions v ON v.id = a.live_version_id
      ORDER BY hits.rank DESC, a.id`),
  );
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
  const rows: (Row & { via: 'fulltext' | 'trigram' })[] = (await rankedRows(db, o, prepared)).map(
    (r) => ({ ...r, via: 'fulltext' as const }),
  );
  const latin = !/\p{Script=Han}/u.test(o.q) && o.q.trim().length >= 3;
  if (latin && rows.length < o.limit && (await detectSearchCapabilities(db)).trigram) {
    const similar = rowsOf<Row>(
      await db.execute(sql`
        SELECT a.id, a.title, a.type, a.language, a.category_id, a.live_audience, v.body,
               word_similarity(${o.q.toLowerCase()}, lower(a.title))::float8 AS rank
        FROM kb_articles a JOIN kb_versions v ON v.id = a.live_version_id
        WHERE ${where} AND word_similarity(${o.q.toLowerCase()}, lower(a.title)) >= 0.5
        ORDER BY rank DESC, a.id
        LIMIT ${o.limit}`),
    );
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
    snippet: snippet(markdownToText(r.body), tokens),
    via: r.via,
  }));
}

/** Articles that may answer a ticket, from its subject and description (agents' view). */
export function suggestArticles(db: Db, text: string, limit = 5) {
  // Long descriptions: the first words carry the topic; cap the query at 40 distinct tokens.
  const words = [...new Set(segment(text))].slice(0, 40).join(' ');
  return searchArticles(db, { q: words, limit });
}
