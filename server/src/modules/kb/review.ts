import { and, asc, eq, isNotNull, lte, max, or } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import {
  kbArticles,
  kbRevisionRequests,
  kbVersions,
  type KbApproval,
} from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { getCategory } from './categories.js';
import { recordKbEvent } from './events.js';
import {
  articleView,
  hasWorkingVersion,
  presentArticles,
  refused,
  versionView,
  workflowContext,
  type ArticleRow,
} from './presenters.js';
import { allowedActions, decide, type VersionStatus } from './rules/workflow.js';
import { localDate, nextReviewDate } from './rules/working-days.js';
import { searchColumns } from './search/indexing.js';
import { forgetTermStats } from './search/service.js';

export type VersionAction = 'submit' | 'approve' | 'reject' | 'withdraw' | 'publish';

async function lockArticle(tx: Executor, id: string, field = 'id'): Promise<ArticleRow> {
  const [article] = await tx.select().from(kbArticles).where(eq(kbArticles.id, id)).for('update');
  if (!article) throw problems.notFound('Article', field);
  return article;
}

/**
 * Moves a version one step through the workflow (rules/workflow.ts decides), recording the step
 * in the article's history and the audit log. Publishing supersedes the live version and makes
 * this one live in the same transaction.
 */
export async function actOnVersion(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  versionId: string,
  action: VersionAction,
  comment: string,
) {
  await db.transaction(async (tx) => {
    const [peek] = await tx
      .select({ articleId: kbVersions.articleId })
      .from(kbVersions)
      .where(eq(kbVersions.id, versionId));
    if (!peek) throw problems.notFound('Version', 'id');
    const article = await lockArticle(tx, peek.articleId);
    const [version] = await tx.select().from(kbVersions).where(eq(kbVersions.id, versionId));
    const category = await getCategory(tx, article.categoryId);
    const wctx = workflowContext(
      actor,
      version!,
      category,
      await hasWorkingVersion(tx, article.id),
    );
    const from = version!.status as VersionStatus;
    const decision = decide(from, action, wctx);
    if (!decision.ok) throw refused(decision, allowedActions(from, wctx));
    if (action === 'reject' && !comment)
      throw problems.invalid([{ path: 'comment', message: 'say what must change' }]);

    const approvals: KbApproval[] =
      action === 'approve'
        ? [
            ...version!.approvals,
            {
              step: decision.step!,
              userId: actor.userId,
              userName: actor.name,
              at: ctx.at.toISOString(),
              comment,
            },
          ]
        : action === 'publish'
          ? version!.approvals
          : [];

    if (action === 'publish') {
      await tx
        .update(kbVersions)
        .set({ status: 'superseded', supersededAt: ctx.at, updatedAt: ctx.at })
        .where(and(eq(kbVersions.articleId, article.id), eq(kbVersions.status, 'published')));
    }
    await tx
      .update(kbVersions)
      .set({
        status: decision.to,
        approvals,
        updatedAt: ctx.at,
        ...(action === 'submit' && { submittedAt: ctx.at }),
        ...(action === 'publish' && { publishedAt: ctx.at, publishedBy: actor.userId }),
      })
      .where(eq(kbVersions.id, versionId));
    if (action === 'publish') {
      await tx
        .update(kbArticles)
        .set({
          title: version!.title,
          liveVersionId: versionId,
          liveAudience: version!.audience,
          publishedAt: ctx.at,
          nextReviewAt: nextReviewDate(ctx.at, category.reviewIntervalMonths),
          urgentRevision: false,
          urgentReason: null,
          ...searchColumns(version!.title, article.tags, version!.body),
          updatedAt: ctx.at,
        })
        .where(eq(kbArticles.id, article.id));
    } else {
      await tx.update(kbArticles).set({ updatedAt: ctx.at }).where(eq(kbArticles.id, article.id));
    }
    await recordKbEvent(tx, ctx, {
      articleId: article.id,
      versionId,
      action,
      step: decision.step ?? null,
      fromStatus: from,
      toStatus: decision.to,
      comment,
    });
  });
  if (action === 'publish') forgetTermStats();
  return versionView(db, versionId, actor);
}

export interface RevisionRequestInput {
  reason: string;
  proposedChange: string;
  urgent: boolean;
}

/**
 * A revision request on a published article starts a new draft version (a copy of the live
 * one) that goes through the same workflow; the live version stays live until it is replaced.
 */
