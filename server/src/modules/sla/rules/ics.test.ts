import { describe, expect, it } from 'vitest';
import { IcsError, parseIcsDays, writeIcsDays, type CalendarDay } from './ics.js';

const wrap = (...events: string[][]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...events.flat(), 'END:VCALENDAR'].join(
    '\r\n',
  );
const event = (...lines: string[]) => ['BEGIN:VEVENT', 'UID:x', ...lines, 'END:VEVENT'];

describe('ICS import', () => {
  it('turns all-day ranges into holidays (DTEND exclusive; one day without it; DURATION too)', () => {
    const { days } = parseIcsDays(
      wrap(
        event('DTSTART;VALUE=DATE:20260501', 'DTEND;VALUE=DATE:20260506', 'SUMMARY:劳动节'),
        event('DTSTART;VALUE=DATE:20260619', 'SUMMARY:端午节'),
        event('DTSTART;VALUE=DATE:20261230', 'DURATION:P3D', 'SUMMARY:Year end'),
      ),
    );
    expect(days.map((d) => d.date)).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
    ]);
    expect(days.every((d) => d.kind === 'holiday')).toBe(true);
  });

  it('recognises make-up working days by X-KEFU-KIND, CATEGORIES or the summary', () => {
    const kinds = (...lines: string[]) =>
      parseIcsDays(wrap(event('DTSTART;VALUE=DATE:20261010', ...lines))).days[0]!;
    expect(kinds('SUMMARY:国庆节 补班')).toEqual({
      date: '2026-10-10',
      kind: 'workday',
      name: '国庆节',
    });
    expect(kinds('SUMMARY:调休上班').kind).toBe('workday');
    expect(kinds('SUMMARY:国庆（班）').kind).toBe('workday');
    expect(kinds('SUMMARY:Make-up working day').kind).toBe('workday');
    expect(kinds('SUMMARY:Anything', 'CATEGORIES:HOLIDAY,WORKDAY').kind).toBe('workday');
    expect(kinds('SUMMARY:补班', 'X-KEFU-KIND:holiday').kind).toBe('holiday');
    expect(kinds('SUMMARY:国庆节（休）').kind).toBe('holiday');
    expect(kinds('SUMMARY:Workshop').kind).toBe('holiday'); // "work" alone is not a marker
  });

  it('keeps a make-up day listed inside a holiday range, expands yearly rules, skips timed events', () => {
    const { days, skipped } = parseIcsDays(
      wrap(
        event('DTSTART;VALUE=DATE:20270204', 'DTEND;VALUE=DATE:20270208', 'SUMMARY:春节'),
        event('DTSTART;VALUE=DATE:20270206', 'SUMMARY:春节 补班'),
        event('DTSTART;VALUE=DATE:20250101', 'RRULE:FREQ=YEARLY;COUNT=3', 'SUMMARY:元旦'),
        event('DTSTART:20270301T090000Z', 'SUMMARY:Standup'),
      ),
    );
    expect(days.find((d) => d.date === '2027-02-06')!.kind).toBe('workday');
    expect(days.filter((d) => d.name === '元旦').map((d) => d.date)).toEqual([
      '2025-01-01',
      '2026-01-01',
      '2027-01-01',
    ]);
    expect(skipped).toEqual([{ summary: 'Standup', reason: 'not an all-day event' }]);
  });

  it('bounds endless rules and refuses what is not iCalendar', () => {
    const endless = parseIcsDays(
      wrap(event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY', 'SUMMARY:NY')),
    );
    expect(endless.days.map((d) => d.date).at(-1)).toBe('2035-01-01'); // ten years: 2026–2035
    expect(() => parseIcsDays('not a calendar')).toThrow(IcsError);
    expect(() => parseIcsDays('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD')).toThrow(IcsError);
    const daily = (from: string) =>
      event(`DTSTART;VALUE=DATE:${from}`, 'RRULE:FREQ=DAILY', 'SUMMARY:d');
    expect(parseIcsDays(wrap(daily('20260101'))).days).toHaveLength(3652);
    expect(() => parseIcsDays(wrap(daily('20260101'), daily('20400101')))).toThrow(
      /more than 5000 days/,
    );
  });
});

describe('ICS export', () => {
  const days: CalendarDay[] = [
    { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
    { date: '2026-10-10', kind: 'workday', name: '国庆节' },
    { date: '2026-12-24', kind: 'holiday', name: '' },
    { date: '2026-12-26', kind: 'workday', name: '' },
    { date: '2026-12-31', kind: 'holiday', name: 'Year end, early close; really' },
  ];
  const text = writeIcsDays(days, {
    calendarId: 'c1',
    calendarName: '中国大陆工作日',
    timeZone: 'Asia/Shanghai',
    now: new Date('2026-03-02T02:00:00Z'),
  });

  it('writes RFC 5545: CRLF lines, all-day events, a DTSTAMP from the given clock', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    expect(text).toContain('DTSTART;VALUE=DATE:20261010\r\nDTEND;VALUE=DATE:20261011');
    expect(text).toContain('SUMMARY:国庆节 补班');
    expect(text).toContain('DTSTAMP:20260302T020000Z');
    expect(text).toContain('X-WR-CALNAME:中国大陆工作日');
  });

  it('imports back to exactly the same days', () => {
    expect(parseIcsDays(text)).toEqual({ days, skipped: [] });
  });
});
