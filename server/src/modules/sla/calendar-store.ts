/**
 * Loading business calendars from the database for the arithmetic in rules/calendar.ts, and
 * deciding which calendar a ticket counts on (the team's, else the default). Loaded calendars
 * are cached per process under `id:revision`; every change bumps the revision, so another
 * process's edit is seen at the next load (one small query per load).
 */
import { eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { rowsOf, type Executor } from '../../db/client.js';
import { slaCalendarDays, slaCalendars } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { alwaysOpen, type BusinessCalendar } from './rules/calendar.js';
import { txMemo } from '../../db/tx-memo.js';

export interface LoadedCalendar {
  id: string;
  name: string;
  timeZone: string;
  cal: BusinessCalendar;
}

const cache = new LRUCache<string, BusinessCalendar>({ max: 200 });

/** A round-the-clock calendar: what clocks with no calendar (24×7 targets) count on. */
export const ROUND_THE_CLOCK = alwaysOpen('UTC');

type CalendarHead = { id: string; name: string; time_zone: string; revision: number };

export async function loadCalendar(ex: Executor, id: string): Promise<LoadedCalendar | null> {
  // The small columns first: the cache usually has the rest.
  const [row] = rowsOf<CalendarHead>(
    await ex.execute(
      sql`SELECT id, name, time_zone, revision FROM sla_calendars WHERE id = ${id}::uuid`,
    ),
  );
  return row ? withDays(ex, row) : null;
}

/** A calendar whose small columns were read: its days from the cache, or read now. */
async function withDays(ex: Executor, row: CalendarHead): Promise<LoadedCalendar> {
  const key = `${row.id}:${row.revision}`;
  let cal = cache.get(key);
  if (!cal) {
    const built = await readCalendar(ex, row.id);
    cal = built!.cal;
    // Keyed by the revision read before the days: a change committed in between bumps the
    // revision, so the entry holds data at least as new as its key says.
    cache.set(`${row.id}:${built!.revision}`, cal);
  }
  return { id: row.id, name: row.name, timeZone: row.time_zone, cal };
}

/**
 * A calendar as the executor sees it, bypassing the cache: for a transaction that has just
 * changed it (caching what it sees could outlive a rollback under a revision number that the
 * next committed change reuses).
 */
export async function readCalendar(
  ex: Executor,
  id: string,
): Promise<{ cal: BusinessCalendar; revision: number } | null> {
  const [full] = await ex.select().from(slaCalendars).where(eq(slaCalendars.id, id));
  if (!full) return null;
  const days = await ex
    .select({ date: slaCalendarDays.date, kind: slaCalendarDays.kind })
    .from(slaCalendarDays)
    .where(eq(slaCalendarDays.calendarId, id));
  const cal: BusinessCalendar = {
    timeZone: full.timeZone,
    weekly: full.weekly,
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
    ...(full.makeUpHours ? { makeUpHours: full.makeUpHours } : {}),
  };
  return { cal, revision: full.revision };
}

/** A clock's calendar: its own, or round the clock when it has none. */
export async function calendarOfClock(
  ex: Executor,
  calendarId: string | null,
): Promise<BusinessCalendar> {
  if (!calendarId) return ROUND_THE_CLOCK;
  return (await loadCalendar(ex, calendarId))?.cal ?? ROUND_THE_CLOCK;
}

export async function defaultCalendarId(ex: Executor): Promise<string | null> {
  const [row] = await ex
    .select({ id: slaCalendars.id })
    .from(slaCalendars)
    .where(eq(slaCalendars.isDefault, true));
  return row?.id ?? null;
}

/** The calendar a team chose (`teams.calendar_id`), null for the default or an unknown team. */
export async function teamCalendarId(ex: Executor, teamId: string): Promise<string | null> {
  const [row] = rowsOf<{ calendar_id: string | null }>(
    await ex.execute(sql`SELECT calendar_id FROM teams WHERE id = ${teamId}`),
  );
  return row?.calendar_id ?? null;
}

/**
 * The business calendar for a ticket: the one given, else its team's, else the default (one
 * query). 404 naming `field` when a given calendar does not exist; 409 when there is no default.
 */
export async function resolveCalendar(
  ex: Executor,
  opts: { calendarId?: string | null; teamId?: string | null },
  field = 'calendarId',
): Promise<LoadedCalendar> {
  return txMemo(ex, `calendar:${opts.calendarId ?? ''}:${opts.teamId ?? ''}`, () =>
    resolveCalendarNow(ex, opts, field),
  );
}

async function resolveCalendarNow(
  ex: Executor,
  opts: { calendarId?: string | null; teamId?: string | null },
  field: string,
): Promise<LoadedCalendar> {
  const given = opts.calendarId ?? null;
  // Which calendar and its small columns in one statement (registration's hot path).
  const [row] = rowsOf<CalendarHead>(
    await ex.execute(sql`SELECT id, name, time_zone, revision FROM sla_calendars
      WHERE id = coalesce(${given}::uuid,
        (SELECT calendar_id FROM teams WHERE id = ${opts.teamId ?? null}::uuid),
        (SELECT id FROM sla_calendars WHERE is_default))`),
  );
  if (row) return withDays(ex, row);
  if (given === null && (await defaultCalendarId(ex)) === null)
    throw problems.conflict('no_default_calendar', 'No calendar is marked as the default.');
  throw problems.notFound('Calendar', field);
}