export async function insertRevisionRequest(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor,
  articleId: string,
  input: RevisionRequestInput,
  feedbackId: string | null = null,
) {
  const article = await lockArticle(tx, articleId);
  const category = await getCategory(tx, article.categoryId);
  const [live] = await tx
    .select()
    .from(kbVersions)
    .where(and(eq(kbVersions.articleId, articleId), eq(kbVersions.status, 'published')));
  const working = await hasWorkingVersion(tx, articleId);
  if (!live)
    throw refused(
      {
        ok: false,
        code: 'illegal_transition',
        detail: 'Only a published article can be revised; edit its draft instead.',
      },
      ['edit'],
    );
  const wctx = workflowContext(actor, live, category, working);
  const decision = decide('published', 'request_revision', wctx);
  if (!decision.ok) throw refused(decision, allowedActions('published', wctx));
  const [{ last } = { last: 0 }] = await tx
    .select({ last: max(kbVersions.number) })
    .from(kbVersions)
    .where(eq(kbVersions.articleId, articleId));
  const [version] = await tx
    .insert(kbVersions)
    .values({
      articleId,
      number: (last ?? 0) + 1,
      status: 'draft',
      title: live.title,
      body: live.body,
      audience: live.audience,
      phrases: live.phrases,
      reason: input.reason,
      authorId: actor.userId,
      createdAt: ctx.at,
      updatedAt: ctx.at,
    })
    .returning();
  const [request] = await tx
    .insert(kbRevisionRequests)
    .values({
      articleId,
      versionId: version!.id,
      reason: input.reason,
      proposedChange: input.proposedChange,
      urgent: input.urgent,
      feedbackId,
      requestedBy: actor.userId,
      createdAt: ctx.at,
    })
    .returning();
  await tx
    .update(kbVersions)
    .set({ revisionRequestId: request!.id })
    .where(eq(kbVersions.id, version!.id));
  await tx
    .update(kbArticles)
    .set({
      updatedAt: ctx.at,
      ...(input.urgent && { urgentRevision: true, urgentReason: input.reason }),
    })
    .where(eq(kbArticles.id, articleId));
  await recordKbEvent(tx, ctx, {
    articleId,
    versionId: version!.id,
    action: 'request_revision',
    toStatus: 'draft',
    comment: input.reason,
    after: { proposedChange: input.proposedChange, urgent: input.urgent, feedbackId },
  });
  return { requestId: request!.id, versionId: version!.id };
}

export async function requestRevision(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  articleId: string,
  input: RevisionRequestInput,
) {
  const { requestId, versionId } = await db.transaction((tx) =>
    insertRevisionRequest(tx, ctx, actor, articleId, input),
  );
  return { id: requestId, version: await versionView(db, versionId, actor) };
}

/** Flags (or clears) an urgent revision: policy change, incident, complaint. */
export function setUrgent(
  db: Db,
  ctx: AuditContext,
  articleId: string,
  input: { urgent: boolean; reason: string },
) {
  return db.transaction(async (tx) => {
    const article = await lockArticle(tx, articleId);
    if (input.urgent && !input.reason)
      throw problems.invalid([{ path: 'reason', message: 'say why the revision is urgent' }]);
    await tx
      .update(kbArticles)
      .set({
        urgentRevision: input.urgent,
        urgentReason: input.urgent ? input.reason : null,
        updatedAt: ctx.at,
      })
      .where(eq(kbArticles.id, articleId));
    await recordKbEvent(tx, ctx, {
      articleId,
      action: input.urgent ? 'flag_urgent' : 'clear_urgent',
      comment: input.reason,
      before: { urgentRevision: article.urgentRevision },
      after: { urgentRevision: input.urgent },
    });
    return articleView(tx, articleId, ctx.at);
  });
}

/** The scheduled review found nothing to change: the next review date moves on. */
export function reviewDone(db: Db, ctx: AuditContext, articleId: string, comment: string) {
  return db.transaction(async (tx) => {
    const article = await lockArticle(tx, articleId);
    if (!article.liveVersionId)
      throw refused(
        { ok: false, code: 'illegal_transition', detail: 'Only published articles are reviewed.' },
        [],
      );
    const category = await getCategory(tx, article.categoryId);
    const next = nextReviewDate(ctx.at, category.reviewIntervalMonths);
    await tx
      .update(kbArticles)
      .set({ nextReviewAt: next, updatedAt: ctx.at })
      .where(eq(kbArticles.id, articleId));
    await recordKbEvent(tx, ctx, {
      articleId,
      versionId: article.liveVersionId,
      action: 'review_done',
      comment,
      before: { nextReviewAt: article.nextReviewAt },
      after: { nextReviewAt: next },
    });
    return articleView(tx, articleId, ctx.at);
  });
}

/** Published articles whose review date has come, or flagged for urgent revision. */
export async function dueForReview(db: Db, now: Date, limit = 200) {
  const rows = await db
    .select()
    .from(kbArticles)
    .where(
      and(
        isNotNull(kbArticles.liveVersionId),
        or(eq(kbArticles.urgentRevision, true), lte(kbArticles.nextReviewAt, localDate(now))),
      ),
    )
    .orderBy(asc(kbArticles.nextReviewAt), asc(kbArticles.id))
    .limit(limit);
  return presentArticles(db, rows, now);
}
