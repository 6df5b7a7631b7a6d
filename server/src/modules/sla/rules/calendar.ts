/**
 * Business-time arithmetic over a calendar: a time zone, weekly working intervals (several per
 * day), holidays, and make-up working days (调休 — a Saturday or Sunday that is a working day).
 * Pure functions, no I/O; instants are epoch milliseconds (UTC), calendar days are local
 * 'YYYY-MM-DD' strings in the calendar's zone. Daylight-saving changes are handled by
 * converting every local interval boundary through the zone's rules (via @date-fns/tz).
 */
import { TZDate } from '@date-fns/tz';

/** 'HH:MM' from 00:00 to 24:00. */
export type LocalTime = string;

export interface WorkingInterval {
  start: LocalTime;
  end: LocalTime;
}

export interface BusinessCalendar {
  timeZone: string;
  /** Index 0 = Sunday … 6 = Saturday. */
  weekly: WorkingInterval[][];
  /** Local dates with no working time (statutory holidays, company days off). */
  holidays: ReadonlySet<string>;
  /** Local dates that are working days whatever the weekday (调休 make-up days). */
  workdays: ReadonlySet<string>;
  /** Hours on a make-up day; default: Monday's. */
  makeUpHours?: WorkingInterval[];
}

const DAY_MS = 86_400_000;
/** Ten years of days without a single working minute means the calendar is empty. */
const MAX_DAYS_SCANNED = 3660;

export class EmptyCalendarError extends Error {
  constructor() {
    super('The calendar has no working time in the next ten years');
  }
}

function parseLocalTime(t: LocalTime): [number, number] {
  const m = /^(\d{2}):(\d{2})$/.exec(t);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 24 || min > 59 || (h === 24 && min !== 0))
    throw new Error(`Invalid local time ${t}`);
  return [h, min];
}

/** The local date of an instant in `timeZone`. */
export function localDateOf(instant: number, timeZone: string): string {
  const d = new TZDate(instant, timeZone);
  return ymd(d.getFullYear(), d.getMonth(), d.getDate());
}

function ymd(y: number, m0: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m0 + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function splitDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y!, m! - 1, d!];
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = splitDate(date);
  const t = new Date(Date.UTC(y, m, d) + days * DAY_MS);
  return ymd(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
}

function weekday(date: string): number {
  const [y, m, d] = splitDate(date);
  return new Date(Date.UTC(y, m, d)).getUTCDay();
}

/** The instant of a local wall-clock time on a local date (24:00 = next day's 00:00). */
function instantAt(date: string, time: LocalTime, timeZone: string): number {
  const [h, min] = parseLocalTime(time);
  const [y, m, d] = h === 24 ? splitDate(addDays(date, 1)) : splitDate(date);
  return new TZDate(y, m, d, h === 24 ? 0 : h, min, timeZone).getTime();
}

/**
 * Working intervals per calendar and date, remembered: a calendar is a value (its loader builds
 * a new object when it changes), and converting local times through the zone's rules is the
 * costly part of every computation.
 */
const intervalMemo = new WeakMap<BusinessCalendar, Map<string, readonly [number, number][]>>();
const MEMO_DATES = 20_000;

/** The intervals a calendar works on one local date, as [start, end) instants, in order. */
export function workingIntervalsOn(
  date: string,
  cal: BusinessCalendar,
): readonly [number, number][] {
  let memo = intervalMemo.get(cal);
  if (!memo) intervalMemo.set(cal, (memo = new Map()));
  let intervals = memo.get(date);
  if (!intervals) {
    if (memo.size >= MEMO_DATES) memo.clear();
    intervals = computeIntervalsOn(date, cal);
    memo.set(date, intervals);
  }
  return intervals;
}

function computeIntervalsOn(date: string, cal: BusinessCalendar): [number, number][] {
  if (cal.holidays.has(date)) return [];
  const pattern = cal.workdays.has(date)
    ? (cal.makeUpHours ?? cal.weekly[1] ?? [])
    : (cal.weekly[weekday(date)] ?? []);
  return pattern
    .map((i): [number, number] => [
      instantAt(date, i.start, cal.timeZone),
      instantAt(date, i.end, cal.timeZone),
    ])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
}

