/**
 * Peak windows for the connection rate (SPEC 8: ≥ 85 % "at peak"): times of day on given ISO
 * weekdays (1 = Monday … 7 = Sunday) in the workspace time zone, e.g. 09:00–11:00 Mon–Fri.
 * `inPeak` decides one instant; `peakSql` is the same test as a SQL condition for aggregates.
 */
import { sql, type SQL } from 'drizzle-orm';

export interface PeakWindowRule {
  start: string;
  end: string;
  days?: number[];
}

export const WORKDAYS = [1, 2, 3, 4, 5];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Field errors of a list of windows (format, start before end, weekdays 1–7). */
export function peakWindowErrors(windows: readonly PeakWindowRule[]) {
  const errors: { path: string; message: string }[] = [];
  windows.forEach((w, i) => {
    if (!HHMM.test(w.start)) errors.push({ path: `peakWindows.${i}.start`, message: 'HH:MM' });
    if (!HHMM.test(w.end)) errors.push({ path: `peakWindows.${i}.end`, message: 'HH:MM' });
    if (HHMM.test(w.start) && HHMM.test(w.end) && w.start >= w.end)
      errors.push({ path: `peakWindows.${i}.end`, message: 'must be after the start' });
    if (
      w.days &&
      (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    )
      errors.push({ path: `peakWindows.${i}.days`, message: 'ISO weekdays 1–7, at least one' });
  });
  return errors;
}

/** Local weekday (1–7) and "HH:MM" of an instant in a time zone. */
export function localClock(ms: number, timeZone: string): { day: number; hhmm: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day, hhmm: `${get('hour')}:${get('minute')}` };
}

/** Whether an instant falls in one of the windows (start inclusive, end exclusive). */
export function inPeak(ms: number, windows: readonly PeakWindowRule[], timeZone: string): boolean {
  const { day, hhmm } = localClock(ms, timeZone);
  return windows.some((w) => (w.days ?? WORKDAYS).includes(day) && hhmm >= w.start && hhmm < w.end);
}

/** The same test over a timestamptz column (false when there are no windows). */
export function peakSql(column: SQL, windows: readonly PeakWindowRule[], timeZone: string): SQL {
  if (windows.length === 0) return sql`false`;
  const local = sql`(${column} AT TIME ZONE ${timeZone})`;
  const parts = windows.map(
    (w) =>
      sql`(extract(isodow FROM ${local})::int = ANY(${`{${(w.days ?? WORKDAYS).join(',')}}`}::int[])
        AND ${local}::time >= ${w.start}::time AND ${local}::time < ${w.end}::time)`,
  );
  return sql`(${sql.join(parts, sql` OR `)})`;
}

/** Connection rate in percent (two decimals), null with no calls offered. */
export function connectionRate(answered: number, offered: number): number | null {
  return offered > 0 ? Math.round((answered / offered) * 10_000) / 100 : null;
}
