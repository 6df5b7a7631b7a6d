import { describe, expect, it } from 'vitest';
import { parseHolidayJson } from './holiday-json.js';

describe('parseHolidayJson', () => {
  it("reads Kefu's bundled format", () => {
    const text = JSON.stringify({
      source: 'x',
      years: [2027],
      days: [
        { date: '2027-01-01', kind: 'holiday', nameZh: '元旦', nameEn: "New Year's Day" },
        { date: '2027-02-07', kind: 'workday', nameZh: '春节' },
      ],
    });
    expect(parseHolidayJson(text)).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-07', kind: 'workday', name: '春节' },
    ]);
  });

  it('reads a plain list, name optional', () => {
    expect(
      parseHolidayJson(
        '[{"date":"2027-10-01","kind":"holiday","name":"国庆节"},{"date":"2027-10-09","kind":"workday"}]',
      ),
    ).toEqual([
      { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2027-10-09', kind: 'workday', name: '' },
    ]);
  });

  it("reads the chinese-days package's tables", () => {
    const text = JSON.stringify({
      holidays: { '2026-01-01': "New Year's Day,元旦,1" },
      workdays: { '2026-01-04': "New Year's Day,元旦,1" },
      inLieuDays: { '2026-01-02': 'ignored' },
    });
    expect(parseHolidayJson(text)).toEqual([
      { date: '2026-01-01', kind: 'holiday', name: '元旦' },
      { date: '2026-01-04', kind: 'workday', name: '元旦' },
    ]);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['"text"', /expected/],
    ['{"other": 1}', /expected/],
    ['[{"date":"2027-1-1","kind":"holiday"}]', /\[0\]: date/],
    ['[{"date":"2027-02-30x","kind":"holiday"}]', /\[0\]: date/],
    ['{"days":[{"date":"2027-01-01","kind":"vacation"}]}', /days\[0\]: kind/],
    ['{"days":[1]}', /days\[0\]: not an object/],
    ['{"holidays":{"01/01/2027":"x"}}', /not YYYY-MM-DD/],
    ['{"holidays":[1]}', /not YYYY-MM-DD/],
    ['{"workdays":"x"}', /must be an object/],
  ])('refuses %s', (text, message) => {
    expect(() => parseHolidayJson(text)).toThrow(message);
  });
});
