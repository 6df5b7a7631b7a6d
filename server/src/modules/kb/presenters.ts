import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Executor } from '../../db/client.js';
import { kbArticles, kbCategories, kbVersions, users } from '../../db/schema/index.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import {
  allowedActions,
  awaitedStep,
  REVIEW_STEPS,
  type Decision,
  type VersionStatus,
  type WorkflowContext,
} from './rules/workflow.js';
import { isDue } from './rules/working-days.js';
import type { ArticleView, Audience, Language, VersionView } from './schemas.js';

export type ArticleRow = typeof kbArticles.$inferSelect;
export type VersionRow = typeof kbVersions.$inferSelect;
export type CategoryRow = typeof kbCategories.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The facts the workflow rules need about a version, for this actor. */
export function workflowContext(
  actor: Pick<Actor, 'userId' | 'roles'>,
  version: VersionRow,
  category: CategoryRow,
  hasWorkingVersion: boolean,
): WorkflowContext {
  return {
    actor: { userId: actor.userId, roles: actor.roles },
    authorId: version.authorId,
    reviewRoles: category.reviewRoles as [string, string, string],
    approvals: version.approvals.map((a) => ({ step: a.step, userId: a.userId })),
    hasWorkingVersion,
  };
}

/** 409 naming the refusal and the actions that are allowed instead. */
export function refused(decision: Extract<Decision, { ok: false }>, allowed: string[]) {
  return new HttpProblem({
    status: 409,
    code: decision.code,
    detail: decision.detail,
    extra: { allowed },
  });
}

export async function authorNames(ex: Executor, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await ex
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function loadVersion(ex: Executor, id: string, field = 'id') {
  const [version] = await ex.select().from(kbVersions).where(eq(kbVersions.id, id));
  if (!version) throw problems.notFound('Version', field);
  const [article] = await ex.select().from(kbArticles).where(eq(kbArticles.id, version.articleId));
  const [category] = await ex
    .select()
    .from(kbCategories)
    .where(eq(kbCategories.id, article!.categoryId));
  return { version, article: article!, category: category! };
}

export async function hasWorkingVersion(ex: Executor, articleId: string): Promise<boolean> {
  const rows = await ex
    .select({ id: kbVersions.id })
    .from(kbVersions)
    .where(
      and(
        eq(kbVersions.articleId, articleId),
        ne(kbVersions.status, 'published'),
        ne(kbVersions.status, 'superseded'),
      ),
    );
  return rows.length > 0;
}

export function presentVersion(
  v: VersionRow,
  authorName: string | null,
  allowed: VersionView['allowedActions'],
): VersionView {
  return {
    id: v.id,
    articleId: v.articleId,
    number: v.number,
    status: v.status as VersionStatus,
    title: v.title,
    body: v.body,
    audience: v.audience as Audience,
    phrases: v.phrases,
    reason: v.reason,
    authorId: v.authorId,
    authorName,
    approvals: v.approvals,
    submittedAt: iso(v.submittedAt),
    publishedAt: iso(v.publishedAt),
    supersededAt: iso(v.supersededAt),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    allowedActions: allowed,
  };
}

/** A version as the actor sees it, with the actions they may take. */
export async function versionView(ex: Executor, id: string, actor: Actor): Promise<VersionView> {
  const { version, category } = await loadVersion(ex, id);
  const working = await hasWorkingVersion(ex, version.articleId);
  const names = await authorNames(ex, [version.authorId]);
  const allowed = allowedActions(
    version.status as VersionStatus,
    workflowContext(actor, version, category, working),
  );
  return presentVersion(version, names.get(version.authorId) ?? null, allowed);
}

const ref = (v: VersionRow | undefined) =>
  v
    ? {
        id: v.id,
        number: v.number,
        status: v.status as VersionStatus,
        title: v.title,
        audience: v.audience as Audience,
      }
    : null;

/** Who acts next on a version in progress: the author submits, a step's role reviews, editors publish. */
export function nextStep(
  status: VersionStatus | undefined,
  reviewRoles: readonly string[],
): ArticleView['nextStep'] {
  if (!status || status === 'published' || status === 'superseded') return null;
  if (status === 'draft') return { action: 'submit', step: null, role: 'author' };
  if (status === 'final_approval')
    return { action: 'publish', step: null, role: 'knowledge_editor' };
  const step = awaitedStep(status)!;
  return { action: 'approve', step, role: reviewRoles[REVIEW_STEPS.indexOf(step)] ?? 'admin' };
}

/** Full article views for many rows in three queries (no N+1). */
export async function presentArticles(
  ex: Executor,
  rows: ArticleRow[],
  now: Date,
): Promise<ArticleView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const versions = await ex
    .select()
    .from(kbVersions)
    .where(and(inArray(kbVersions.articleId, ids), ne(kbVersions.status, 'superseded')));
  const categories = await ex
    .select({ id: kbCategories.id, reviewRoles: kbCategories.reviewRoles })
    .from(kbCategories)
    .where(inArray(kbCategories.id, [...new Set(rows.map((r) => r.categoryId))]));
  const groups = [...new Set(rows.map((r) => r.translationGroup))];
  const siblings = await ex
    .select({
      id: kbArticles.id,
      language: kbArticles.language,
      title: kbArticles.title,
      group: kbArticles.translationGroup,
    })
    .from(kbArticles)
    .where(inArray(kbArticles.translationGroup, groups));
  return rows.map((r) => {
    const live = versions.find((v) => v.articleId === r.id && v.status === 'published');
    const working = versions.find((v) => v.articleId === r.id && v.status !== 'published');
    return {
      id: r.id,
      type: r.type as ArticleView['type'],
      categoryId: r.categoryId,
      language: r.language as Language,
      translationGroup: r.translationGroup,
      translations: siblings
        .filter((s) => s.group === r.translationGroup && s.id !== r.id)
        .map((s) => ({ id: s.id, language: s.language as Language, title: s.title })),
      tags: r.tags,
      title: r.title,
      status: (working?.status ?? 'published') as VersionStatus,
      liveVersion: ref(live),
      workingVersion: ref(working),
      publishedAt: iso(r.publishedAt),
      nextReviewAt: r.nextReviewAt,
      dueForReview: r.liveVersionId !== null && (r.urgentRevision || isDue(r.nextReviewAt, now)),
      urgentRevision: r.urgentRevision,
      urgentReason: r.urgentReason,
      nextStep: nextStep(
        working?.status as VersionStatus | undefined,
        categories.find((c) => c.id === r.categoryId)?.reviewRoles ?? [],
      ),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function articleView(ex: Executor, id: string, now: Date): Promise<ArticleView> {
  const [row] = await ex.select().from(kbArticles).where(eq(kbArticles.id, id));
  if (!row) throw problems.notFound('Article', 'id');
  return (await presentArticles(ex, [row], now))[0]!;
}
