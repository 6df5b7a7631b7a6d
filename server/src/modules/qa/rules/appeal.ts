/**
 * Appeal deadlines (SPEC chapter 7), pure: an agent may appeal until the end of the Nth working
 * day after the day the evaluation was published, by the business calendar (holidays and
 * make-up workdays included). A calendar with no working days at all falls back to calendar days.
 */
import { TZDate } from '@date-fns/tz';
import {
  addDays,
  localDateOf,
  workingIntervalsOn,
  type BusinessCalendar,
} from '../../sla/rules/calendar.js';

const SCAN_LIMIT = 400;

/** The local date that is the Nth working day after `from`'s local date. */
export function nthWorkingDayAfter(from: number, n: number, cal: BusinessCalendar): string {
  let date = localDateOf(from, cal.timeZone);
  const start = date;
  let found = 0;
  for (let i = 0; i < SCAN_LIMIT && found < n; i++) {
    date = addDays(date, 1);
    if (workingIntervalsOn(date, cal).length > 0) found += 1;
  }
  return found < n ? addDays(start, n) : date;
}

/** The instant the appeal window closes: the end (local midnight) of the Nth working day after. */
export function appealDeadline(publishedAt: number, n: number, cal: BusinessCalendar): number {
  const last = nthWorkingDayAfter(publishedAt, n, cal);
  return midnightAfter(last, cal.timeZone);
}

/** The instant of local midnight at the end of `date` in the time zone. */
export function midnightAfter(date: string, timeZone: string): number {
  const [y, m, d] = addDays(date, 1).split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 0, 0, timeZone).getTime();
}

export function canAppeal(now: number, deadline: number): boolean {
  return now < deadline;
}
