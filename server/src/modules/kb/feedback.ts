import { and, asc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { kbArticles, kbFeedback, kbSettings, users } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { recordKbEvent } from './events.js';
import { insertRevisionRequest, type RevisionRequestInput } from './review.js';
import { defaultCalendarId, loadCalendar } from '../sla/calendar-store.js';
import { addCalendarWorkingDays, addWorkingDays } from './rules/working-days.js';
import { recordEvidence } from './search/evidence.js';
import type { Audience } from './schemas.js';

/** Reply deadline for feedback on the manual when the settings row is missing (SPEC: 30). */
export const FEEDBACK_REPLY_WORKING_DAYS = 30;

/**
 * When feedback given at `at` must be answered: the settings' number of working days
 * (default 30) on the default business calendar (holidays and 调休 included); Monday–Friday in
 * China time while no calendar exists yet.
 */
export async function feedbackDueAt(ex: Executor, at: Date): Promise<Date> {
  const [settings] = await ex
    .select({ days: kbSettings.feedbackReplyWorkingDays })
    .from(kbSettings)
    .limit(1);
  const days = settings?.days ?? FEEDBACK_REPLY_WORKING_DAYS;
  const calendarId = await defaultCalendarId(ex);
  const calendar = calendarId ? await loadCalendar(ex, calendarId) : null;
  return (calendar && addCalendarWorkingDays(at, days, calendar.cal)) ?? addWorkingDays(at, days);
}

type Row = typeof kbFeedback.$inferSelect;

export interface FeedbackInput {
  /** The search that led to the article (help centre, agents' search). */
  query?: string;
  helpful: boolean;
  comment: string;
  category: 'process' | 'accuracy' | 'guidance' | 'attitude' | null;
}

/**
 * Records feedback on the live version of an article. Customers (help centre) only reach
 * articles of their audiences, and an unknown or invisible article is the same 404.
 */
export async function createFeedback(
  db: Db,
  ctx: AuditContext,
  articleId: string,
  input: FeedbackInput,
  from:
    { source: 'agent'; userId: string } | { source: 'customer'; audiences: readonly Audience[] },
) {
  return db.transaction(async (tx) => {
    const [article] = await tx.select().from(kbArticles).where(eq(kbArticles.id, articleId));
    const visible =
      article?.liveVersionId &&
      (from.source === 'agent' || from.audiences.includes(article.liveAudience as Audience));
    if (!article || !visible) throw problems.notFound('Article', 'id');
    const [row] = await tx
      .insert(kbFeedback)
      .values({
        articleId,
        versionId: article.liveVersionId,
        source: from.source,
        userId: from.source === 'agent' ? from.userId : null,
        helpful: input.helpful,
        comment: input.comment,
        category: input.category,
        dueAt: await feedbackDueAt(tx, ctx.at),
        createdAt: ctx.at,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'kb.feedback.create',
      targetType: 'kb_feedback',
      targetId: row!.id,
      before: null,
      after: { articleId, source: from.source, helpful: input.helpful, category: input.category },
    });
    // The search that found a helpful article becomes evidence for search (learning from use).
    if (input.helpful && input.query) await recordEvidence(tx, input.query, articleId, ctx.at);
    return (await presentFeedback(tx, [row!], ctx.at))[0]!;
  });
}

export async function presentFeedback(ex: Executor, rows: Row[], now: Date) {
  const articleIds = [...new Set(rows.map((r) => r.articleId))];
  const userIds = [
    ...new Set(rows.flatMap((r) => [r.userId, r.answeredBy]).filter((x): x is string => !!x)),
  ];
  const titles = articleIds.length
    ? await ex
        .select({ id: kbArticles.id, title: kbArticles.title })
        .from(kbArticles)
        .where(inArray(kbArticles.id, articleIds))
    : [];
  const names = userIds.length
    ? await ex
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, userIds))
    : [];
  const name = (id: string | null) => (id ? (names.find((n) => n.id === id)?.name ?? null) : null);
  return rows.map((r) => ({
    id: r.id,
    articleId: r.articleId,
    articleTitle: titles.find((t) => t.id === r.articleId)?.title ?? '',
    versionId: r.versionId,
    source: r.source as 'agent' | 'customer',
    userName: name(r.userId),
    helpful: r.helpful,
    comment: r.comment,
    category: r.category as FeedbackInput['category'],
    status: r.status as 'open' | 'answered' | 'revision_requested',
    answer: r.answer,
    answeredBy: name(r.answeredBy),
    answeredAt: r.answeredAt?.toISOString() ?? null,
    revisionRequestId: r.revisionRequestId,
    dueAt: r.dueAt.toISOString(),
    overdue: r.status === 'open' && r.dueAt < now,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listFeedback(
  db: Db,
  f: { status?: string; articleId?: string; overdue?: boolean },
  limit: number,
  after: CursorKey | undefined,
  now: Date,
) {
  const where: (SQL | undefined)[] = [
    f.status ? eq(kbFeedback.status, f.status) : undefined,
    f.articleId ? eq(kbFeedback.articleId, f.articleId) : undefined,
    f.overdue ? and(eq(kbFeedback.status, 'open'), lt(kbFeedback.dueAt, now)) : undefined,
    after
      ? or(
          gt(kbFeedback.createdAt, new Date(after.at)),
          and(eq(kbFeedback.createdAt, new Date(after.at)), gt(kbFeedback.id, after.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select()
    .from(kbFeedback)
    .where(and(...where))
    .orderBy(asc(kbFeedback.createdAt), asc(kbFeedback.id))
    .limit(limit + 1);
  return { rows, views: await presentFeedback(db, rows.slice(0, limit), now) };
}

async function lockOpen(tx: Executor, id: string) {
  const [row] = await tx.select().from(kbFeedback).where(eq(kbFeedback.id, id)).for('update');
  if (!row) throw problems.notFound('Feedback', 'id');
  if (row.status !== 'open')
    throw new HttpProblem({
      status: 409,
      code: 'feedback_closed',
      detail: `This feedback was already handled (${row.status}).`,
      extra: { allowed: [] },
    });
  return row;
}

/** An editor answers the feedback; it leaves the queue. */
export function answerFeedback(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  answer: string,
) {
  return db.transaction(async (tx) => {
    await lockOpen(tx, id);
    const [row] = await tx
      .update(kbFeedback)
      .set({ status: 'answered', answer, answeredBy: actor.userId, answeredAt: ctx.at })
      .where(eq(kbFeedback.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'kb.feedback.answer',
      targetType: 'kb_feedback',
      targetId: id,
      before: { status: 'open' },
      after: { status: 'answered', answer },
    });
    await recordKbEvent(tx, ctx, {
      articleId: row!.articleId,
      action: 'feedback_answered',
      comment: answer,
    });
    return (await presentFeedback(tx, [row!], ctx.at))[0]!;
  });
}

/** An editor turns the feedback into a revision request (a new draft version). */
export function feedbackToRevision(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: RevisionRequestInput,
) {
  return db.transaction(async (tx) => {
    const fb = await lockOpen(tx, id);
    const { requestId } = await insertRevisionRequest(tx, ctx, actor, fb.articleId, input, id);
    const [row] = await tx
      .update(kbFeedback)
      .set({
        status: 'revision_requested',
        revisionRequestId: requestId,
        answeredBy: actor.userId,
        answeredAt: ctx.at,
      })
      .where(eq(kbFeedback.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'kb.feedback.revision',
      targetType: 'kb_feedback',
      targetId: id,
      before: { status: 'open' },
      after: { status: 'revision_requested', revisionRequestId: requestId },
    });
    return (await presentFeedback(tx, [row!], ctx.at))[0]!;
  });
}
