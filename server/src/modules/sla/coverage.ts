/**
 * Which business calendars run out of holiday data soon (issue 9): for the admin banner, the
 * risk board and the start-up log line. A calendar is warned about when its holidays and
 * make-up days stop within `calendarWarningDays` (SLA settings, default 60) of today in its zone.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import holidays from './data/cn-holidays.json' with { type: 'json' };
import { holidayCoverage, type Coverage } from './rules/coverage.js';
import { getSlaSettings } from './settings.js';

export interface CalendarCoverage extends Coverage {
  id: string;
  name: string;
  timeZone: string;
  isDefault: boolean;
  /** Years with holiday data, ascending. */
  years: number[];
}

export interface CoverageReport {
  warnDays: number;
  /** The years the bundled China holiday data holds (what "import year" can load by itself). */
  bundledYears: number[];
  calendars: CalendarCoverage[];
}

/** YYYY-MM-DD of `now` in `timeZone`. */
export const localDate = (now: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

export async function calendarCoverage(ex: Executor, now: Date): Promise<CoverageReport> {
  const { calendarWarningDays: warnDays } = await getSlaSettings(ex);
  const rows = rowsOf<{
    id: string;
    name: string;
    time_zone: string;
    is_default: boolean;
    years: number[];
  }>(
    await ex.execute(sql`
      SELECT c.id, c.name, c.time_zone, c.is_default,
        ARRAY(
          SELECT y FROM unnest(c.bundled_years) AS y
          UNION SELECT DISTINCT extract(year FROM d.date)::int
            FROM sla_calendar_days d WHERE d.calendar_id = c.id
          ORDER BY 1
        ) AS years
      FROM sla_calendars c
      ORDER BY c.is_default DESC, c.name`),
  );
  return {
    warnDays,
    bundledYears: [...holidays.years],
    calendars: rows.map((r) => {
      const years = (r.years ?? []).map(Number);
      return {
        id: r.id,
        name: r.name,
        timeZone: r.time_zone,
        isDefault: r.is_default,
        years,
        ...holidayCoverage({ years, today: localDate(now, r.time_zone), warnDays }),
      };
    }),
  };
}

/** The start-up log line: one warning per calendar without holiday data for the coming days. */
export async function warnCalendarsRunningOut(
  ex: Executor,
  now: Date,
  log: { warn: (obj: object, msg: string) => void },
): Promise<CalendarCoverage[]> {
  const report = await calendarCoverage(ex, now);
  const warned = report.calendars.filter((c) => c.warn);
  for (const c of warned) {
    log.warn(
      {
        calendarId: c.id,
        calendar: c.name,
        coveredUntil: c.coveredUntil,
        missingFrom: c.missingFrom,
        warnDays: report.warnDays,
      },
      `SLA calendar "${c.name}" has no holiday data from ${c.missingFrom} (within ${report.warnDays} days): ` +
        `days from then count as ordinary weekdays. Import ${c.missingYear} in 管理 → 工作日历 (docs/sla.md).`,
    );
  }
  return warned;
}
