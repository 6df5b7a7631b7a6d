import { describe, expect, it } from 'vitest';
import { searchTsQuery } from './search-terms.js';
import { slaRisk } from './sla-risk.js';

const at = (s: string) => new Date(`2026-03-02T${s}Z`);

describe('slaRisk', () => {
  const due = at('10:00:00');
  const warn = at('09:00:00');
  it.each([
    ['08:59:59', 'ok'],
    ['09:00:00', 'warning'],
    ['09:59:59', 'warning'],
    ['10:00:00', 'breached'],
    ['23:00:00', 'breached'],
  ])('at %s it is %s', (now, risk) => {
    expect(slaRisk(due, warn, at(now))).toBe(risk);
  });
  it('is null without a running clock, and never warns without a warning time', () => {
    expect(slaRisk(null, warn, at('12:00:00'))).toBeNull();
    expect(slaRisk(null, null, at('12:00:00'))).toBeNull();
    expect(slaRisk(due, null, at('09:30:00'))).toBe('ok');
    expect(slaRisk(due, null, at('10:00:00'))).toBe('breached');
  });
});

describe('searchTsQuery', () => {
  it.each([
    ['退款', "'退款'"],
    ['退款申请', "'退款' & '款申' & '申请'"],
    ['退', "'退':*"],
    ['iPhone 退款', "'退款' & 'iphone':*"],
    ['KF-2026-000123', "'kf':* & '2026':* & '000123':*"],
    ['退款退款', "'退款' & '款退'"],
    ['张 三', "'张':* & '三':*"],
  ])('%s → %s', (q, tsq) => {
    expect(searchTsQuery(q)).toBe(tsq);
  });
  it('has no term for punctuation only, and skips words the index splits', () => {
    expect(searchTsQuery('%_-!')).toBeNull();
    expect(searchTsQuery('')).toBeNull();
    expect(searchTsQuery('x'.repeat(41))).toBeNull();
    expect(searchTsQuery(`${'x'.repeat(41)} ab`)).toBe("'ab':*");
  });
  it('quotes nothing that could break out of a lexeme', () => {
    expect(searchTsQuery("it's")).toBe("'it':* & 's':*");
  });
});
