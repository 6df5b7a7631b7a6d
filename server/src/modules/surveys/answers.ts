/**
 * The customer's side: what a survey link shows, the one answer it takes, opting out — and the
 * closed loop: a low score or "not solved" opens a follow-up for the ticket's owner.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import {
  notifications,
  surveyInvitations,
  surveyOptOuts,
  surveyTemplateVersions,
  surveyTokens,
  tickets,
  users,
} from '../../db/schema/index.js';
import { sha256 } from '../../lib/crypto.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { publishNotifications } from '../notifications/bus.js';
import { CUSTOMER, lockTicket, saveTicket } from '../tickets/access.js';
import { appendEvent } from '../tickets/timeline.js';
import type { InvitationRow } from './delivery.js';
import {
  checkAnswers,
  needsFollowUp,
  scoreOf,
  type Answers,
  type Question,
} from './rules/scoring.js';
import { getSurveySettings } from './settings.js';
import { pinnedVersion } from './templates.js';

export type SurveyState = 'open' | 'answered' | 'expired';

export interface PublicSurvey {
  state: SurveyState;
  kind: 'ticket' | 'campaign';
  ticketNumber: string | null;
  ticketSubject: string | null;
  month: string | null;
  questions: Question[];
  allowComment: boolean;
  expiresAt: string;
  optedOut: boolean;
}

const invalidLink = () =>
  new HttpProblem({ status: 404, code: 'not_found', detail: 'This survey link is not valid.' });

async function invitationOf(ex: Executor, token: string, lock = false) {
  const [t] = await ex
    .select({ responseId: surveyTokens.responseId, channel: surveyTokens.channel })
    .from(surveyTokens)
    .where(eq(surveyTokens.tokenHash, sha256(token)));
  if (!t) throw invalidLink();
  const q = ex.select().from(surveyInvitations).where(eq(surveyInvitations.id, t.responseId));
  const [inv] = lock ? await q.for('update') : await q;
  if (!inv) throw invalidLink();
  return { inv, channel: t.channel };
}

export const stateOf = (
  inv: Pick<InvitationRow, 'answeredAt' | 'expiresAt'>,
  now: Date,
): SurveyState =>
  inv.answeredAt
    ? 'answered'
    : inv.expiresAt && inv.expiresAt.getTime() <= now.getTime()
      ? 'expired'
      : 'open';

/**
 * What the customer sees: no personal data, only the ticket's number and subject. One statement
 * (link, invitation, pinned questions, ticket, opt-out): on embedded PGlite every visitor queues
 * behind one connection, so each round trip saved is felt by all of them (docs/benchmarks.md).
 */
export async function viewSurvey(db: Db, token: string, now: Date): Promise<PublicSurvey> {
  const inv = surveyInvitations;
  const v = surveyTemplateVersions;
  const [row] = await db
    .select({
      answeredAt: inv.answeredAt,
      expiresAt: inv.expiresAt,
      kind: inv.kind,
      periodMonth: inv.periodMonth,
      templateId: inv.templateId,
      templateVersion: inv.templateVersion,
      questions: v.questions,
      allowComment: v.allowComment,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
      optedOut: sql<boolean>`EXISTS (SELECT 1 FROM ${surveyOptOuts}
        WHERE ${surveyOptOuts.customerId} = ${inv.customerId})`,
    })
    .from(surveyTokens)
    .innerJoin(inv, eq(inv.id, surveyTokens.responseId))
    .leftJoin(v, and(eq(v.templateId, inv.templateId), eq(v.version, inv.templateVersion)))
    .leftJoin(tickets, eq(tickets.id, inv.ticketId))
    .where(eq(surveyTokens.tokenHash, sha256(token)));
  if (!row) throw invalidLink();
  if (!row.questions)
    throw new Error(`survey template ${row.templateId} v${row.templateVersion} missing`);
  return {
    state: stateOf(row, now),
    kind: row.kind as PublicSurvey['kind'],
    ticketNumber: row.ticketNumber ?? null,
    ticketSubject: row.ticketSubject ?? null,
    month: row.kind === 'campaign' ? row.periodMonth.slice(0, 7) : null,
    questions: row.questions,
    allowComment: row.allowComment!,
    expiresAt: row.expiresAt!.toISOString(),
    optedOut: Boolean(row.optedOut),
  };
}

