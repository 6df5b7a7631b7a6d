/**
 * When the monthly assessment runs (docs/kpi.md, "The monthly job"): on the first working day of
 * a month by the default SLA business calendar, for the month before. Pure: the calendar is
 * passed in.
 */
import { TZDate } from '@date-fns/tz';
import {
  addDays,
  localDateOf,
  workingIntervalsOn,
  type BusinessCalendar,
} from '../../sla/rules/calendar.js';
import { addMonths } from './assessment.js';

/** The first local date of `month` ('YYYY-MM') with working time on the calendar. */
export function firstWorkingDay(month: string, cal: BusinessCalendar): string {
  let date = `${month}-01`;
  for (let i = 0; i < 31 && date.startsWith(month); i++, date = addDays(date, 1)) {
    if (workingIntervalsOn(date, cal).length > 0) return date;
  }
  // A month without a working day (an empty calendar): its first day.
  return `${month}-01`;
}

/**
 * The month due for assessment at `now`: the previous month once the calendar's local date has
 * reached the first working day of the current month; null before it. The job assesses a month
 * at most once, so asking every few minutes is harmless, and a job that was down on the day
 * catches up on any later day of the month.
 */
export function monthDueAt(now: number, cal: BusinessCalendar): string | null {
  const today = localDateOf(now, cal.timeZone);
  const current = today.slice(0, 7);
  return today >= firstWorkingDay(current, cal) ? addMonths(current, -1) : null;
}

/** [start, end) of a month as instants, in `timeZone` (the workspace's, Asia/Shanghai). */
export function monthRange(month: string, timeZone: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(new TZDate(y, m - 1, 1, 0, 0, timeZone).getTime()),
    to: new Date(new TZDate(y, m, 1, 0, 0, timeZone).getTime()),
  };
}
