/**
 * Re-planning running clocks when their calendar changes (docs/sla.md, "Editing a calendar"):
 * new weekly hours or make-up hours, a holiday or make-up day added or removed, an ICS import,
 * a team moved to another calendar, another calendar made the default. In the edit's own
 * transaction, every open clock counting on the calendar keeps the working time it has used and
 * gets new due and warning times on the calendar as it is now (rules/clock.ts `replanClock`);
 * its timers move with it, and the tickets' due-soonest summary too.
 *
 * Clocks already past due are left to the sweeper (they breach as planned); met, cancelled and
 * breached clocks are history.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { slaClocks } from '../../db/schema/index.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { refreshSlaSummary } from '../tickets/sla-link.js';
import { readCalendar } from './calendar-store.js';
import type { ClockRow } from './clock-views.js';
import type { BusinessCalendar } from './rules/calendar.js';
import { replanClock } from './rules/clock.js';
import { scheduleTimers, unscheduleTimers } from './timers.js';

export interface ReplanResult {
  clocks: number;
  tickets: number;
}

/** The open clocks on `calendarId` (of the tickets `which` selects), locked for the edit. */
async function openClocksOn(tx: Executor, calendarId: string, which?: SQL): Promise<ClockRow[]> {
  return tx
    .select()
    .from(slaClocks)
    .where(
      sql`${slaClocks.calendarId} = ${calendarId}
        AND ${slaClocks.metAt} IS NULL AND ${slaClocks.cancelledAt} IS NULL
        AND ${slaClocks.state} IN ('running', 'paused')
        ${which ? sql`AND ${slaClocks.ticketId} IN (${which})` : sql``}`,
    )
    .for('update');
}

/**
 * Re-plans the open clocks counting on `calendarId` — all of them, or those of the tickets
 * `which` selects — from `before` (the calendar they ran on) to the calendar `moveTo` as this
 * transaction sees it (default: the same calendar, just edited). Audited on `moveTo`.
 */
export async function replanClocksOn(
  tx: Executor,
  ctx: AuditContext,
  opts: { calendarId: string; before: BusinessCalendar; moveTo?: string; which?: SQL },
): Promise<ReplanResult> {
  const target = opts.moveTo ?? opts.calendarId;
  const now = ctx.at.getTime();
  const clocks = (await openClocksOn(tx, opts.calendarId, opts.which)).filter(
    (c) => c.state === 'paused' || c.dueAt.getTime() > now,
  );
  if (clocks.length === 0) return { clocks: 0, tickets: 0 };
  const after = (await readCalendar(tx, target))!.cal;

  const changed = clocks.map((c) => {
    const r = replanClock(
      {
        state: c.state as 'running' | 'paused',
        startedAt: c.startedAt.getTime(),
        limitMs: c.limitMs,
        warnAfterMs: c.warnAfterMs,
        pausedMs: c.pausedMs,
        pausedSince: c.pausedSince?.getTime() ?? null,
        warnedAt: c.warnedAt?.getTime() ?? null,
        warnAt: c.warnAt.getTime(),
        dueAt: c.dueAt.getTime(),
      },
      opts.before,
      after,
      now,
    );
    return { ...c, warnAt: new Date(r.warnAt), dueAt: new Date(r.dueAt), pausedMs: r.pausedMs };
  });

  const at = ctx.at.toISOString();
  for (let i = 0; i < changed.length; i += 1000) {
    const values = sql.join(
      changed
        .slice(i, i + 1000)
        .map(
          (c) =>
            sql`(${c.id}::uuid, ${c.warnAt.toISOString()}::timestamptz, ${c.dueAt.toISOString()}::timestamptz, ${c.pausedMs}::bigint)`,
        ),
      sql`, `,
    );
    await tx.execute(sql`UPDATE sla_clocks c SET warn_at = v.warn_at, due_at = v.due_at,
        paused_ms = v.paused_ms, calendar_id = ${target}::uuid, updated_at = ${at}::timestamptz
      FROM (VALUES ${values}) AS v(id, warn_at, due_at, paused_ms) WHERE c.id = v.id`);
  }
  const running = changed.filter((c) => c.state === 'running');
  await unscheduleTimers(
    tx,
    running.map((c) => c.id),
  );
  await scheduleTimers(tx, running);

  const tickets = [...new Set(changed.map((c) => c.ticketId))];
  for (const ticketId of tickets) await refreshSlaSummary(tx, ticketId);
  await recordAudit(tx, ctx, {
    action: 'sla_clock.replan',
    targetType: 'sla_calendar',
    targetId: target,
    after: {
      fromCalendarId: opts.calendarId,
      clocks: changed.length,
      tickets: tickets.length,
    },
  });
  return { clocks: changed.length, tickets: tickets.length };
}

/** Tickets of a team (a team moved to another calendar). */
export const ticketsOfTeam = (teamId: string) =>
  sql`SELECT id FROM tickets WHERE team_id = ${teamId}::uuid`;

/** Tickets that count on the default calendar: no team, or a team that chose none. */
export const ticketsOnDefault = () =>
  sql`SELECT t.id FROM tickets t LEFT JOIN teams tm ON tm.id = t.team_id WHERE tm.calendar_id IS NULL`;

/** The calendar a team counts on: its own, or the default. */
export async function effectiveCalendarOf(
  tx: Executor,
  calendarId: string | null,
): Promise<string | null> {
  if (calendarId) return calendarId;
  const [row] = rowsOf<{ id: string }>(
    await tx.execute(sql`SELECT id FROM sla_calendars WHERE is_default`),
  );
  return row?.id ?? null;
}
