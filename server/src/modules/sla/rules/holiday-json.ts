/**
 * Reading a year of holidays and make-up working days from a JSON file an administrator
 * uploads. Three shapes are accepted:
 *   - Kefu's own `data/cn-holidays.json`: `{ "days": [{ "date", "kind", "nameZh" | "name" }] }`;
 *   - a plain list of those day objects;
 *   - the `chinese-days` package's `dist/chinese-days.json`:
 *     `{ "holidays": { "2027-01-01": "New Year's Day,元旦,1" }, "workdays": { … } }`.
 * Pure; throws HolidayJsonError with a message for the administrator.
 */
import type { CalendarDay } from './ics.js';

export class HolidayJsonError extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function day(raw: unknown, at: string): CalendarDay {
  if (typeof raw !== 'object' || raw === null) throw new HolidayJsonError(`${at}: not an object`);
  const o = raw as Record<string, unknown>;
  const date = o.date;
  if (typeof date !== 'string' || !DATE.test(date) || Number.isNaN(Date.parse(date)))
    throw new HolidayJsonError(`${at}: date must be YYYY-MM-DD`);
  if (o.kind !== 'holiday' && o.kind !== 'workday')
    throw new HolidayJsonError(`${at}: kind must be holiday or workday`);
  const name = [o.name, o.nameZh, o.nameEn].find((n) => typeof n === 'string') as
    string | undefined;
  return { date, kind: o.kind, name: (name ?? '').trim().slice(0, 100) };
}

function fromTable(table: unknown, kind: CalendarDay['kind']): CalendarDay[] {
  if (table === undefined) return [];
  if (typeof table !== 'object' || table === null)
    throw new HolidayJsonError(`${kind}s must be an object of date → label`);
  return Object.entries(table as Record<string, unknown>).map(([date, label]) => {
    if (!DATE.test(date)) throw new HolidayJsonError(`${kind}s: ${date} is not YYYY-MM-DD`);
    // "English,中文,n": the Chinese name when there is one.
    const parts = typeof label === 'string' ? label.split(',') : [];
    return { date, kind, name: (parts[1] ?? parts[0] ?? '').trim().slice(0, 100) };
  });
}

export function parseHolidayJson(text: string): CalendarDay[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new HolidayJsonError('not valid JSON');
  }
  if (Array.isArray(doc)) return doc.map((d, i) => day(d, `[${i}]`));
  if (typeof doc === 'object' && doc !== null) {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o.days)) return o.days.map((d, i) => day(d, `days[${i}]`));
    if ('holidays' in o || 'workdays' in o)
      return [...fromTable(o.holidays, 'holiday'), ...fromTable(o.workdays, 'workday')];
  }
  throw new HolidayJsonError('expected { days: [...] }, a list of days, or { holidays, workdays }');
}
