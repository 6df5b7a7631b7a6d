import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  auditEvents,
  kbArticles,
  kbEvents,
  kbVersions,
  users,
  type KbApproval,
} from '../../db/schema/index.js';
import { diffOf, type AuditContext } from '../audit/service.js';
import { insertCategory } from './categories.js';
import { CATEGORIES, type CategoryKey, type ManualArticle } from './fixtures/types.js';
import { manualArticles } from './fixtures/manual.js';
import { nextReviewDate } from './rules/working-days.js';
import { searchColumns } from './search/indexing.js';
import { forgetTermStats } from './search/service.js';

/**
 * Loads a manual as already-approved, published articles (imports, the demo, search tests):
 * each gets a `publish` step ("imported") in its history and a `kb.import` audit row.
 * Returns the article id of every key.
 */
export async function loadManual(
  tx: Executor,
  ctx: AuditContext,
  authorId: string,
  articles: readonly ManualArticle[],
): Promise<Map<string, string>> {
  const categoryIds = await createManualCategories(tx, ctx);
  return importArticles(tx, ctx, authorId, articles, categoryIds);
}

export type ManualCategoryIds = Map<CategoryKey, { id: string; months: number }>;

/** The manual's category tree (SPEC 5 topics), with the demo's review roles. */
export async function createManualCategories(
  tx: Executor,
  ctx: AuditContext,
): Promise<ManualCategoryIds> {
  const categoryIds: ManualCategoryIds = new Map();
  let position = 0;
  for (const [key, c] of Object.entries(CATEGORIES) as [
    CategoryKey,
    (typeof CATEGORIES)[CategoryKey],
  ][]) {
    const view = await insertCategory(tx, ctx, {
      parentId: null,
      name: c.name,
      description: '',
      position: (position += 10),
      // Emergency plans are decided by operations, legal and an administrator.
      reviewRoles:
        key === 'emergency'
          ? ['supervisor', 'reviewer', 'admin']
          : ['knowledge_editor', 'supervisor', 'reviewer'],
      reviewIntervalMonths: c.review,
    });
    categoryIds.set(key, { id: view.id, months: c.review });
  }
  return categoryIds;
}

/**
 * Inserts articles as published version 1, indexed for search by the same code as a
 * publication (`searchColumns`: jieba tokens; the database derives the tsvector). Used by
 * `loadManual` and by the 100,000-article search benchmark. Translations refer to keys of the
 * same call.
 */
export async function importArticles(
  tx: Executor,
  ctx: AuditContext,
  authorId: string,
  articles: readonly ManualArticle[],
  categoryIds: ManualCategoryIds,
): Promise<Map<string, string>> {
  // Bulk inserts: ~200 articles in a handful of statements (start-up of the demo stays fast).
  const ids = new Map<string, string>();
  const groups = new Map<string, string>();
  for (const a of articles) {
    const id = randomUUID();
    ids.set(a.key, id);
    groups.set(a.key, (a.translationOf && groups.get(a.translationOf)) || randomUUID());
  }
  const approval = (step: KbApproval['step']): KbApproval => ({
    step,
    userId: authorId,
    userName: ctx.actorName ?? 'import',
    at: ctx.at.toISOString(),
    comment: 'imported',
  });
  const approvals = [
    approval('initial_review'),
    approval('second_review'),
    approval('final_approval'),
  ];
  await tx.insert(kbArticles).values(
    articles.map((a) => {
      const category = categoryIds.get(a.category)!;
      return {
        id: ids.get(a.key)!,
        type: a.type,
        categoryId: category.id,
        language: a.language,
        translationGroup: groups.get(a.key)!,
        tags: a.tags,
        title: a.title,
        liveAudience: a.audience,
        publishedAt: ctx.at,
        nextReviewAt: nextReviewDate(ctx.at, category.months),
        ...searchColumns(a.title, a.tags, a.body),
        createdBy: authorId,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      };
    }),
  );
  const versions = await tx
    .insert(kbVersions)
    .values(
      articles.map((a) => ({
        articleId: ids.get(a.key)!,
        number: 1,
        status: 'published',
        title: a.title,
        body: a.body,
        audience: a.audience,
        phrases: a.phrases ?? { forbidden: [], required: [] },
        reason: 'Imported',
        authorId,
        approvals,
        submittedAt: ctx.at,
        publishedAt: ctx.at,
        publishedBy: authorId,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })),
    )
    .returning({ id: kbVersions.id, articleId: kbVersions.articleId });
  await tx.execute(sql`
    UPDATE kb_articles a SET live_version_id = v.id
    FROM kb_versions v WHERE v.article_id = a.id AND v.status = 'published' AND a.live_version_id IS NULL`);
  await tx.insert(kbEvents).values(
    versions.map((v) => ({
      articleId: v.articleId,
      versionId: v.id,
      at: ctx.at,
      actorId: ctx.actorId,
      actorName: ctx.actorName,
      action: 'publish',
      fromStatus: null,
      toStatus: 'published',
      comment: 'imported',
    })),
  );
  await tx.insert(auditEvents).values(
    versions.map((v) => ({
      at: ctx.at,
      actorId: ctx.actorId,
      actorName: ctx.actorName,
      action: 'kb.import',
      targetType: 'kb_article',
      targetId: v.articleId,
      diff: diffOf(null, { status: 'published', versionId: v.id }),
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
    })),
  );
  forgetTermStats();
  return ids;
}

/**
 * The demo manual (≈200 articles across SPEC 5's topics) for `npm start`. Written by the first
 * knowledge editor (else administrator) of the workspace; does nothing when neither exists or
 * the manual already has articles.
 */
export async function seedKnowledge(tx: Executor, ctx: AuditContext): Promise<number> {
  const [existing] = await tx.select({ id: kbArticles.id }).from(kbArticles).limit(1);
  if (existing) return 0;
  const [author] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`'knowledge_editor' = ANY(${users.roles}) OR 'admin' = ANY(${users.roles})`)
    .orderBy(sql`'knowledge_editor' = ANY(${users.roles}) DESC`, users.createdAt)
    .limit(1);
  if (!author) return 0;
  const ids = await loadManual(tx, ctx, author.id, manualArticles());
  return ids.size;
}
