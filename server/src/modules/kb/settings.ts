import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { kbSettings } from '../../db/schema/index.js';
import { recordAudit, type AuditContext } from '../audit/service.js';

/** Knowledge-base settings (one row, SPEC defaults, changed by knowledge editors and admins). */
export interface KbSettings {
  /** Working days to answer feedback on an article (SPEC: 30), on the default calendar. */
  feedbackReplyWorkingDays: number;
}

export async function getKbSettings(ex: Executor): Promise<KbSettings> {
  const [row] = await ex.select().from(kbSettings).where(eq(kbSettings.id, true));
  if (!row) throw new Error('kb_settings row missing (migration 0010 seeds it)');
  return { feedbackReplyWorkingDays: row.feedbackReplyWorkingDays };
}

/**
 * Changes the settings and audits before/after in the caller's transaction. Feedback already
 * received keeps the deadline it was given; new feedback gets the new number.
 */
export async function updateKbSettings(
  ex: Executor,
  ctx: AuditContext,
  patch: Partial<KbSettings>,
): Promise<KbSettings> {
  const before = await getKbSettings(ex);
  const after = { ...before, ...patch };
  await ex
    .update(kbSettings)
    .set({ ...patch, updatedAt: ctx.at })
    .where(eq(kbSettings.id, true));
  await recordAudit(ex, ctx, {
    action: 'kb_settings.update',
    targetType: 'kb_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}
