/** How a clock is shown: to the tickets module (embedded in a ticket's view) and in reports. */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { slaClocks, type SlaClockState } from '../../db/schema/index.js';

export type ClockRow = typeof slaClocks.$inferSelect;

export const clockSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    kind: z.string().describe('The target: first_response, resolution, progress_update, …'),
    occurrence: z.number().int().describe('1, 2, 3 … for a repeating target'),
    policyVersion: z.number().int(),
    policyKey: z.string(),
    calendarId: z.uuid().nullable().describe('null = round the clock'),
    state: z.enum(['running', 'paused', 'met', 'breached', 'cancelled']),
    startedAt: z.iso.datetime(),
    warnAt: z.iso.datetime(),
    dueAt: z.iso.datetime().describe('While paused: the due time had it not been paused'),
    pausedSince: z.iso.datetime().nullable(),
    pausedMs: z.number().describe('Working time spent paused before the current pause'),
    warnedAt: z.iso.datetime().nullable(),
    breachedAt: z.iso.datetime().nullable(),
    metAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    breached: z.boolean(),
    businessMsUsed: z.number().nullable().describe('Working time used, set when met'),
    limitMs: z.number(),
    pauses: z.boolean(),
    repeats: z.boolean(),
  })
  .meta({ id: 'SlaClock' });

export type ClockView = z.infer<typeof clockSchema> & { state: SlaClockState };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentClock(r: ClockRow): ClockView {
  return {
    id: r.id,
    ticketId: r.ticketId,
    kind: r.kind,
    occurrence: r.occurrence,
    policyVersion: r.policyVersion,
    policyKey: r.policyKey,
    calendarId: r.calendarId,
    state: r.state,
    startedAt: r.startedAt.toISOString(),
    warnAt: r.warnAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    pausedSince: iso(r.pausedSince),
    pausedMs: r.pausedMs,
    warnedAt: iso(r.warnedAt),
    breachedAt: iso(r.breachedAt),
    metAt: iso(r.metAt),
    cancelledAt: iso(r.cancelledAt),
    breached: r.breached,
    businessMsUsed: r.businessMsUsed,
    limitMs: r.limitMs,
    pauses: r.pauses,
    repeats: r.repeats,
  };
}

/** Every clock of a ticket, oldest first (met, breached and cancelled ones too: for reports). */
export async function listClocks(ex: Executor, ticketId: string): Promise<ClockView[]> {
  const rows = await ex
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.ticketId, ticketId))
    .orderBy(asc(slaClocks.createdAt), asc(slaClocks.kind), asc(slaClocks.occurrence));
  return rows.map(presentClock);
}
