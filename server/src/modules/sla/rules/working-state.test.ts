import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import holidays from '../data/cn-holidays.json' with { type: 'json' };
import {
  alwaysOpen,
  businessTimeBetween,
  businessTimeLeft,
  isWorkingTime,
  weekdays,
  workingStateAt,
  type BusinessCalendar,
} from './calendar.js';

const H = 3_600_000;
const M = 60_000;
const cst = (local: string) => new Date(`${local}+08:00`).getTime();

const china: BusinessCalendar = weekdays(
  'Asia/Shanghai',
  [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  holidays.days.filter((d) => d.kind === 'holiday').map((d) => d.date),
  holidays.days.filter((d) => d.kind === 'workday').map((d) => d.date),
);
const nightShift: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  weekly: Array.from({ length: 7 }, () => [
    { start: '00:00', end: '06:00' },
    { start: '22:00', end: '24:00' },
  ]),
  holidays: new Set(),
  workdays: new Set(),
};
const never: BusinessCalendar = {
  timeZone: 'UTC',
  weekly: Array.from({ length: 7 }, () => []),
  holidays: new Set(),
  workdays: new Set(),
};

describe('workingStateAt: is a clock ticking now, and until when', () => {
  it.each([
    [
      'Monday 10:00: working until the lunch break',
      '2026-03-02T10:00:00',
      true,
      '2026-03-02T12:00:00',
    ],
    ['lunch: stopped until 13:30', '2026-03-02T12:30:00', false, '2026-03-02T13:30:00'],
    [
      'the first minute of an interval is working',
      '2026-03-02T13:30:00',
      true,
      '2026-03-02T18:00:00',
    ],
    ['18:00 itself is not working', '2026-03-02T18:00:00', false, '2026-03-03T09:00:00'],
    [
      'Friday 18:01: stopped until Monday 09:00',
      '2026-03-06T18:01:00',
      false,
      '2026-03-09T09:00:00',
    ],
    ['National Day: stopped until 8 October', '2026-10-01T10:00:00', false, '2026-10-08T09:00:00'],
    ['a make-up Saturday (调休) works', '2026-10-10T09:30:00', true, '2026-10-10T12:00:00'],
  ])('%s', (_name, local, working, changes) => {
    expect(workingStateAt(cst(local), china)).toEqual({ working, changesAt: cst(changes) });
  });

  it('joins intervals that meet at midnight into one stretch', () => {
    expect(workingStateAt(cst('2026-03-02T23:00:00'), nightShift)).toEqual({
      working: true,
      changesAt: cst('2026-03-03T06:00:00'),
    });
    expect(workingStateAt(cst('2026-03-02T07:00:00'), nightShift)).toEqual({
      working: false,
      changesAt: cst('2026-03-02T22:00:00'),
    });
  });

  it('round the clock never changes; a calendar without working time never starts', () => {
    expect(workingStateAt(cst('2026-03-02T03:00:00'), alwaysOpen('Asia/Shanghai'))).toEqual({
      working: true,
      changesAt: null,
    });
    expect(workingStateAt(0, never)).toEqual({ working: false, changesAt: null });
  });

  it('holds for any instant: the state lasts until changesAt and flips there', () => {
    const from = cst('2025-12-20T00:00:00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 * 60 }), (minutes) => {
        const t = from + minutes * M;
        const { working, changesAt } = workingStateAt(t, china);
        expect(working).toBe(isWorkingTime(t, china));
        expect(changesAt).not.toBeNull();
        expect(isWorkingTime(changesAt!, china)).toBe(!working);
        expect(isWorkingTime(changesAt! - 1, china)).toBe(working);
        // Nothing in between: all working (or none of it).
        expect(businessTimeBetween(t, changesAt!, china)).toBe(working ? changesAt! - t : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('businessTimeLeft', () => {
  it('counts only working time, and overdue time as negative', () => {
    // Friday 17:00 → due Monday 10:00: one hour on Friday and one on Monday.
    expect(businessTimeLeft(cst('2026-03-06T17:00:00'), cst('2026-03-09T10:00:00'), china)).toBe(
      2 * H,
    );
    expect(businessTimeLeft(cst('2026-03-09T10:00:00'), cst('2026-03-06T17:00:00'), china)).toBe(
      -2 * H,
    );
    expect(businessTimeLeft(cst('2026-03-06T20:00:00'), cst('2026-03-06T20:00:00'), china)).toBe(0);
  });
});
