import { describe, expect, it } from 'vitest';
import {
  bm25fScore,
  charScore,
  DEFAULT_BM25F_POLICY,
  DEFAULT_CHAR_POLICY,
  queryChars,
  type CharPolicy,
  type FieldTokens,
} from './bm25f.js';

const means = { title: 4, tags: 2, body: 40 };
const doc = (title: string, body: string, tags = ''): FieldTokens => ({
  title: title ? title.split(' ') : [],
  tags: tags ? tags.split(' ') : [],
  body: body ? body.split(' ') : [],
});
const term = (alternatives: string[], weight = 1, prefix = false) => ({
  alternatives,
  prefix,
  weight,
});

describe('bm25fScore', () => {
  it('counts a word in the title above the same word in the body', () => {
    const q = [term(['还款'])];
    expect(bm25fScore(doc('花呗 还款', 'x y'), q, means)).toBeGreaterThan(
      bm25fScore(doc('花呗 利息', '还款 y'), q, means),
    );
  });

  it('saturates repeated occurrences: a long body repeating one word does not win', () => {
    const q = [term(['额度']), term(['提高'])];
    const repeated = doc('额度 说明', Array(30).fill('额度').join(' '));
    const both = doc('提高 额度', '额度 提高');
    expect(bm25fScore(both, q, means)).toBeGreaterThan(bm25fScore(repeated, q, means));
  });

  it('matches synonyms as one term and one-character words as prefixes', () => {
    expect(bm25fScore(doc('退钱', ''), [term(['退款', '退钱'])], means)).toBeGreaterThan(0);
    expect(bm25fScore(doc('还款 方式', ''), [term(['还'], 1, true)], means)).toBeGreaterThan(0);
    expect(bm25fScore(doc('还款 方式', ''), [term(['还'], 1, false)], means)).toBe(0);
  });

  it('scales with the term weight and ignores fields weighted zero', () => {
    const q1 = [term(['发票'], 1)];
    const q2 = [term(['发票'], 2)];
    const d = doc('发票', '');
    expect(bm25fScore(d, q2, means)).toBeCloseTo(2 * bm25fScore(d, q1, means));
    const noTags = {
      ...DEFAULT_BM25F_POLICY,
      weights: { ...DEFAULT_BM25F_POLICY.weights, tags: 0 },
    };
    expect(bm25fScore(doc('', '', '发票'), q1, means, noTags)).toBe(0);
  });
});

describe('queryChars', () => {
  it('keeps distinct topical Han characters in order, folds 帐 into 账, drops stop characters', () => {
    expect(queryChars('我的帐单怎么查账单')).toEqual(['账', '单', '怎', '查']);
    expect(queryChars('hello 123')).toEqual([]);
  });
});

describe('charScore', () => {
  const ratio = { title: 1, body: 1 };
  const d = (title: string, body = '', lengthRatio = ratio) => ({ title, body, lengthRatio });
  const chars = (q: string, idf: Record<string, number> = {}) =>
    queryChars(q).map((char) => ({ char, idf: idf[char] ?? 1 }));
  const only = (p: Partial<CharPolicy>): CharPolicy => ({
    ...DEFAULT_CHAR_POLICY,
    weight: 0,
    cover: 0,
    precision: 0,
    dice: 0,
    ...p,
  });

  it('is zero for a query without topical characters', () => {
    expect(charScore(d('花呗还款'), [])).toBe(0);
    expect(charScore(d('我的还款', '我的'), chars('我的吗'))).toBe(0);
  });

  it('rewards a title sharing the rewording’s characters though not its words', () => {
    // 冻住 is not 冻结, but the characters 冻 and 卡 are shared.
    const q = chars('银行卡冻住了');
    expect(charScore(d('银行卡冻结怎么办'), q)).toBeGreaterThan(
      charScore(d('银行卡挂失怎么办'), q),
    );
  });

  it('counts idf-weighted title coverage, precision and Dice as the policy says', () => {
    const q = chars('还款方式', { 还: 3, 款: 1, 方: 1, 式: 1 });
    expect(charScore(d('还款'), q, only({ cover: 1 }))).toBeCloseTo(4 / 6);
    // title {还, 款, 方, 式}, query {还, 款}: precision 2 / 4, Dice 2·2 / (2 + 4)
    expect(charScore(d('还款方式'), chars('还款'), only({ precision: 1 }))).toBeCloseTo(0.5);
    expect(charScore(d('还款方式'), chars('还款'), only({ dice: 1 }))).toBeCloseTo(4 / 6);
  });

  it('weighs rare characters more, saturates repetitions and normalises by body length', () => {
    const body = only({ weight: 1 });
    const q = chars('利息');
    const once = charScore(d('x', '利息'), q, body);
    const many = charScore(d('x', '利息'.repeat(50)), q, body);
    expect(many).toBeGreaterThan(once);
    // Saturation: a character adds at most idf × (k1 + 1), however often it repeats.
    expect(many).toBeLessThan(2 * (DEFAULT_CHAR_POLICY.k1 + 1));
    expect(charScore(d('x', '利息', { title: 1, body: 4 }), q, body)).toBeLessThan(once);
    expect(charScore(d('x', '利'), chars('利息', { 利: 5 }), body)).toBeGreaterThan(
      charScore(d('x', '息'), chars('利息', { 利: 5 }), body),
    );
  });
});
