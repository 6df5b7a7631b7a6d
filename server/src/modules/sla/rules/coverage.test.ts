import { describe, expect, it } from 'vitest';
import { addDays, holidayCoverage } from './coverage.js';

const cover = (years: number[], today: string, warnDays = 60) =>
  holidayCoverage({ years, today, warnDays });

describe('addDays', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2026-12-03', 60)).toBe('2027-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', 0)).toBe('2026-01-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('holidayCoverage', () => {
  it('3 December 2026 with data up to 2026: 1 January 2027 is not covered — warn', () => {
    expect(cover([2024, 2025, 2026], '2026-12-03')).toEqual({
      observesHolidays: true,
      coveredUntil: '2026-12-31',
      missingFrom: '2027-01-01',
      missingYear: 2027,
      warn: true,
    });
  });

  it('no warning while the window stays inside covered years', () => {
    expect(cover([2026], '2026-11-01').warn).toBe(false); // 31 Dec is day 60
    expect(cover([2026], '2026-11-02').warn).toBe(true); // 1 Jan 2027 is day 60
    expect(cover([2026, 2027], '2026-12-03')).toMatchObject({
      coveredUntil: '2027-12-31',
      warn: false,
      missingFrom: null,
      missingYear: null,
    });
  });

  it('the number of days is a setting', () => {
    expect(cover([2026], '2026-12-03', 10).warn).toBe(false);
    expect(cover([2026], '2026-12-03', 28).warn).toBe(false); // 31 Dec
    expect(cover([2026], '2026-12-03', 29).warn).toBe(true);
    expect(cover([2026], '2026-01-01', 366).warn).toBe(true);
    expect(cover([2026, 2027], '2026-01-01', 366).warn).toBe(false);
  });

  it('this year without data: missing from today', () => {
    expect(cover([2024, 2025], '2026-03-01')).toEqual({
      observesHolidays: true,
      coveredUntil: null,
      missingFrom: '2026-03-01',
      missingYear: 2026,
      warn: true,
    });
  });

  it('a gap counts: data for a later year does not cover the missing one', () => {
    expect(cover([2026, 2028], '2026-12-03')).toMatchObject({
      coveredUntil: '2026-12-31',
      missingYear: 2027,
      warn: true,
    });
  });

  it('a calendar with no holiday data at all (24×7) is never warned about', () => {
    expect(cover([], '2026-12-03')).toEqual({
      observesHolidays: false,
      coveredUntil: null,
      missingFrom: null,
      missingYear: null,
      warn: false,
    });
  });
});