/** Working intervals from the local date of `from` onwards, lazily. */
function* intervalsFrom(from: number, cal: BusinessCalendar): Generator<[number, number]> {
  let date = localDateOf(from, cal.timeZone);
  // Start one day early: an interval of yesterday may run past local midnight.
  date = addDays(date, -1);
  for (let scanned = 0, idle = 0; ; scanned++) {
    const intervals = workingIntervalsOn(date, cal);
    idle = intervals.length ? 0 : idle + 1;
    if (idle > MAX_DAYS_SCANNED) throw new EmptyCalendarError();
    for (const interval of intervals) if (interval[1] > from) yield interval;
    date = addDays(date, 1);
  }
}

export function isWorkingTime(instant: number, cal: BusinessCalendar): boolean {
  const date = localDateOf(instant, cal.timeZone);
  return [addDays(date, -1), date].some((d) =>
    workingIntervalsOn(d, cal).some(([s, e]) => instant >= s && instant < e),
  );
}

/** `instant` when it is working time, else the start of the next working interval. */
export function nextWorkingMoment(instant: number, cal: BusinessCalendar): number {
  for (const [s] of intervalsFrom(instant, cal)) return Math.max(s, instant);
  throw new EmptyCalendarError();
}

/**
 * The instant when `durationMs` of working time has elapsed after `start`. Adding zero gives
 * `start` itself (a target due "now"). A result may be the end of an interval (e.g. 18:00).
 */
export function addBusinessTime(start: number, durationMs: number, cal: BusinessCalendar): number {
  if (durationMs < 0) throw new RangeError('durationMs must not be negative');
  if (durationMs === 0) return start;
  let remaining = durationMs;
  for (const [s, e] of intervalsFrom(start, cal)) {
    const from = Math.max(s, start);
    if (remaining <= e - from) return from + remaining;
    remaining -= e - from;
  }
  throw new EmptyCalendarError();
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function businessTimeBetween(from: number, to: number, cal: BusinessCalendar): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [s, e] of intervalsFrom(from, cal)) {
    if (s >= to) break;
    total += Math.min(e, to) - Math.max(s, from);
  }
  return total;
}

const alwaysOpenByZone = new Map<string, BusinessCalendar>();

/** Round-the-clock calendar (24×7); one shared value per zone. */
export function alwaysOpen(timeZone = 'UTC'): BusinessCalendar {
  let cal = alwaysOpenByZone.get(timeZone);
  if (!cal) {
    const allDay = [{ start: '00:00', end: '24:00' }];
    cal = {
      timeZone,
      weekly: Array.from({ length: 7 }, () => allDay),
      holidays: new Set(),
      workdays: new Set(),
    };
    alwaysOpenByZone.set(timeZone, cal);
  }
  return cal;
}

/** Monday–Friday with the given intervals, weekends off. */
export function weekdays(
  timeZone: string,
  intervals: WorkingInterval[],
  holidays: string[] = [],
  workdays: string[] = [],
): BusinessCalendar {
  return {
    timeZone,
    weekly: [[], intervals, intervals, intervals, intervals, intervals, []],
    holidays: new Set(holidays),
    workdays: new Set(workdays),
  };
}

/** How far ahead `workingStateAt` looks for the end of a run of working time (24×7 never ends). */
const CHANGE_HORIZON_MS = 14 * DAY_MS;

export interface WorkingState {
  /** `instant` is inside a working interval. */
  working: boolean;
  /** When that next flips (the end of this working stretch, or the next working moment);
   * null when it does not within two weeks (round the clock) or ever (an empty calendar). */
  changesAt: number | null;
}

/** Whether the calendar is working at `instant`, and until when. Abutting intervals (a day
 * ending at 24:00 and the next starting at 00:00) are one stretch. */
export function workingStateAt(instant: number, cal: BusinessCalendar): WorkingState {
  if (!isWorkingTime(instant, cal)) {
    try {
      return { working: false, changesAt: nextWorkingMoment(instant, cal) };
    } catch (err) {
      if (err instanceof EmptyCalendarError) return { working: false, changesAt: null };
      throw err;
    }
  }
  let end = instant;
  for (const [s, e] of intervalsFrom(instant, cal)) {
    if (s > end) break;
    end = Math.max(end, e);
    if (end - instant > CHANGE_HORIZON_MS) return { working: true, changesAt: null };
  }
  return { working: true, changesAt: end };
}

/** Working time from `now` until `due`; negative when overdue (the working time since due). */
export function businessTimeLeft(now: number, due: number, cal: BusinessCalendar): number {
  return due >= now ? businessTimeBetween(now, due, cal) : -businessTimeBetween(due, now, cal);
}
