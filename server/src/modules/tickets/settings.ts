import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ticketSettings } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';

/** The closed-loop settings (one row, SPEC defaults, changed by an administrator). */
export interface TicketSettings {
  autoCloseDays: number;
  reopenWindowDays: number;
  archiveAfterDays: number;
  confirmationLinkDays: number;
  timeZone: string;
}

export async function getSettings(ex: Executor): Promise<TicketSettings> {
  const [row] = await ex.select().from(ticketSettings).where(eq(ticketSettings.id, true));
  if (!row) throw new Error('ticket_settings row missing (migration 0002 seeds it)');
  return {
    autoCloseDays: row.autoCloseDays,
    reopenWindowDays: row.reopenWindowDays,
    archiveAfterDays: row.archiveAfterDays,
    confirmationLinkDays: row.confirmationLinkDays,
    timeZone: row.timeZone,
  };
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function updateSettings(
  ex: Executor,
  ctx: AuditContext,
  patch: Partial<TicketSettings>,
): Promise<TicketSettings> {
  if (patch.timeZone !== undefined && !validTimeZone(patch.timeZone))
    throw problems.invalid([{ path: 'timeZone', message: 'not an IANA time zone' }]);
  const before = await getSettings(ex);
  const after = { ...before, ...patch };
  if (after.archiveAfterDays < after.reopenWindowDays)
    throw problems.invalid([
      { path: 'archiveAfterDays', message: 'must not be shorter than the reopen window' },
    ]);
  await ex
    .update(ticketSettings)
    .set({ ...patch, updatedAt: ctx.at })
    .where(eq(ticketSettings.id, true));
  await recordAudit(ex, ctx, {
    action: 'ticket_settings.update',
    targetType: 'ticket_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}
