import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import holidays from '../data/cn-holidays.json' with { type: 'json' };
import {
  addBusinessTime,
  alwaysOpen,
  businessTimeBetween,
  EmptyCalendarError,
  isWorkingTime,
  localDateOf,
  nextWorkingMoment,
  weekdays,
  type BusinessCalendar,
} from './calendar.js';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

/** 一线客服 in Shanghai: 09:00–12:00 and 13:30–18:00, China's holidays and 调休 for 2024–2026. */
const china: BusinessCalendar = weekdays(
  'Asia/Shanghai',
  [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  holidays.days.filter((d) => d.kind === 'holiday').map((d) => d.date),
  holidays.days.filter((d) => d.kind === 'workday').map((d) => d.date),
);
const newYork = weekdays('America/New_York', [{ start: '09:00', end: '17:00' }]);
const berlin24x7 = alwaysOpen('Europe/Berlin');

describe('holiday data', () => {
  it('has 2025 and 2026 with their make-up days', () => {
    const has = (date: string, kind: string) =>
      holidays.days.some((d) => d.date === date && d.kind === kind);
    expect(has('2026-10-01', 'holiday')).toBe(true);
    expect(has('2026-10-10', 'workday')).toBe(true); // Saturday make-up day
    expect(has('2025-01-26', 'workday')).toBe(true); // Sunday before Spring Festival 2025
    expect(has('2026-02-17', 'holiday')).toBe(true);
  });
});

describe('business-time arithmetic (worked examples)', () => {
  it('a complaint received Wednesday 17:50 before National Day is due on 8 October', () => {
    // 4 h plan: 10 min on 30 Sep, then 1–7 Oct are holidays, then 3 h + 50 min on 8 Oct.
    expect(iso(addBusinessTime(at('2026-09-30T17:50:00+08:00'), 4 * H, china))).toBe(
      '2026-10-08T06:20:00.000Z',
    );
  });

  it('counts a 调休 Saturday as a working day', () => {
    expect(iso(addBusinessTime(at('2026-10-09T17:00:00+08:00'), 2 * H, china))).toBe(
      '2026-10-10T02:00:00.000Z',
    );
    expect(isWorkingTime(at('2026-10-10T10:00:00+08:00'), china)).toBe(true);
    expect(isWorkingTime(at('2026-10-17T10:00:00+08:00'), china)).toBe(false); // an ordinary Saturday
  });

  it('crosses the year end onto a Sunday make-up day', () => {
    // 31 Dec 2025 (Wed) 17:00 + 2 h: 1 h that day; 1–3 Jan holidays; Sunday 4 Jan is a working day.
    expect(iso(addBusinessTime(at('2025-12-31T17:00:00+08:00'), 2 * H, china))).toBe(
      '2026-01-04T02:00:00.000Z',
    );
  });

  it('skips the lunch break and the night', () => {
    expect(iso(addBusinessTime(at('2026-03-02T11:30:00+08:00'), 1 * H, china))).toBe(
      '2026-03-02T06:00:00.000Z',
    );
    expect(
      businessTimeBetween(at('2026-03-02T08:00:00+08:00'), at('2026-03-03T08:00:00+08:00'), china),
    ).toBe(7.5 * H);
    expect(iso(nextWorkingMoment(at('2026-03-02T12:10:00+08:00'), china))).toBe(
      '2026-03-02T05:30:00.000Z',
    );
    expect(iso(nextWorkingMoment(at('2026-03-02T10:00:00+08:00'), china))).toBe(
      '2026-03-02T02:00:00.000Z',
    );
  });

  it('handles a 30-second first response inside working hours', () => {
    expect(iso(addBusinessTime(at('2026-03-02T10:00:00+08:00'), 30_000, china))).toBe(
      '2026-03-02T02:00:30.000Z',
    );
  });

  it('is right across daylight-saving changes', () => {
    // Europe/Berlin springs forward on 29 Mar 2026: that local day has 23 hours.
    expect(
      businessTimeBetween(
        at('2026-03-29T00:00:00+01:00'),
        at('2026-03-30T00:00:00+02:00'),
        berlin24x7,
      ),
    ).toBe(23 * H);
    // New York falls back on 1 Nov 2026: Friday 16:00 EDT + 2 h of 09–17 → Monday 10:00 EST.
    expect(iso(addBusinessTime(at('2026-10-30T16:00:00-04:00'), 2 * H, newYork))).toBe(
      '2026-11-02T15:00:00.000Z',
    );
  });

  it('adding zero is the start itself, and an empty calendar is an error', () => {
    const t = at('2026-03-07T10:00:00+08:00');
    expect(addBusinessTime(t, 0, china)).toBe(t);
    const never = weekdays('UTC', []);
    expect(() => addBusinessTime(t, M, never)).toThrow(EmptyCalendarError);
  });
});

const start = fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2026-12-15T00:00:00Z') });
const duration = fc.integer({ min: 0, max: 120 * H });
const calendars = fc.constantFrom(china, newYork, berlin24x7);

describe('business-time arithmetic (properties)', () => {
  it('add then measure round-trips', () => {
    fc.assert(
      fc.property(start, duration, calendars, (s, d, cal) => {
        expect(businessTimeBetween(s, addBusinessTime(s, d, cal), cal)).toBe(d);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic in the duration', () => {
    fc.assert(
      fc.property(start, duration, duration, calendars, (s, a, b, cal) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(s, lo, cal)).toBeLessThanOrEqual(addBusinessTime(s, hi, cal));
      }),
      { numRuns: 300 },
    );
  });

  it('never lands inside a holiday or outside working time', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 120 * H }), (s, d) => {
        const due = addBusinessTime(s, d, china);
        // The last working millisecond before the due time is working time on a non-holiday.
        expect(isWorkingTime(due - 1, china)).toBe(true);
        expect(china.holidays.has(localDateOf(due - 1, china.timeZone))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('measures additively over any split point', () => {
    fc.assert(
      fc.property(start, duration, duration, calendars, (s, a, b, cal) => {
        const mid = s + a;
        const end = mid + b;
        expect(businessTimeBetween(s, end, cal)).toBe(
          businessTimeBetween(s, mid, cal) + businessTimeBetween(mid, end, cal),
        );
      }),
      { numRuns: 200 },
    );
  });
});
