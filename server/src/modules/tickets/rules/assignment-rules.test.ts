import { describe, expect, it } from 'vitest';
import {
  firstMatchingRule,
  matchedKeyword,
  pickByStrategy,
  pickRoundRobin,
  ruleMatches,
  type AssignmentRule,
  type RuleSubject,
} from './assignment-rules.js';

const rule = (id: string, more: Partial<AssignmentRule> = {}): AssignmentRule => ({
  id,
  active: true,
  categories: [],
  channels: [],
  customerTiers: [],
  keywords: [],
  ...more,
});

const ticket: RuleSubject = {
  category: 'after_sales',
  channel: 'phone',
  customerTier: 'vip',
  subject: '打印机 卡纸 Error E-12',
  description: '客户说换了硒鼓之后仍然卡纸',
};

describe('ruleMatches', () => {
  it('a rule without criteria matches anything (catch-all)', () => {
    expect(ruleMatches(rule('r'), ticket)).toBe(true);
  });
  it('an inactive rule never matches', () => {
    expect(ruleMatches(rule('r', { active: false }), ticket)).toBe(false);
  });
  const criteria: [keyof AssignmentRule, string[], string[]][] = [
    ['categories', ['complaint', 'after_sales'], ['complaint']],
    ['channels', ['phone'], ['email', 'chat']],
    ['customerTiers', ['vip'], ['regular']],
    ['keywords', ['硒鼓'], ['退款']],
  ];
  for (const [key, hit, miss] of criteria) {
    it(`${key}: any listed value matches, none listed does not`, () => {
      expect(ruleMatches(rule('r', { [key]: hit }), ticket)).toBe(true);
      expect(ruleMatches(rule('r', { [key]: miss }), ticket)).toBe(false);
    });
  }
  it('every non-empty criterion must hold', () => {
    expect(
      ruleMatches(rule('r', { categories: ['after_sales'], channels: ['email'] }), ticket),
    ).toBe(false);
    expect(
      ruleMatches(
        rule('r', { categories: ['after_sales'], channels: ['phone'], keywords: ['卡纸'] }),
        ticket,
      ),
    ).toBe(true);
  });
});

describe('keywords', () => {
  it('ignore case and full-width forms, search subject and description, skip blanks', () => {
    expect(matchedKeyword({ keywords: ['error e-12'] }, ticket)).toBe('error e-12');
    expect(matchedKeyword({ keywords: ['ＥＲＲＯＲ'] }, ticket)).toBe('ＥＲＲＯＲ'); // full-width
    expect(matchedKeyword({ keywords: ['退款', '硒鼓'] }, ticket)).toBe('硒鼓'); // description
    expect(matchedKeyword({ keywords: ['  '] }, ticket)).toBe(''); // blank: no keyword criterion
    expect(matchedKeyword({ keywords: ['退款'] }, ticket)).toBeUndefined();
  });
});

describe('firstMatchingRule', () => {
  it('takes the first match in list order', () => {
    const rules = [
      rule('complaints', { categories: ['complaint'] }),
      rule('vip', { customerTiers: ['vip'] }),
      rule('all'),
    ];
    expect(firstMatchingRule(rules, ticket)?.id).toBe('vip');
    expect(firstMatchingRule(rules, { ...ticket, customerTier: 'regular' })?.id).toBe('all');
    expect(firstMatchingRule(rules.slice(0, 1), ticket)).toBeNull();
    expect(firstMatchingRule([], ticket)).toBeNull();
  });
});

describe('strategies', () => {
  const at = (s: string) => new Date(`2026-11-25T${s}:00Z`);
  const candidates = [
    { id: 'b', load: 5, lastAssignedAt: at('09:00') },
    { id: 'a', load: 1, lastAssignedAt: at('10:00') },
    { id: 'c', load: 1, lastAssignedAt: at('11:00') },
  ];
  it('round robin: assigned longest ago, whatever the load', () => {
    expect(pickRoundRobin(candidates)?.id).toBe('b');
    expect(pickByStrategy('round_robin', candidates)?.id).toBe('b');
  });
  it('round robin: never assigned first, ties by id', () => {
    expect(pickRoundRobin([...candidates, { id: 'z', load: 9, lastAssignedAt: null }])?.id).toBe(
      'z',
    );
    expect(
      pickRoundRobin([
        { id: 'y', load: 0, lastAssignedAt: null },
        { id: 'x', load: 0, lastAssignedAt: null },
      ])?.id,
    ).toBe('x');
  });
  it('least loaded: fewest active tickets, then longest ago', () => {
    expect(pickByStrategy('least_loaded', candidates)?.id).toBe('a');
  });
  it('nobody to pick', () => {
    expect(pickRoundRobin([])).toBeNull();
    expect(pickByStrategy('least_loaded', [])).toBeNull();
  });
});
