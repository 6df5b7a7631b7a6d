/**
 * Assignment rules (SPEC 2: L2 work goes to the responsible team by category, keyword or
 * customer tier). An ordered list; the first active rule that matches wins. Within a rule every
 * non-empty criterion must match, and a criterion matches when the ticket has any of its values
 * (an empty criterion matches anything, so a rule without criteria is a catch-all).
 * Keywords match subject or description as substrings, ignoring case and full-/half-width
 * differences (NFKC), so Chinese keywords need no word boundaries.
 */
import { pickLeastLoaded, type Candidate } from './assignment.js';

export const STRATEGIES = ['round_robin', 'least_loaded'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface AssignmentRule {
  id: string;
  active: boolean;
  categories: readonly string[];
  channels: readonly string[];
  customerTiers: readonly string[];
  keywords: readonly string[];
}

export interface RuleSubject {
  category: string;
  channel: string;
  customerTier: string;
  subject: string;
  description: string;
}

const fold = (s: string) => s.normalize('NFKC').toLocaleLowerCase();

const anyOf = (values: readonly string[], value: string) =>
  values.length === 0 || values.includes(value);

/** Which keyword of `rule` the ticket's text contains (undefined: none; '' : no keywords). */
export function matchedKeyword(rule: Pick<AssignmentRule, 'keywords'>, t: RuleSubject) {
  const words = rule.keywords.map((k) => k.trim()).filter(Boolean);
  if (words.length === 0) return '';
  const text = fold(`${t.subject}\n${t.description}`);
  return words.find((k) => text.includes(fold(k)));
}

export function ruleMatches(rule: AssignmentRule, t: RuleSubject): boolean {
  return (
    rule.active &&
    anyOf(rule.categories, t.category) &&
    anyOf(rule.channels, t.channel) &&
    anyOf(rule.customerTiers, t.customerTier) &&
    matchedKeyword(rule, t) !== undefined
  );
}

/** The first matching rule in list order (the caller passes them ordered by position). */
export function firstMatchingRule<R extends AssignmentRule>(
  rules: readonly R[],
  t: RuleSubject,
): R | null {
  return rules.find((r) => ruleMatches(r, t)) ?? null;
}

/**
 * Round-robin: whoever was assigned longest ago (never assigned first), whatever their load;
 * ties by id so the order is stable.
 */
export function pickRoundRobin(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!best) {
      best = c;
      continue;
    }
    const ct = c.lastAssignedAt?.getTime() ?? -Infinity;
    const bt = best.lastAssignedAt?.getTime() ?? -Infinity;
    if (ct < bt || (ct === bt && c.id < best.id)) best = c;
  }
  return best;
}

export function pickByStrategy(strategy: Strategy, candidates: readonly Candidate[]) {
  return strategy === 'round_robin' ? pickRoundRobin(candidates) : pickLeastLoaded(candidates);
}
