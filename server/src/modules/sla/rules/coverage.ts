/**
 * "Calendars run out silently": whether a business calendar has holiday data for the coming
 * days. China's statutory holidays are published a year at a time, so data is counted by
 * calendar year: a year is covered when the calendar has at least one holiday or make-up day in
 * it (or the bundled data of that year was loaded). Pure.
 */

export interface CoverageInput {
  /** Years with any special day, or loaded from the bundled data. */
  years: readonly number[];
  /** Today in the calendar's time zone, YYYY-MM-DD. */
  today: string;
  /** How many days ahead must be covered (the `calendarWarningDays` setting). */
  warnDays: number;
}

export interface Coverage {
  /** False for a calendar with no holiday data at all (e.g. 24×7): it is never warned about. */
  observesHolidays: boolean;
  /** The last day of the run of covered years starting this year; null when this year is not. */
  coveredUntil: string | null;
  /** The first day without data inside the window (today … today + warnDays), if any. */
  missingFrom: string | null;
  /** The first year without data inside the window (the one to import). */
  missingYear: number | null;
  warn: boolean;
}

/** YYYY-MM-DD plus `days` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

export function holidayCoverage({ years, today, warnDays }: CoverageInput): Coverage {
  const have = new Set(years);
  const thisYear = Number(today.slice(0, 4));
  let last = thisYear - 1;
  while (have.has(last + 1)) last += 1;
  const coveredUntil = last >= thisYear ? `${last}-12-31` : null;
  const windowEnd = addDays(today, warnDays);
  const observesHolidays = have.size > 0;
  const missingYear = observesHolidays && Number(windowEnd.slice(0, 4)) > last ? last + 1 : null;
  const missingFrom =
    missingYear === null ? null : missingYear === thisYear ? today : `${missingYear}-01-01`;
  return { observesHolidays, coveredUntil, missingFrom, missingYear, warn: missingYear !== null };
}
