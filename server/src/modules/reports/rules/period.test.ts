import { describe, expect, it } from 'vitest';
import { lastCompletePeriod, monthsOfPeriod, periodKind, quarterOf } from './period.js';
import { analyseRepeats } from './repeats.js';
import { maskName, normaliseSubject } from './subject.js';

describe('report periods', () => {
  it('lists the months of a month and a quarter', () => {
    expect(monthsOfPeriod('2026-03')).toEqual(['2026-03']);
    expect(monthsOfPeriod('2026-Q1')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(monthsOfPeriod('2026-Q4')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(periodKind('2026-Q2')).toBe('quarter');
    expect(periodKind('2026-05')).toBe('month');
    expect(quarterOf('2026-05')).toBe('2026-Q2');
  });
  it('finds the last complete month and quarter', () => {
    expect(lastCompletePeriod('month', '2026-01-01')).toBe('2025-12');
    expect(lastCompletePeriod('month', '2026-07-31')).toBe('2026-06');
    expect(lastCompletePeriod('quarter', '2026-01-15')).toBe('2025-Q4');
    expect(lastCompletePeriod('quarter', '2026-03-31')).toBe('2025-Q4');
    expect(lastCompletePeriod('quarter', '2026-04-01')).toBe('2026-Q1');
    expect(lastCompletePeriod('quarter', '2026-12-31')).toBe('2026-Q3');
  });
});

describe('subject patterns', () => {
  it('drops reply prefixes, numbers, punctuation and case', () => {
    expect(normaliseSubject('Re: 订单 12345 未发货！')).toBe('订单 # 未发货');
    expect(normaliseSubject('回复：订单 998 未发货')).toBe('订单 # 未发货');
    expect(normaliseSubject('FW: RE: Invoice #77 missing')).toBe('invoice # missing');
    expect(normaliseSubject('【紧急】宽带 断网')).toBe('宽带 断网');
    expect(normaliseSubject('  ')).toBe('');
  });
  it('masks names', () => {
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('Li')).toBe('L*');
    expect(maskName('')).toBe('*');
  });
});

describe('repeat problems', () => {
  const day = 86_400_000;
  const row = (id: string, customerId: string, pattern: string, d: number, inPeriod = true) => ({
    id,
    customerId,
    pattern,
    at: d * day,
    inPeriod,
  });
  it('counts a ticket repeating within the window by customer and by subject', () => {
    const a = analyseRepeats(
      [
        row('p', 'c1', 'x', 0, false), // before the period: opens the window only
        row('a', 'c1', 'y', 5), // c1 again after 5 days: customer repeat
        row('b', 'c2', 'y', 6), // pattern y again after 1 day: subject repeat
        row('c', 'c2', 'z', 20), // c2 after 14 days: outside 7 days
        row('d', 'c3', '', 20.5), // empty pattern never repeats
        row('e', 'c3', '', 27.5), // c3 after exactly 7 days: inside
      ],
      7,
    );
    expect(a.received).toBe(5);
    expect(a.repeatTickets).toBe(3);
    expect(a.ids.customer.get('c1')).toEqual(['a']);
    expect(a.ids.customer.get('c3')).toEqual(['e']);
    expect(a.ids.subject.get('y')).toEqual(['b']);
    expect(a.groups.customer).toEqual([
      { key: 'c3', repeats: 1, tickets: 2 },
      { key: 'c1', repeats: 1, tickets: 1 },
    ]);
    expect(a.groups.subject).toEqual([{ key: 'y', repeats: 1, tickets: 2 }]);
  });
  it('is empty for no rows', () => {
    expect(analyseRepeats([], 7)).toMatchObject({ received: 0, repeatTickets: 0 });
  });
});
