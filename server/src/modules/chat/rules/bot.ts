/**
 * The FAQ assistant's decisions (SPEC 8: the bot answers FAQ first, then hands to a person).
 * Pure: the caller searches the knowledge base and applies the outcome.
 */

/** Words that ask for a person (转人工). Matched case-insensitively anywhere in the message. */
const HANDOFF_WORDS = [
  '转人工',
  '人工',
  '真人',
  '客服人员',
  '找客服',
  'talk to a person',
  'human',
  'real person',
  'an agent',
  'operator',
];

export function asksForPerson(text: string): boolean {
  const t = text.toLowerCase();
  return HANDOFF_WORDS.some((w) => t.includes(w));
}

export type BotOutcome =
  | { kind: 'handoff'; reason: 'asked' | 'no_match' | 'misses' }
  | { kind: 'answer' }
  | { kind: 'rephrase' }
  | { kind: 'solved' };

/** What a visitor's question leads to, given how many answers the search found. */
export function onQuestion(text: string, hits: number): BotOutcome {
  if (asksForPerson(text)) return { kind: 'handoff', reason: 'asked' };
  if (hits === 0) return { kind: 'handoff', reason: 'no_match' };
  return { kind: 'answer' };
}

/** "Did this solve it?" — a no counts as a miss; `maxMisses` misses hand over. */
export function onFeedback(solved: boolean, missesBefore: number, maxMisses: number): BotOutcome {
  if (solved) return { kind: 'solved' };
  return missesBefore + 1 >= maxMisses
    ? { kind: 'handoff', reason: 'misses' }
    : { kind: 'rephrase' };
}

/** Whole seconds a conversation has waited in the queue. */
export const waitSeconds = (queuedAt: Date, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - queuedAt.getTime()) / 1000));

/** Whether an agent holding `active` conversations may accept another. */
export const hasCapacity = (active: number, limit: number) => active < limit;
