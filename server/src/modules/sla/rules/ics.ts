/**
 * ICS (RFC 5545) import and export of a calendar's special days, with ical.js (Mozilla's
 * parser, used by Thunderbird). Pure: text in, days out, and back.
 *
 * Import accepts all-day VEVENTs (DTSTART;VALUE=DATE). Every date from DTSTART up to DTEND
 * (exclusive; one day when DTEND is absent; DURATION works too) becomes one day, and recurring
 * events (RRULE, RDATE, EXDATE) are expanded over ten years from DTSTART. A day is a make-up working day
 * (调休, kind `workday`) when the event carries `X-KEFU-KIND:workday`, a CATEGORIES value
 * `WORKDAY`, `补班` or `上班`, or a SUMMARY containing 补班, 上班, （班）/(班) or "work day" /
 * "workday" / "working day"; otherwise it is a holiday (`X-KEFU-KIND:holiday` forces that).
 * Timed events are skipped and reported. The export writes one all-day VEVENT per day with
 * `X-KEFU-KIND` and `CATEGORIES`, so an export imports back to the same days.
 */
import ICAL from 'ical.js';
import { addDays } from './calendar.js';

export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
}

export interface IcsImport {
  days: CalendarDay[];
  skipped: { summary: string; reason: string }[];
}

export class IcsError extends Error {}

const MAX_DAYS = 5000;
const RECURRENCE_YEARS = 10;
const WORKDAY_SUMMARY = /补班|上班|[（(]班[)）]|\bwork(ing)?[ -]?days?\b/i;
const WORKDAY_CATEGORY = /^(workday|working day|补班|上班)$/i;
/** The marker the export adds to a workday's name, removed again on import. */
const WORKDAY_MARK = '补班';
const WORKDAY_MARK_AT_END = /(^|\s)补班$/;

function kindOf(event: ICAL.Component, summary: string): DayKind {
  const explicit = String(event.getFirstPropertyValue('x-kefu-kind') ?? '').toLowerCase();
  if (explicit === 'workday' || explicit === 'holiday') return explicit;
  const categories = event
    .getAllProperties('categories')
    .flatMap((p) => p.getValues().map((v) => String(v).trim()));
  if (categories.some((c) => WORKDAY_CATEGORY.test(c))) return 'workday';
  return WORKDAY_SUMMARY.test(summary) ? 'workday' : 'holiday';
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (t: ICAL.Time) => `${t.year}-${pad(t.month)}-${pad(t.day)}`;

/** Local dates of an all-day occurrence: start up to end (exclusive), at least one day. */
function datesOf(start: ICAL.Time, end: ICAL.Time | null): string[] {
  const first = dateOf(start);
  const last = end ? dateOf(end) : addDays(first, 1);
  const out = [first];
  for (let d = addDays(first, 1); d < last && out.length <= 366; d = addDays(d, 1)) out.push(d);
  return out;
}

export function parseIcsDays(text: string): IcsImport {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (err) {
    throw new IcsError(`not an iCalendar file: ${err instanceof Error ? err.message : err}`);
  }
  if (root.name !== 'vcalendar') throw new IcsError('not an iCalendar file: no VCALENDAR');
  const byDate = new Map<string, CalendarDay>();
  const skipped: IcsImport['skipped'] = [];
  const add = (day: CalendarDay) => {
    // A make-up day listed inside a holiday range stays a working day.
    if (byDate.get(day.date)?.kind !== 'workday') byDate.set(day.date, day);
    if (byDate.size > MAX_DAYS) throw new IcsError(`more than ${MAX_DAYS} days`);
  };
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const summary = (event.summary ?? '').trim();
    if (!event.startDate) {
      skipped.push({ summary, reason: 'no DTSTART' });
      continue;
    }
    if (!event.startDate.isDate) {
      skipped.push({ summary, reason: 'not an all-day event' });
      continue;
    }
    const kind = kindOf(component, summary);
    const name = (kind === 'workday' ? summary.replace(WORKDAY_MARK_AT_END, '') : summary)
      .trim()
      .slice(0, 100);
    const lengthDays = datesOf(event.startDate, event.endDate).length;
    const starts: ICAL.Time[] = [];
    if (event.isRecurring()) {
      const iterator = event.iterator();
      const lastYear = event.startDate.year + RECURRENCE_YEARS;
      for (let next = iterator.next(); next && next.year < lastYear; next = iterator.next()) {
        starts.push(next);
        if (starts.length > MAX_DAYS) throw new IcsError(`more than ${MAX_DAYS} days`);
      }
    } else {
      starts.push(event.startDate);
    }
    for (const start of starts) {
      const first = dateOf(start);
      for (let i = 0; i < lengthDays; i++) add({ date: addDays(first, i), kind, name });
    }
  }
  const days = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
  return { days, skipped };
}

export interface IcsExportOptions {
  calendarId: string;
  calendarName: string;
  timeZone: string;
  /** DTSTAMP of every event (the injected clock's now). */
  now: Date;
}

const icalDate = (date: string) => ICAL.Time.fromDateString(date);

export function writeIcsDays(days: readonly CalendarDay[], opts: IcsExportOptions): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('prodid', '-//Kefu//SLA calendar//ZH');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  cal.addPropertyWithValue('x-wr-calname', opts.calendarName);
  cal.addPropertyWithValue('x-wr-timezone', opts.timeZone);
  const stamp = ICAL.Time.fromJSDate(opts.now, true);
  for (const day of days) {
    const event = new ICAL.Component('vevent');
    event.addPropertyWithValue('uid', `${day.date}-${opts.calendarId}@kefu`);
    event.addPropertyWithValue('dtstamp', stamp);
    event.addPropertyWithValue('dtstart', icalDate(day.date));
    event.addPropertyWithValue('dtend', icalDate(addDays(day.date, 1)));
    const summary = day.kind === 'workday' ? `${day.name} ${WORKDAY_MARK}`.trim() : day.name;
    if (summary) event.addPropertyWithValue('summary', summary);
    event.addPropertyWithValue('categories', day.kind === 'workday' ? 'WORKDAY' : 'HOLIDAY');
    event.addPropertyWithValue('x-kefu-kind', day.kind);
    event.addPropertyWithValue('transp', 'TRANSPARENT');
    cal.addSubcomponent(event);
  }
  return cal.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}
