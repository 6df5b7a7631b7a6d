/**
 * Working-day and review-date arithmetic. Pure. Working days come from a business calendar
 * (the SLA engine's: holidays and 调休 make-up days included); without one — a workspace whose
 * calendars are not seeded yet — a working day is Monday–Friday in China Standard Time.
 */
import { TZDate } from '@date-fns/tz';
import {
  addDays,
  localDateOf,
  workingIntervalsOn,
  type BusinessCalendar,
} from '../../sla/rules/calendar.js';

export const CHINA_OFFSET_MINUTES = 480;

const DAY = 86_400_000;

/** `from` plus `days` working days (Mon–Fri), keeping the time of day. */
export function addWorkingDays(
  from: Date,
  days: number,
  offsetMinutes = CHINA_OFFSET_MINUTES,
): Date {
  const offset = offsetMinutes * 60_000;
  let local = from.getTime() + offset;
  let left = days;
  while (left > 0) {
    local += DAY;
    const weekday = new Date(local).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date(local - offset);
}

/** Ten years without a working day: the calendar is empty, stop looking. */
const MAX_DAYS_SCANNED = 3660;

/**
 * `from` plus `days` working days of `cal`, at the same local time of day: a working day is a
 * local date with any working time (a holiday is none, a 调休 Saturday is one). Null when the
 * calendar has no working day in ten years.
 */
export function addCalendarWorkingDays(
  from: Date,
  days: number,
  cal: BusinessCalendar,
): Date | null {
  let date = localDateOf(from.getTime(), cal.timeZone);
  let left = days;
  for (let scanned = 0; left > 0; scanned += 1) {
    if (scanned > MAX_DAYS_SCANNED) return null;
    date = addDays(date, 1);
    if (workingIntervalsOn(date, cal).length > 0) left -= 1;
  }
  const local = new TZDate(from.getTime(), cal.timeZone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(
    new TZDate(
      y,
      m - 1,
      d,
      local.getHours(),
      local.getMinutes(),
      local.getSeconds(),
      local.getMilliseconds(),
      cal.timeZone,
    ).getTime(),
  );
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, offsetMinutes = CHINA_OFFSET_MINUTES): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date plus whole months, clamped to the month's last day (Jan 31 + 1 → Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/** Next scheduled review of an article published (or reviewed) at `at`. */
export function nextReviewDate(at: Date, intervalMonths: number): string {
  return addMonths(localDate(at), intervalMonths);
}

/** Whether a review date has come (on the date itself it is due). */
export function isDue(nextReviewAt: string | null, now: Date): boolean {
  return nextReviewAt !== null && nextReviewAt <= localDate(now);
}
