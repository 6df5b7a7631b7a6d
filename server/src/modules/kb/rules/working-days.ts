/**
 * Working-day and review-date arithmetic. Pure. Until the business-calendar engine exists,
 * a working day is Monday–Friday in China Standard Time (UTC+8, no daylight saving).
 */

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
