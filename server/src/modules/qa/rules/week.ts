/** Weeks of the QA sample: Monday-to-Sunday in the workspace time zone. Pure. */
import { addDays, localDateOf } from '../../sla/rules/calendar.js';

/** The Monday (YYYY-MM-DD) of the week holding `date`. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

/** The Monday of the week before the one holding `instant` (the week the job samples). */
export function previousWeekAt(instant: number, timeZone: string): string {
  return addDays(mondayOf(localDateOf(instant, timeZone)), -7);
}

/** Whether the weekly job is due at `instant`: on or after the configured weekday and hour. */
export function jobDueAt(
  instant: number,
  timeZone: string,
  weekday: number,
  hour: number,
): boolean {
  const date = localDateOf(instant, timeZone);
  const monday = mondayOf(date);
  const dayIndex = Math.round((Date.parse(date) - Date.parse(monday)) / 86_400_000) + 1; // 1 = Monday
  const localHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(
      instant,
    ),
  );
  return dayIndex > weekday || (dayIndex === weekday && localHour >= hour);
}
