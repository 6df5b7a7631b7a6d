import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { surveySettings, surveyTemplates } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';

export type SurveyChannel = 'email' | 'sms';

/** The workspace's survey settings (one row, migration 0019 seeds the defaults). */
export interface SurveySettings {
  enabled: boolean;
  sendOn: 'resolved' | 'closed';
  delayMinutes: number;
  channels: SurveyChannel[];
  linkDays: number;
  /** 0 = no reminder. */
  reminderAfterHours: number;
  /** A score below this (0–100) opens a follow-up. */
  lowScoreThreshold: number;
  followUpDays: number;
  templateId: string;
}

export async function getSurveySettings(ex: Executor): Promise<SurveySettings> {
  const [row] = await ex.select().from(surveySettings).where(eq(surveySettings.id, true));
  if (!row) throw new Error('survey_settings row missing (migration 0019 seeds it)');
  return {
    enabled: row.enabled,
    sendOn: row.sendOn as SurveySettings['sendOn'],
    delayMinutes: row.delayMinutes,
    channels: row.channels as SurveyChannel[],
    linkDays: row.linkDays,
    reminderAfterHours: row.reminderAfterHours,
    lowScoreThreshold: row.lowScoreThreshold,
    followUpDays: row.followUpDays,
    templateId: row.templateId,
  };
}

export async function updateSurveySettings(
  ex: Executor,
  ctx: AuditContext,
  patch: Partial<SurveySettings>,
): Promise<SurveySettings> {
  if (patch.templateId !== undefined) {
    const [tpl] = await ex
      .select({ id: surveyTemplates.id })
      .from(surveyTemplates)
      .where(and(eq(surveyTemplates.id, patch.templateId), eq(surveyTemplates.active, true)));
    if (!tpl) throw problems.notFound('Survey template', 'templateId');
  }
  if (patch.channels) patch = { ...patch, channels: [...new Set(patch.channels)] };
  const before = await getSurveySettings(ex);
  await ex
    .update(surveySettings)
    .set({ ...patch, updatedAt: ctx.at })
    .where(eq(surveySettings.id, true));
  const after = { ...before, ...patch };
  await recordAudit(ex, ctx, {
    action: 'survey_settings.update',
    targetType: 'survey_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}
