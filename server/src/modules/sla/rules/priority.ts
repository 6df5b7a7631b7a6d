/**
 * SPEC 2 "priority by urgency, impact and complexity": the priority Kefu suggests for a new
 * ticket from its category, tier and the customer's tier. Only a suggestion — the agent chooses.
 * Pure; the new-ticket form asks `GET /sla/priority-suggestion` while it is filled in.
 *
 *   start at general;
 *   L2 (complex question, fault report)  → at least important;
 *   L3 (major dispute, green channel)    → urgent;
 *   complaint                            → at least important;
 *   VIP customer                         → one step up (general → important → urgent).
 */
export type SuggestedPriority = 'urgent' | 'important' | 'general';
export type PriorityReason = 'tier_l2' | 'tier_l3' | 'complaint' | 'vip';

export interface PrioritySuggestion {
  priority: SuggestedPriority;
  /** Why, in the order the steps applied; empty = nothing raised it. */
  reasons: PriorityReason[];
}

const LADDER: SuggestedPriority[] = ['general', 'important', 'urgent'];

export function suggestPriority(facts: {
  category: string;
  tier: string;
  customerTier: string;
}): PrioritySuggestion {
  let level = 0;
  const reasons: PriorityReason[] = [];
  const atLeast = (l: number, reason: PriorityReason) => {
    if (l > level) {
      level = l;
      reasons.push(reason);
    }
  };
  if (facts.tier === 'L3') atLeast(2, 'tier_l3');
  if (facts.tier === 'L2') atLeast(1, 'tier_l2');
  if (facts.category === 'complaint') atLeast(1, 'complaint');
  if (facts.customerTier === 'vip' && level < 2) {
    level += 1;
    reasons.push('vip');
  }
  return { priority: LADDER[level]!, reasons };
}
