import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { kbArticles, kbVersions } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { listCategories } from './categories.js';
import type { ArticleType, Audience, Language } from './schemas.js';
import { sanitizeMarkdown } from './rules/sanitize.js';
import { searchArticles } from './search/service.js';

/**
 * Audiences the public help centre serves. Anonymous visitors see articles for all customers;
 * tiered articles (VIP …) need a signed-in customer whose tier is known, which arrives with
 * customer accounts — until then they stay unpublished to the help centre, like internal ones.
 */
export const PUBLIC_AUDIENCES: readonly Audience[] = ['all_customers'];

const visible = (audiences: readonly Audience[]) =>
  and(isNotNull(kbArticles.liveVersionId), inArray(kbArticles.liveAudience, [...audiences]));

/** Categories holding at least one visible article (with their ancestors), and counts. */
export async function helpCategories(db: Db, audiences: readonly Audience[], language?: Language) {
  const rows = await db
    .select({ categoryId: kbArticles.categoryId })
    .from(kbArticles)
    .where(and(visible(audiences), language ? eq(kbArticles.language, language) : undefined));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.categoryId, (counts.get(r.categoryId) ?? 0) + 1);
  const all = await listCategories(db);
  const keep = new Set<string>();
  for (const id of counts.keys())
    for (let at: string | null = id; at && !keep.has(at);) {
      keep.add(at);
      at = all.find((c) => c.id === at)?.parentId ?? null;
    }
  return all
    .filter((c) => keep.has(c.id))
    .map((c) => ({
      id: c.id,
      parentId: c.parentId,
      name: c.name,
      description: c.description,
      articleCount: counts.get(c.id) ?? 0,
    }));
}

export interface HelpListOptions {
  q?: string;
  categoryId?: string;
  language?: Language;
  limit: number;
}

/** Browse a category or search, only among visible articles. */
export async function helpArticles(db: Db, audiences: readonly Audience[], o: HelpListOptions) {
  if (o.q) {
    const hits = await searchArticles(db, { ...o, q: o.q, audiences });
    return hits.map((h) => ({
      id: h.id,
      title: h.title,
      type: h.type,
      language: h.language,
      categoryId: h.categoryId,
      snippet: h.snippet,
    }));
  }
  const rows = await db
    .select({
      id: kbArticles.id,
      title: kbArticles.title,
      type: kbArticles.type,
      language: kbArticles.language,
      categoryId: kbArticles.categoryId,
    })
    .from(kbArticles)
    .where(
      and(
        visible(audiences),
        o.categoryId ? eq(kbArticles.categoryId, o.categoryId) : undefined,
        o.language ? eq(kbArticles.language, o.language) : undefined,
      ),
    )
    .orderBy(asc(kbArticles.title), asc(kbArticles.id))
    .limit(o.limit);
  return rows.map((r) => ({
    ...r,
    type: r.type as ArticleType,
    language: r.language as Language,
    snippet: [],
  }));
}

/** One article's live version; anything not visible is the same 404 as an unknown id. */
export async function helpArticle(db: Db, audiences: readonly Audience[], id: string) {
  const [row] = await db
    .select({ article: kbArticles, version: kbVersions })
    .from(kbArticles)
    .innerJoin(kbVersions, eq(kbVersions.id, kbArticles.liveVersionId))
    .where(and(eq(kbArticles.id, id), visible(audiences)));
  if (!row) throw problems.notFound('Article', 'id');
  const translations = await db
    .select({ id: kbArticles.id, language: kbArticles.language, title: kbArticles.title })
    .from(kbArticles)
    .where(and(eq(kbArticles.translationGroup, row.article.translationGroup), visible(audiences)));
  return {
    id: row.article.id,
    title: row.version.title,
    body: sanitizeMarkdown(row.version.body),
    type: row.article.type as ArticleType,
    language: row.article.language as Language,
    categoryId: row.article.categoryId,
    tags: row.article.tags,
    version: row.version.number,
    publishedAt: row.version.publishedAt!.toISOString(),
    translations: translations
      .filter((t) => t.id !== id)
      .map((t) => ({ ...t, language: t.language as Language })),
  };
}
