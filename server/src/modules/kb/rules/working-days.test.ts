import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../sla/rules/calendar.js';
import {
  addCalendarWorkingDays,
  addMonths,
  addWorkingDays,
  isDue,
  localDate,
  nextReviewDate,
} from './working-days.js';

const office = [{ start: '09:00', end: '18:00' }];
/** Mon–Fri office hours in Shanghai with 2026's Qingming holiday (Sat 4 – Mon 6 April). */
const china: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  weekly: [[], office, office, office, office, office, []],
  holidays: new Set(['2026-04-04', '2026-04-05', '2026-04-06']),
  workdays: new Set(['2026-02-28']),
};
const at = (iso: string) => new Date(iso);

describe('addWorkingDays (Monday–Friday fallback, China time)', () => {
  it('skips weekends and keeps the time of day', () => {
    // Friday 10:00 CST + 1 = Monday 10:00.
    expect(addWorkingDays(at('2026-03-06T02:00:00Z'), 1).toISOString()).toBe(
      '2026-03-09T02:00:00.000Z',
    );
    expect(addWorkingDays(at('2026-03-02T02:00:00Z'), 30).toISOString()).toBe(
      '2026-04-13T02:00:00.000Z',
    );
  });

  it('counts from the local date: Friday 17:00 UTC is Saturday 01:00 CST → Monday 01:00 CST', () => {
    expect(addWorkingDays(at('2026-03-06T17:00:00Z'), 1).toISOString()).toBe(
      '2026-03-08T17:00:00.000Z',
    );
  });
});

describe('addCalendarWorkingDays', () => {
  it('skips holidays of the calendar (30 working days from 2 March 2026 → 14 April)', () => {
    expect(addCalendarWorkingDays(at('2026-03-02T02:00:00Z'), 30, china)?.toISOString()).toBe(
      '2026-04-14T02:00:00.000Z',
    );
  });

  it('counts a make-up working Saturday (调休)', () => {
    // Friday 27 Feb + 1 working day = Saturday 28 Feb, a make-up day.
    expect(addCalendarWorkingDays(at('2026-02-27T02:00:00Z'), 1, china)?.toISOString()).toBe(
      '2026-02-28T02:00:00.000Z',
    );
  });

  it('keeps the local time of day even outside working hours', () => {
    // Sunday 23:30 CST + 1 working day = Monday 23:30 CST.
    expect(addCalendarWorkingDays(at('2026-03-08T15:30:00Z'), 1, china)?.toISOString()).toBe(
      '2026-03-09T15:30:00.000Z',
    );
  });

  it('uses the calendar time zone', () => {
    const utc: BusinessCalendar = { ...china, timeZone: 'UTC', holidays: new Set() };
    // Friday 20:00 UTC (already Saturday in Shanghai) + 1 = Monday 20:00 UTC.
    expect(addCalendarWorkingDays(at('2026-03-06T20:00:00Z'), 1, utc)?.toISOString()).toBe(
      '2026-03-09T20:00:00.000Z',
    );
  });

  it('answers null for a calendar without any working day', () => {
    const closed: BusinessCalendar = { ...china, weekly: [[], [], [], [], [], [], []] };
    expect(addCalendarWorkingDays(at('2026-03-02T02:00:00Z'), 1, closed)).toBeNull();
  });

  it('zero days is the same instant', () => {
    expect(addCalendarWorkingDays(at('2026-03-02T02:00:00Z'), 0, china)?.toISOString()).toBe(
      '2026-03-02T02:00:00.000Z',
    );
  });
});

describe('review dates', () => {
  it('adds months clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-05-15', 12)).toBe('2027-05-15');
  });

  it('takes the local date in China time and says when a review is due', () => {
    expect(localDate(at('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(nextReviewDate(at('2026-03-01T16:30:00Z'), 3)).toBe('2026-06-02');
    expect(isDue('2026-06-02', at('2026-06-01T16:00:00Z'))).toBe(true);
    expect(isDue('2026-06-02', at('2026-06-01T15:59:59Z'))).toBe(false);
    expect(isDue(null, at('2030-01-01T00:00:00Z'))).toBe(false);
  });
});
