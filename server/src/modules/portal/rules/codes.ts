/**
 * One-time sign-in codes for customers: 6 digits, stored only as a salted SHA-256, valid for a
 * setting's minutes (default 10), at most a setting's attempts (default 5), used once.
 */
export const CODE_DIGITS = 6;

/** A new code is not mailed while the previous one is younger than this (mail bombing). */
export const RESEND_COOLDOWN_MS = 60_000;

export const isCodeShape = (code: string) => new RegExp(`^\\d{${CODE_DIGITS}}$`).test(code);

/** `n` (0 ≤ n < 10^6, e.g. from crypto.randomInt) as the zero-padded code. */
export const formatCode = (n: number) => String(n).padStart(CODE_DIGITS, '0');

export interface CodeState {
  expiresAt: Date;
  usedAt: Date | null;
  /** Attempts made before this one. */
  attempts: number;
}

export type CodeVerdict = 'ok' | 'wrong' | 'expired' | 'used' | 'exhausted';

/** What one attempt with a code amounts to; `matches` is whether the digits were right. */
export function judgeCode(
  c: CodeState,
  now: Date,
  maxAttempts: number,
  matches: boolean,
): CodeVerdict {
  if (c.usedAt) return 'used';
  if (c.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (c.attempts >= maxAttempts) return 'exhausted';
  return matches ? 'ok' : 'wrong';
}

/** Whether a new code may be mailed now, given when the last one was made. */
export const mayResend = (lastCreatedAt: Date | null, now: Date) =>
  lastCreatedAt === null || now.getTime() - lastCreatedAt.getTime() >= RESEND_COOLDOWN_MS;

/** The customer's email as stored: trimmed, lower case. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** A display name for a customer first seen through the portal: the mailbox name. */
export const nameFromEmail = (email: string) => {
  const local = email.split('@')[0]?.trim() ?? '';
  return (local || email).slice(0, 100);
};
