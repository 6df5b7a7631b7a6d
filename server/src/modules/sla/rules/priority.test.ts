import { describe, expect, it } from 'vitest';
import { suggestPriority } from './priority.js';

const CATEGORIES = ['consultation', 'complaint', 'product_use', 'after_sales'];
const TIERS = ['L1', 'L2', 'L3'];
const CUSTOMER_TIERS = ['vip', 'regular', 'prospect'];

/** The rule written out once more as a table, for every combination. */
function expected(category: string, tier: string, customerTier: string) {
  let level = tier === 'L3' ? 2 : tier === 'L2' || category === 'complaint' ? 1 : 0;
  if (customerTier === 'vip') level = Math.min(2, level + 1);
  return ['general', 'important', 'urgent'][level];
}

describe('suggestPriority (SPEC 2: urgency, impact, complexity)', () => {
  const all = CATEGORIES.flatMap((c) =>
    TIERS.flatMap((t) => CUSTOMER_TIERS.map((ct) => [c, t, ct] as const)),
  );
  it.each(all)('%s, %s, %s customer', (category, tier, customerTier) => {
    const s = suggestPriority({ category, tier, customerTier });
    expect(s.priority).toBe(expected(category, tier, customerTier));
    // A reason is given exactly when the suggestion is above general.
    expect(s.reasons.length > 0).toBe(s.priority !== 'general');
  });

  it('names its reasons in the order they applied', () => {
    expect(
      suggestPriority({ category: 'consultation', tier: 'L1', customerTier: 'regular' }),
    ).toEqual({ priority: 'general', reasons: [] });
    expect(suggestPriority({ category: 'complaint', tier: 'L1', customerTier: 'vip' })).toEqual({
      priority: 'urgent',
      reasons: ['complaint', 'vip'],
    });
    expect(suggestPriority({ category: 'complaint', tier: 'L2', customerTier: 'regular' })).toEqual(
      { priority: 'important', reasons: ['tier_l2'] },
    );
    expect(suggestPriority({ category: 'complaint', tier: 'L3', customerTier: 'vip' })).toEqual({
      priority: 'urgent',
      reasons: ['tier_l3'],
    });
    expect(suggestPriority({ category: 'product_use', tier: 'L1', customerTier: 'vip' })).toEqual({
      priority: 'important',
      reasons: ['vip'],
    });
  });

  it('unknown values raise nothing', () => {
    expect(suggestPriority({ category: '', tier: 'L9', customerTier: 'gold' }).priority).toBe(
      'general',
    );
  });
});
