import { describe, expect, it } from 'vitest';
import { evidenceBonus } from './evidence.js';

const row = (term: string, articleId: string, hits: number, spread: number) => ({
  term,
  articleId,
  hits,
  spread,
  articles: 100,
});

describe('evidence from use', () => {
  it('weighs a term used for few articles above one used for many, and caps the bonus', () => {
    const bonus = evidenceBonus(
      [row('晚还', 'overdue', 3, 2), row('晚还', 'repay', 1, 2), row('花呗', 'repay', 5, 60)],
      () => 1,
      { weight: 0.2, saturation: 4, k: 1 },
    );
    expect(bonus.get('overdue')!).toBeGreaterThan(bonus.get('repay')!);
    const many = evidenceBonus(
      Array.from({ length: 20 }, (_, i) => row(`t${i}`, 'a', 100, 1)),
      () => 1,
      { weight: 0.2, saturation: 4, k: 1 },
    );
    expect(many.get('a')).toBe(0.2);
  });
});
