import { COMPLAINT, type Tier } from './vocabulary.js';

/**
 * The tier a new ticket gets (SPEC 2): what the agent chose, else the category's configured
 * default, else L3 for complaints (green channel) and L1 for everything else.
 */
export function defaultTier(
  category: string,
  requested?: Tier | null,
  categoryDefault?: Tier | null,
): Tier {
  if (requested) return requested;
  if (categoryDefault) return categoryDefault;
  return category === COMPLAINT ? 'L3' : 'L1';
}

/** L3 tickets (complaints, major disputes) go to the green channel (绿色通道) at once. */
export const isGreenChannel = (tier: Tier) => tier === 'L3';

/** Supervisors are told when a ticket becomes L3 — on creation or by a later change. */
export const escalatesToGreenChannel = (before: Tier | null, after: Tier) =>
  after === 'L3' && before !== 'L3';
