/**
 * Business calendars: create, edit, the default; their special days (holidays and make-up
 * working days) one by one or by ICS file; which calendar each team works on. Every write bumps
 * the calendar's revision (the cache key of calendar-store.ts) and is audited in its transaction.
 */
import { and, asc, eq, gt, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import type { BusinessCalendar } from './rules/calendar.js';
import { isUniqueViolation } from '../../db/errors.js';
import { slaCalendarDays, slaCalendars, type SlaInterval } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { loadCalendar } from './calendar-store.js';
import { effectiveCalendarOf, replanClocksOn, ticketsOfTeam, ticketsOnDefault } from './replan.js';
import { parseIcsDays, writeIcsDays, IcsError, type CalendarDay } from './rules/ics.js';
import { HolidayJsonError, parseHolidayJson } from './rules/holiday-json.js';
import bundledHolidays from './data/cn-holidays.json' with { type: 'json' };

type CalendarRow = typeof slaCalendars.$inferSelect;

export interface CalendarView {
  id: string;
  name: string;
  timeZone: string;
  weekly: SlaInterval[][];
  makeUpHours: SlaInterval[] | null;
  isDefault: boolean;
  seedKey: string | null;
  teams: { id: string; name: string }[];
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface CalendarInput {
  name: string;
  timeZone: string;
  weekly: SlaInterval[][];
  makeUpHours: SlaInterval[] | null;
  isDefault: boolean;
}

async function teamsOf(ex: Executor, ids: string[]) {
  const map = new Map<string, { id: string; name: string }[]>();
  if (ids.length === 0) return map;
  const rows = rowsOf<{ id: string; name: string; calendar_id: string }>(
    await ex.execute(
      sql`SELECT id, name, calendar_id FROM teams
          WHERE calendar_id IN (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) ORDER BY name`,
    ),
  );
  for (const r of rows)
    map.set(r.calendar_id, [...(map.get(r.calendar_id) ?? []), { id: r.id, name: r.name }]);
  return map;
}

async function present(ex: Executor, rows: CalendarRow[]): Promise<CalendarView[]> {
  const teams = await teamsOf(
    ex,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    timeZone: r.timeZone,
    weekly: r.weekly,
    makeUpHours: r.makeUpHours ?? null,
    isDefault: r.isDefault,
    seedKey: r.seedKey,
    teams: teams.get(r.id) ?? [],
    revision: r.revision,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function listCalendars(db: Db, limit: number, after?: CursorKey) {
  const rows = await db
    .select()
    .from(slaCalendars)
    .where(
      after
        ? or(
            gt(slaCalendars.createdAt, new Date(after.at)),
            and(eq(slaCalendars.createdAt, new Date(after.at)), gt(slaCalendars.id, after.id)),
          )
        : undefined,
    )
    .orderBy(asc(slaCalendars.createdAt), asc(slaCalendars.id))
    .limit(limit + 1);
  return { rows, views: await present(db, rows.slice(0, limit)) };
}

export async function findCalendar(ex: Executor, id: string): Promise<CalendarView | null> {
  const [row] = await ex.select().from(slaCalendars).where(eq(slaCalendars.id, id));
  return row ? (await present(ex, [row]))[0]! : null;
}

async function lockCalendar(tx: Executor, id: string): Promise<CalendarRow> {
  const [row] = await tx.select().from(slaCalendars).where(eq(slaCalendars.id, id)).for('update');
  if (!row) throw problems.notFound('Calendar', 'id');
  return row;
}

/** The calendar as it was before this transaction changes it (for re-planning its clocks). */
async function calendarBefore(tx: Executor, id: string) {
  return (await loadCalendar(tx, id))!.cal;
}

/** Running clocks on the calendar keep their used time and move to its new shape (replan.ts). */
function replanOn(tx: Executor, ctx: AuditContext, id: string, before: BusinessCalendar) {
  return replanClocksOn(tx, ctx, { calendarId: id, before });
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw problems.conflict('calendar_name_taken', 'A calendar with this name already exists.', [
      { path: 'name', message: 'already in use' },
    ]);
  }
  throw err;
}

const snapshot = (c: CalendarView | CalendarRow) => ({
  name: c.name,
  timeZone: c.timeZone,
  weekly: c.weekly,
  makeUpHours: c.makeUpHours ?? null,
  isDefault: c.isDefault,
});

/** Clears the default flag elsewhere so `id` can take it (one default at a time). */
async function takeDefault(tx: Executor, id: string | null, at: Date) {
  await tx
    .update(slaCalendars)
    .set({ isDefault: false, updatedAt: at, revision: sql`${slaCalendars.revision} + 1` })
    .where(and(eq(slaCalendars.isDefault, true), id ? ne(slaCalendars.id, id) : undefined) as SQL);
}

export function createCalendar(db: Db, ctx: AuditContext, input: CalendarInput) {
  return db.transaction(async (tx) => {
    if (input.isDefault) await takeDefault(tx, null, ctx.at);
    const [row] = await tx
      .insert(slaCalendars)
      .values({ ...input, createdAt: ctx.at, updatedAt: ctx.at })
      .returning()
      .catch(nameTaken);
    await recordAudit(tx, ctx, {
      action: 'sla_calendar.create',
      targetType: 'sla_calendar',
      targetId: row!.id,
      before: null,
      after: snapshot(row!),
    });
    return (await present(tx, [row!]))[0]!;
  });
}

export function updateCalendar(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: Partial<Omit<CalendarInput, 'isDefault'>> & { isDefault?: true },
) {
  return db.transaction(async (tx) => {
    const before = await lockCalendar(tx, id);
    const beforeCal = await calendarBefore(tx, id);
    const oldDefault =
      patch.isDefault && !before.isDefault ? await effectiveCalendarOf(tx, null) : null;
    const oldDefaultCal = oldDefault ? await calendarBefore(tx, oldDefault) : null;
    if (patch.isDefault) await takeDefault(tx, id, ctx.at);
    const [row] = await tx
      .update(slaCalendars)
      .set({ ...patch, updatedAt: ctx.at, revision: sql`${slaCalendars.revision} + 1` })
      .where(eq(slaCalendars.id, id))
      .returning()
      .catch(nameTaken);
    await recordAudit(tx, ctx, {
      action: 'sla_calendar.update',
      targetType: 'sla_calendar',
      targetId: id,
      before: snapshot(before),
      after: snapshot(row!),
    });
    if (patch.weekly || patch.makeUpHours !== undefined || patch.timeZone)
      await replanOn(tx, ctx, id, beforeCal);
    if (oldDefault && oldDefaultCal) {
      // Tickets of teams without a calendar of their own now count on this one.
      await replanClocksOn(tx, ctx, {
        calendarId: oldDefault,
        before: oldDefaultCal,
        moveTo: id,
        which: ticketsOnDefault(),
      });
    }
    return (await present(tx, [row!]))[0]!;
  });
}

export async function listDays(
  db: Db,
  calendarId: string,
  year: number | undefined,
  limit: number,
  afterDate?: string,
): Promise<CalendarDay[]> {
  if (!(await findCalendar(db, calendarId))) throw problems.notFound('Calendar', 'id');
  const d = slaCalendarDays;
  return db
    .select({ date: d.date, kind: d.kind, name: d.name })
    .from(d)
    .where(
      and(
        eq(d.calendarId, calendarId),
        year ? sql`${d.date} BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`}` : undefined,
        afterDate ? gt(d.date, afterDate) : undefined,
      ),
    )
    .orderBy(asc(d.date))
    .limit(limit + 1);
}

export interface DaysResult {
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
}

/** Adds or changes days (keyed by date) inside `tx`; the caller audits and bumps the revision. */
async function upsertDays(tx: Executor, calendarId: string, days: CalendarDay[]) {
  const result: DaysResult = { added: 0, changed: 0, unchanged: 0, removed: 0 };
  if (days.length === 0) return result;
  const existing = new Map(
    (
      await tx
        .select({
          date: slaCalendarDays.date,
          kind: slaCalendarDays.kind,
          name: slaCalendarDays.name,
        })
        .from(slaCalendarDays)
        .where(
          and(
            eq(slaCalendarDays.calendarId, calendarId),
            inArray(
              slaCalendarDays.date,
              days.map((d) => d.date),
            ),
          ),
        )
    ).map((d) => [d.date, d]),
  );
  const writes = days.filter((d) => {
    const old = existing.get(d.date);
    if (!old) result.added += 1;
    else if (old.kind !== d.kind || old.name !== d.name) result.changed += 1;
    else result.unchanged += 1;
    return !old || old.kind !== d.kind || old.name !== d.name;
  });
  for (let i = 0; i < writes.length; i += 1000) {
    await tx
      .insert(slaCalendarDays)
      .values(writes.slice(i, i + 1000).map((d) => ({ ...d, calendarId })))
      .onConflictDoUpdate({
        target: [slaCalendarDays.calendarId, slaCalendarDays.date],
        set: { kind: sql`excluded.kind`, name: sql`excluded.name` },
      });
  }
  return result;
}

async function bump(tx: Executor, id: string, at: Date) {
  await tx
    .update(slaCalendars)
    .set({ revision: sql`${slaCalendars.revision} + 1`, updatedAt: at })
    .where(eq(slaCalendars.id, id));
}

const dedupe = (days: CalendarDay[]) => [...new Map(days.map((d) => [d.date, d])).values()];

export function putDays(db: Db, ctx: AuditContext, calendarId: string, days: CalendarDay[]) {
  return db.transaction(async (tx) => {
    await lockCalendar(tx, calendarId);
    const before = await calendarBefore(tx, calendarId);
    const result = await upsertDays(tx, calendarId, dedupe(days));
    await bump(tx, calendarId, ctx.at);
    if (result.added + result.changed > 0) await replanOn(tx, ctx, calendarId, before);
    await recordAudit(tx, ctx, {
      action: 'sla_calendar.days',
      targetType: 'sla_calendar',
      targetId: calendarId,
      after: { ...result, dates: days.map((d) => `${d.date} ${d.kind}`).slice(0, 100) },
    });
    return result;
  });
}

export function removeDay(db: Db, ctx: AuditContext, calendarId: string, date: string) {
  return db.transaction(async (tx) => {
    await lockCalendar(tx, calendarId);
    const before = await calendarBefore(tx, calendarId);
    const [gone] = await tx
      .delete(slaCalendarDays)
      .where(and(eq(slaCalendarDays.calendarId, calendarId), eq(slaCalendarDays.date, date)))
      .returning();
    if (!gone) throw problems.notFound('Day', 'date');
    await bump(tx, calendarId, ctx.at);
    await recordAudit(tx, ctx, {
      action: 'sla_calendar.day_remove',
      targetType: 'sla_calendar',
      targetId: calendarId,
      before: { date: gone.date, kind: gone.kind, name: gone.name },
      after: null,
    });
    await replanOn(tx, ctx, calendarId, before);
  });
}

export function importIcs(
  db: Db,
  ctx: AuditContext,
  calendarId: string,
  text: string,
  mode: 'merge' | 'replace',
) {
  let parsed: ReturnType<typeof parseIcsDays>;
  try {
    parsed = parseIcsDays(text);
  } catch (err) {
    if (!(err instanceof IcsError)) throw err;
    throw problems.invalid([{ path: 'ics', message: err.message, code: 'invalid_ics' }]);
  }
  return db.transaction(async (tx) => {
    await lockCalendar(tx, calendarId);
    const before = await calendarBefore(tx, calendarId);
    let removed = 0;
    if (mode === 'replace') {
      const keep = parsed.days.map((d) => d.date);
      const gone = await tx
        .delete(slaCalendarDays)
        .where(
          and(
            eq(slaCalendarDays.calendarId, calendarId),
            keep.length ? notInArray(slaCalendarDays.date, keep) : undefined,
          ),
        )
        .returning({ date: slaCalendarDays.date });
      removed = gone.length;
    }
    const result = await upsertDays(tx, calendarId, parsed.days);
    await bump(tx, calendarId, ctx.at);
    const summary = { ...result, removed, skipped: parsed.skipped.slice(0, 100) };
    await recordAudit(tx, ctx, {
      action: 'sla_calendar.import',
      targetType: 'sla_calendar',
      targetId: calendarId,
      after: { mode, ...result, removed, skipped: parsed.skipped.length },
    });
    if (result.added + result.changed + removed > 0) await replanOn(tx, ctx, calendarId, before);
    return summary;
  });
}

export interface ImportYearInput {
  year: number;
  /** bundled: Kefu's shipped China data; ics / json: the text of an uploaded file. */
  source: 'bundled' | 'ics' | 'json';
  text?: string;
  /** merge: add or change the year's dates; replace: the year's days become exactly these. */
  mode: 'merge' | 'replace';
}

/** The days of `year` from the chosen source (422 naming the field when there are none). */
function daysOfYear(input: ImportYearInput) {
  const inYear = (d: CalendarDay) => d.date.startsWith(`${input.year}-`);
  if (input.source === 'bundled') {
    const days = bundledHolidays.days
      .map((d) => ({ date: d.date, kind: d.kind as CalendarDay['kind'], name: d.nameZh }))
      .filter(inYear);
    if (days.length === 0) {
      const years = bundledHolidays.years.join(', ');
      throw problems.invalid([
        {
          path: 'year',
          message: `the bundled holiday data has no ${input.year} (it holds ${years}): import the official notice as an .ics or JSON file`,
          code: 'year_not_bundled',
        },
      ]);
    }
    return { days, skipped: [] };
  }
  const text = input.text ?? '';
  try {
    const parsed =
      input.source === 'ics'
        ? parseIcsDays(text)
        : { days: parseHolidayJson(text), skipped: [] as { summary: string; reason: string }[] };
    const days = parsed.days.filter(inYear);
    if (days.length === 0) {
      throw problems.invalid([
        { path: 'text', message: `the file has no days in ${input.year}`, code: 'year_empty' },
      ]);
    }
    return { days: dedupe(days), skipped: parsed.skipped };
  } catch (err) {
    if (!(err instanceof IcsError || err instanceof HolidayJsonError)) throw err;
    throw problems.invalid([
      { path: 'text', message: err.message, code: `invalid_${input.source}` },
    ]);
  }
}

/**
 * Loads one year of holidays and make-up days in one step (the yearly update): from the
 * bundled data, or an uploaded .ics or JSON file. Only dates of that year are taken; audited,
 * and the clocks on the calendar are re-planned in the same transaction.
 */
export function importYear(db: Db, ctx: AuditContext, calendarId: string, input: ImportYearInput) {
  const { days, skipped } = daysOfYear(input);
  return db.transaction(async (tx) => {
    await lockCalendar(tx, calendarId);
    const before = await calendarBefore(tx, calendarId);
    let removed = 0;
    if (input.mode === 'replace') {
      const gone = await tx
        .delete(slaCalendarDays)
        .where(
          and(
            eq(slaCalendarDays.calendarId, calendarId),
            sql`${slaCalendarDays.date} BETWEEN ${`${input.year}-01-01`} AND ${`${input.year}-12-31`}`,
            notInArray(
              slaCalendarDays.date,
              days.map((d) => d.date),
            ),
          ),
        )
        .returning({ date: slaCalendarDays.date });
      removed = gone.length;
    }
    const result = await upsertDays(tx, calendarId, days);
    await bump(tx, calendarId, ctx.at);
    await recordAudit(tx, ctx, {
      action: 'sla_calendar.import_year',
      targetType: 'sla_calendar',
      targetId: calendarId,
      after: { year: input.year, source: input.source, mode: input.mode, ...result, removed },
    });
    if (result.added + result.changed + removed > 0) await replanOn(tx, ctx, calendarId, before);
    return { year: input.year, ...result, removed, skipped: skipped.slice(0, 100) };
  });
}

export async function exportIcs(db: Db, calendarId: string, now: Date) {
  const [row] = await db.select().from(slaCalendars).where(eq(slaCalendars.id, calendarId));
  if (!row) throw problems.notFound('Calendar', 'id');
  const days = await db
    .select({ date: slaCalendarDays.date, kind: slaCalendarDays.kind, name: slaCalendarDays.name })
    .from(slaCalendarDays)
    .where(eq(slaCalendarDays.calendarId, calendarId))
    .orderBy(asc(slaCalendarDays.date));
  return {
    name: row.name,
    ics: writeIcsDays(days, {
      calendarId,
      calendarName: row.name,
      timeZone: row.timeZone,
      now,
    }),
  };
}

/** Which calendar a team works on (null = the default). */
export function setTeamCalendar(
  db: Db,
  ctx: AuditContext,
  teamId: string,
  calendarId: string | null,
) {
  return db.transaction(async (tx) => {
    const [team] = rowsOf<{ id: string; calendar_id: string | null }>(
      await tx.execute(sql`SELECT id, calendar_id FROM teams WHERE id = ${teamId} FOR UPDATE`),
    );
    if (!team) throw problems.notFound('Team', 'id');
    if (calendarId && !(await findCalendar(tx, calendarId))) {
      throw problems.notFound('Calendar', 'calendarId');
    }
    await tx.execute(
      sql`UPDATE teams SET calendar_id = ${calendarId}, updated_at = ${ctx.at} WHERE id = ${teamId}`,
    );
    await recordAudit(tx, ctx, {
      action: 'team.calendar',
      targetType: 'team',
      targetId: teamId,
      before: { calendarId: team.calendar_id },
      after: { calendarId },
    });
    // The team's tickets now count on the other calendar (null = the default).
    const from = await effectiveCalendarOf(tx, team.calendar_id);
    const to = await effectiveCalendarOf(tx, calendarId);
    if (from && to && from !== to) {
      await replanClocksOn(tx, ctx, {
        calendarId: from,
        before: await calendarBefore(tx, from),
        moveTo: to,
        which: ticketsOfTeam(teamId),
      });
    }
    return { teamId, calendarId };
  });
}
