import { describe, expect, it } from 'vitest';
import {
  hanBigrams,
  keepTokens,
  pairsOf,
  queryGroups,
  synonymMap,
  ZH_STOPWORDS,
  ZH_WEAK_WORDS,
} from './query.js';

describe('Chinese stop words', () => {
  it('keep the words that carry a customer question’s meaning', () => {
    for (const w of ['还', '不', '没', '能', '可以', '什么时候', '多久', '多少'])
      expect(ZH_STOPWORDS.has(w), w).toBe(false);
    expect(keepTokens(['花呗', '还', '不', '了', '的', '吗'])).toEqual(['花呗', '还', '不']);
  });

  it('weigh the common meaning-bearing words lightly instead of dropping them', () => {
    expect(ZH_WEAK_WORDS.has('还')).toBe(true);
    expect(ZH_WEAK_WORDS.has('发票')).toBe(false);
  });
});

describe('character bigrams', () => {
  it('pair adjacent Han characters of each run, skipping particles', () => {
    expect(hanBigrams('花呗怎么还')).toEqual(['花呗', '呗怎']);
    expect(hanBigrams('我的花呗 abc 借呗')).toEqual(['花呗', '借呗']);
    expect(hanBigrams('refund')).toEqual([]);
  });
});

describe('pairsOf', () => {
  it('matches any two of the groups, each kept whole in parentheses', () => {
    expect(pairsOf(["'a'", "('b' | 'c')", "'d':*"])).toBe(
      "('a') & (('b' | 'c')) | ('a') & ('d':*) | (('b' | 'c')) & ('d':*)",
    );
    expect(pairsOf(["'a'", "'b'"])).toBe("('a') & ('b')");
    expect(pairsOf(["'a'"])).toBe('');
  });
});

describe("administrators' synonyms", () => {
  it('join the built-in groups, and groups sharing a word become one', () => {
    const map = synonymMap([
      ['储蓄卡', '借记卡'],
      ['借记卡', '银行卡'],
      ['退款', '退费'],
      ['ETC', 'etc卡'],
    ]);
    expect(map.get('银行卡')).toEqual(['储蓄卡', '借记卡', '银行卡']);
    expect(map.get('储蓄卡')).toBe(map.get('银行卡'));
    expect(map.get('退费')).toEqual(['退款', '退钱', '返款', '退费']);
    expect(map.get('etc')).toEqual(['etc', 'etc卡']);
    expect(map.get('refund')).toEqual(['refund', 'money back', 'reimburse']);
    expect(synonymMap([]).get('退费')).toBeUndefined();
  });

  it('a query word is searched as its whole group', () => {
    const map = synonymMap([['储蓄卡', '借记卡']]);
    expect(queryGroups(['借记卡', '账单'], '', map)).toEqual(["('储蓄卡' | '借记卡')", "'账单'"]);
    expect(queryGroups(['借记卡', '账单'])).toEqual(["'借记卡'", "'账单'"]);
  });
});
