import type { Executor } from '../../db/client.js';
import { kbEvents } from '../../db/schema/index.js';
import { recordAudit, type AuditContext } from '../audit/service.js';

export interface KbEventInput {
  articleId: string;
  versionId?: string | null;
  action: string;
  step?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  comment?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * One step in an article's history plus its audit row, written with the caller's transaction so
 * both commit (or roll back) with the change itself.
 */
export async function recordKbEvent(tx: Executor, ctx: AuditContext, e: KbEventInput) {
  await tx.insert(kbEvents).values({
    articleId: e.articleId,
    versionId: e.versionId ?? null,
    at: ctx.at,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    action: e.action,
    step: e.step ?? null,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    comment: e.comment ?? '',
  });
  await recordAudit(tx, ctx, {
    action: `kb.${e.action}`,
    targetType: 'kb_article',
    targetId: e.articleId,
    before: e.before ?? (e.fromStatus ? { status: e.fromStatus } : null),
    after: {
      ...(e.after ?? {}),
      ...(e.toStatus ? { status: e.toStatus } : {}),
      ...(e.versionId ? { versionId: e.versionId } : {}),
      ...(e.step ? { step: e.step } : {}),
      ...(e.comment ? { comment: e.comment } : {}),
    },
  });
}
