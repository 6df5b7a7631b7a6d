/**
 * When to try a failed mail again: exponential back-off from a base delay (doubling per attempt,
 * capped at a day), and giving up once `maxAttempts` attempts have been made.
 */
export type RetryDecision = { giveUp: true } | { giveUp: false; delayMs: number };

const DAY_MS = 86_400_000;

export function retryAfterFailure(
  attemptsMade: number,
  baseSeconds: number,
  maxAttempts: number,
): RetryDecision {
  if (attemptsMade >= maxAttempts) return { giveUp: true };
  const exponent = Math.max(0, attemptsMade - 1);
  return { giveUp: false, delayMs: Math.min(DAY_MS, baseSeconds * 1000 * 2 ** exponent) };
}

/** An SMTP error as kept on the outbox row: one line, no longer than the column allows. */
export function errorSummary(err: unknown): string {
  const text =
    err instanceof Error ? `${err.name}: ${err.message}` : typeof err === 'string' ? err : 'error';
  return text.replace(/\s+/g, ' ').trim().slice(0, 2000) || 'error';
}
