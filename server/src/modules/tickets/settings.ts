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

/**
 * Settings for the hot paths (registration, presenting a page): read at most once every
 * SETTINGS_TTL_MS per process, and dropped the moment `updateSettings` changes them here; another
 * server process sees an administrator's change within the TTL. Freshness is wall-clock
 * (performance.now), not domain time: the injected clock may stand still or jump in tests.
 */
const SETTINGS_TTL_MS = 5_000;
let cached: { value: TicketSettings; readAt: number } | null = null;

export async function getSettingsCached(ex: Executor): Promise<TicketSettings> {
  if (cached && performance.now() - cached.readAt < SETTINGS_TTL_MS) return cached.value;
  const readAt = performance.now();
  const value = await getSettings(ex);
  cached = { value, readAt };
  return value;
}

export function forgetCachedSettings(): void {
  cached = null;
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
  forgetCachedSettings();
  await recordAudit(ex, ctx, {
    action: 'ticket_settings.update',
    targetType: 'ticket_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}
