import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { chatSettings } from '../../db/schema/index.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { requireActiveCategory } from '../tickets/categories.js';

/** The workspace's chat settings (one row; migration 0025 seeds the defaults). */
export interface ChatSettings {
  enabled: boolean;
  agentConcurrency: number;
  botEnabled: boolean;
  botAnswers: number;
  botMaxMisses: number;
  ticketCategory: string;
  visitorCookieDays: number;
  /** Minutes of visitor silence after which an open conversation is closed (0: never). */
  idleCloseMinutes: number;
}

export async function getChatSettings(ex: Executor): Promise<ChatSettings> {
  const [row] = await ex.select().from(chatSettings).where(eq(chatSettings.id, true));
  if (!row) throw new Error('chat_settings row missing (migration 0025 seeds it)');
  return {
    enabled: row.enabled,
    agentConcurrency: row.agentConcurrency,
    botEnabled: row.botEnabled,
    botAnswers: row.botAnswers,
    botMaxMisses: row.botMaxMisses,
    ticketCategory: row.ticketCategory,
    visitorCookieDays: row.visitorCookieDays,
    idleCloseMinutes: row.idleCloseMinutes,
  };
}

export async function updateChatSettings(
  ex: Executor,
  ctx: AuditContext,
  patch: Partial<ChatSettings>,
): Promise<ChatSettings> {
  if (patch.ticketCategory !== undefined) await requireActiveCategory(ex, patch.ticketCategory);
  const before = await getChatSettings(ex);
  await ex
    .update(chatSettings)
    .set({ ...patch, updatedAt: ctx.at })
    .where(eq(chatSettings.id, true));
  const after = { ...before, ...patch };
  await recordAudit(ex, ctx, {
    action: 'chat_settings.update',
    targetType: 'chat_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}
