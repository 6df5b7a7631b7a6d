import { describe, expect, it } from 'vitest';
import { bm25fScore, DEFAULT_BM25F_POLICY, type FieldTokens } from './bm25f.js';

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
