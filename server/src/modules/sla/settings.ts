/**
 * The SLA engine's workspace settings (one row, migration 0009): the automatic off-hours
 * acknowledgement (on or off, its channels, its zh/en text), whether breach notifications
 * are e-mailed too, and how many days ahead a calendar must have holiday data. Changed by an administrator, audited.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/client.js';
import { slaSettings } from '../../db/schema/index.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { CHANNELS } from '../tickets/rules/vocabulary.js';

const template = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .describe('{number} is replaced by the ticket number');

export const slaSettingsSchema = z
  .object({
    offHoursAck: z.object({
      enabled: z
        .boolean()
        .describe('Sent automatically; off: an agent’s accept or public reply acknowledges'),
      channels: z
        .array(z.enum(CHANNELS))
        .max(CHANNELS.length)
        .describe('Channels acknowledged off hours: the off_hours_ack clock starts only on these'),
      zh: template,
      en: template,
    }),
    emailOnBreach: z
      .boolean()
      .describe('Breach notifications are e-mailed as well, to recipients with an address'),
    calendarWarningDays: z
      .number()
      .int()
      .min(1)
      .max(366)
      .describe('Warn when a calendar has no holiday data for this many days ahead (default 60)'),
  })
  .meta({ id: 'SlaSettings' });

export const slaSettingsPatch = z.strictObject({
  offHoursAck: z
    .strictObject({
      enabled: z.boolean().optional(),
      channels: z
        .array(z.enum(CHANNELS))
        .max(CHANNELS.length)
        .optional()
        .describe(
          'Channels whose off-hours requests are acknowledged (default: chat); the off_hours_ack clock starts only on these',
        ),
      zh: template.optional(),
      en: template.optional(),
    })
    .optional(),
  emailOnBreach: z.boolean().optional(),
  calendarWarningDays: z.number().int().min(1).max(366).optional(),
});

export type SlaSettings = z.infer<typeof slaSettingsSchema>;

export async function getSlaSettings(ex: Executor): Promise<SlaSettings> {
  const [row] = await ex.select().from(slaSettings).where(eq(slaSettings.id, true));
  if (!row) throw new Error('sla_settings row missing (migration 0009 seeds it)');
  return {
    offHoursAck: {
      enabled: row.offHoursAckEnabled,
      channels: row.offHoursAckChannels as SlaSettings['offHoursAck']['channels'],
      zh: row.offHoursAckZh,
      en: row.offHoursAckEn,
    },
    emailOnBreach: row.emailOnBreach,
    calendarWarningDays: row.calendarWarningDays,
  };
}

// Read on every off-hours registration; kept per process for a few seconds like the tickets
// settings (tickets/settings.ts) and dropped when an administrator changes them.
const SETTINGS_TTL_MS = 5_000;
let cached: { value: SlaSettings; readAt: number } | null = null;

export async function getSlaSettingsCached(ex: Executor): Promise<SlaSettings> {
  if (cached && performance.now() - cached.readAt < SETTINGS_TTL_MS) return cached.value;
  const readAt = performance.now();
  const value = await getSlaSettings(ex);
  cached = { value, readAt };
  return value;
}

export async function updateSlaSettings(
  db: Db,
  ctx: AuditContext,
  patch: z.infer<typeof slaSettingsPatch>,
): Promise<SlaSettings> {
  cached = null;
  // Dropped again after COMMIT: a read meanwhile may have cached the old row.
  const saved = await saveSlaSettings(db, ctx, patch).finally(() => (cached = null));
  return saved;
}

function saveSlaSettings(
  db: Db,
  ctx: AuditContext,
  patch: z.infer<typeof slaSettingsPatch>,
): Promise<SlaSettings> {
  return db.transaction(async (tx) => {
    const before = await getSlaSettings(tx);
    const after: SlaSettings = {
      offHoursAck: { ...before.offHoursAck, ...patch.offHoursAck },
      emailOnBreach: patch.emailOnBreach ?? before.emailOnBreach,
      calendarWarningDays: patch.calendarWarningDays ?? before.calendarWarningDays,
    };
    after.offHoursAck.channels = [...new Set(after.offHoursAck.channels)];
    await tx
      .update(slaSettings)
      .set({
        offHoursAckEnabled: after.offHoursAck.enabled,
        offHoursAckChannels: after.offHoursAck.channels,
        offHoursAckZh: after.offHoursAck.zh,
        offHoursAckEn: after.offHoursAck.en,
        emailOnBreach: after.emailOnBreach,
        calendarWarningDays: after.calendarWarningDays,
        updatedAt: ctx.at,
      })
      .where(eq(slaSettings.id, true));
    await recordAudit(tx, ctx, {
      action: 'sla_settings.update',
      targetType: 'sla_settings',
      targetId: 'workspace',
      before: { ...before },
      after: { ...after },
    });
    return after;
  });
}

/** The acknowledgement in the customer's language (en-US, else Chinese), with its number. */
export function offHoursAckText(settings: SlaSettings, locale: string, ticketNumber: string) {
  const text = locale === 'en-US' ? settings.offHoursAck.en : settings.offHoursAck.zh;
  return text.replaceAll('{number}', ticketNumber);
}