/** The one answer of an invitation: 409 once answered, 410 after expiry, 422 for a misfit. */
export async function answerSurvey(
  db: Db,
  ctx: AuditContext,
  token: string,
  input: { answers: Answers; comment?: string },
) {
  return db.transaction(async (tx) => {
    const { inv, channel } = await invitationOf(tx, token, true);
    const state = stateOf(inv, ctx.at);
    if (state === 'answered')
      throw problems.conflict('survey_answered', 'This survey has already been answered.');
    if (state === 'expired')
      throw new HttpProblem({
        status: 410,
        title: 'Gone',
        code: 'survey_expired',
        detail: 'This survey link has expired.',
      });
    const v = await pinnedVersion(tx, inv.templateId!, inv.templateVersion!);
    const errors = checkAnswers(v.questions, input.answers);
    const comment = input.comment?.trim() || null;
    if (comment && !v.allowComment)
      errors.push({ path: 'comment', message: 'this survey takes no comment' });
    if (errors.length) throw problems.invalid(errors);
    const result = scoreOf(v.questions, input.answers);
    const [saved] = await tx
      .update(surveyInvitations)
      .set({
        answeredAt: ctx.at,
        solved: result.solved,
        score100: result.score100,
        answers: input.answers,
        comment,
        answeredVia: channel,
        updatedAt: ctx.at,
      })
      .where(eq(surveyInvitations.id, inv.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'survey.answer',
      targetType: 'survey_response',
      targetId: inv.id,
      after: { ...result, via: channel },
    });
    const settings = await getSurveySettings(tx);
    if (inv.ticketId && needsFollowUp(result, settings.lowScoreThreshold))
      await openFollowUp(tx, ctx, saved!, result, settings.followUpDays);
    return { state: 'answered' as const };
  });
}

/**
 * 闭环: a dissatisfied answer puts the ticket back on its owner's follow-up to-do list (unless a
 * follow-up is already open) and tells the owner. An archived ticket is read-only: only the
 * notification goes out.
 */
async function openFollowUp(
  tx: Executor,
  ctx: AuditContext,
  inv: InvitationRow,
  result: { solved: boolean | null; score100: number | null },
  days: number,
) {
  const row = await lockTicket(tx, inv.ticketId!, CUSTOMER, undefined, { allowArchived: true });
  const [owner] = await tx
    .select({ id: users.id, locale: users.locale })
    .from(users)
    .where(eq(users.id, row.ownerId));
  const zh = owner?.locale !== 'en-US';
  const what =
    result.solved === false
      ? zh
        ? '客户反馈问题未解决'
        : 'the customer says the problem is not solved'
      : zh
        ? `客户满意度低（${result.score100} 分）`
        : `low satisfaction (${result.score100}/100)`;
  const open = row.followUpDueAt && !row.followUpDoneAt;
  if (row.status !== 'archived' && !open) {
    const dueAt = new Date(ctx.at.getTime() + days * 86_400_000);
    const plan = zh
      ? '回访客户，了解不满意的原因并跟进处理'
      : 'Call the customer back, find out what went wrong and follow it up';
    await saveTicket(
      tx,
      row,
      {
        followUpReason: `${zh ? '满意度调查：' : 'Survey: '}${what}`,
        followUpPlan: plan,
        followUpDueAt: dueAt,
        followUpDoneAt: null,
      },
      ctx.at,
    );
    await appendEvent(tx, row.id, ctx, CUSTOMER, {
      kind: 'follow_up',
      body: inv.comment,
      data: {
        opened: true,
        survey: { responseId: inv.id, ...result },
        plan,
        dueAt: dueAt.toISOString(),
      },
    });
  }
  await tx
    .update(surveyInvitations)
    .set({ followUpAt: ctx.at })
    .where(eq(surveyInvitations.id, inv.id));
  if (owner) {
    await tx.insert(notifications).values({
      userId: owner.id,
      kind: 'survey.low_score',
      ticketId: row.id,
      title: zh ? `满意度回访：${row.number} ${what}` : `Survey follow-up: ${row.number} — ${what}`,
      createdAt: ctx.at,
    });
    await publishNotifications(tx, [owner.id]);
  }
  await recordAudit(tx, ctx, {
    action: 'survey.follow_up',
    targetType: 'ticket',
    targetId: row.id,
    after: { responseId: inv.id, ...result, opened: row.status !== 'archived' && !open },
  });
}

/** "No more surveys": the customer's opt-out, from any of their links (even a spent one). */
export async function optOut(db: Db, ctx: AuditContext, token: string) {
  return db.transaction(async (tx) => {
    const { inv } = await invitationOf(tx, token);
    const [row] = await tx
      .insert(surveyOptOuts)
      .values({ customerId: inv.customerId, via: 'link', createdAt: ctx.at })
      .onConflictDoNothing()
      .returning();
    if (row)
      await recordAudit(tx, ctx, {
        action: 'survey.opt_out',
        targetType: 'customer',
        targetId: inv.customerId,
        after: { via: 'link' },
      });
    return { optedOut: true as const };
  });
}
