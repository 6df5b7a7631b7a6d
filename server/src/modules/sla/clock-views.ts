/** How a clock is shown: to the tickets module (embedded in a ticket's view) and in reports. */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { slaClocks, type SlaClockState } from '../../db/schema/index.js';
import { calendarOfClock } from './calendar-store.js';
import { businessTimeLeft, workingStateAt, type BusinessCalendar } from './rules/calendar.js';

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
    outcome: z
      .enum(['met', 'missed', 'cancelled'])
      .nullable()
      .describe(
        'How a finished clock ended: met (late when `breached`), missed (stopped while overdue), cancelled (stopped in time); null while open',
      ),
    cause: z
      .enum(['rework'])
      .nullable()
      .describe('Why it started other than on registration: rework = the ticket was reopened'),
    live: z
      .object({
        remainingMs: z
          .number()
          .describe(
            'Working time left until due (negative: overdue by that much); paused: as of the pause',
          ),
        ticking: z.boolean().describe('Counting down right now: working time and not paused'),
        pausedReason: z.enum(['outside_working_hours', 'waiting_on_customer']).nullable(),
        nextChangeAt: z.iso
          .datetime()
          .nullable()
          .describe('When `ticking` next flips by the calendar (null: not by the calendar)'),
        asOf: z.iso.datetime().describe('The moment this was computed'),
      })
      .optional()
      .describe('Open clocks of GET /tickets/:id/sla: the business-time countdown'),
  })
  .meta({ id: 'SlaClock' });

export type ClockView = z.infer<typeof clockSchema> & { state: SlaClockState };
export type LiveState = NonNullable<ClockView['live']>;

/** The countdown of an open clock at `now` on its calendar; undefined for a finished one. */
export function liveStateOf(c: ClockRow, cal: BusinessCalendar, now: Date): LiveState | undefined {
  const asOf = now.toISOString();
  const due = c.dueAt.getTime();
  if (c.state === 'paused') {
    const since = c.pausedSince!.getTime();
    return {
      remainingMs: businessTimeLeft(since, due, cal),
      ticking: false,
      pausedReason: 'waiting_on_customer',
      nextChangeAt: null,
      asOf,
    };
  }
  if (c.state !== 'running' && c.state !== 'breached') return undefined;
  const { working, changesAt } = workingStateAt(now.getTime(), cal);
  return {
    remainingMs: businessTimeLeft(now.getTime(), due, cal),
    ticking: working,
    pausedReason: working ? null : 'outside_working_hours',
    nextChangeAt: changesAt === null ? null : new Date(changesAt).toISOString(),
    asOf,
  };
}

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
    outcome: r.outcome ?? outcomeOf(r),
    cause: r.cause ?? null,
  };
}

/** The outcome of a row written without one (before migration 0013 or by older code). */
function outcomeOf(r: ClockRow): ClockView['outcome'] {
  if (r.state === 'met') return 'met';
  if (r.state === 'cancelled') return r.breached ? 'missed' : 'cancelled';
  return null;
}

/**
 * Every clock of a ticket, oldest first (met, breached and cancelled ones too: for reports).
 * Given `now`, open clocks carry their business-time countdown (`live`).
 */
export async function listClocks(ex: Executor, ticketId: string, now?: Date): Promise<ClockView[]> {
  const rows = await ex
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.ticketId, ticketId))
    .orderBy(asc(slaClocks.createdAt), asc(slaClocks.kind), asc(slaClocks.occurrence));
  if (!now) return rows.map(presentClock);
  const calendars = new Map<string | null, BusinessCalendar>();
  const views: ClockView[] = [];
  for (const r of rows) {
    const view = presentClock(r);
    if (r.state === 'running' || r.state === 'paused' || r.state === 'breached') {
      let cal = calendars.get(r.calendarId);
      if (!cal) calendars.set(r.calendarId, (cal = await calendarOfClock(ex, r.calendarId)));
      view.live = liveStateOf(r, cal, now);
    }
    views.push(view);
  }
  return views;
}
