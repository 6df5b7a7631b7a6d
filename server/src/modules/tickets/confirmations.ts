import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ticketConfirmations } from '../../db/schema/index.js';
import { randomSecret, sha256 } from '../../lib/crypto.js';
import type { TicketRow } from './access.js';

export type ConfirmationRow = typeof ticketConfirmations.$inferSelect;

/** Voids every outstanding link of a ticket (a new resolution, a reopening, a closing). */
export async function revokeConfirmations(tx: Executor, ticketId: string, at: Date) {
  await tx
    .update(ticketConfirmations)
    .set({ revokedAt: at })
    .where(
      and(
        eq(ticketConfirmations.ticketId, ticketId),
        isNull(ticketConfirmations.usedAt),
        isNull(ticketConfirmations.revokedAt),
      ),
    );
}

/**
 * A one-time confirmation link for a resolution: 32 random bytes, of which only the SHA-256 is
 * stored — the secret exists only in the link handed to the customer.
 */
export async function issueConfirmation(
  tx: Executor,
  t: TicketRow,
  at: Date,
  validDays: number,
  sentTo: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  await revokeConfirmations(tx, t.id, at);
  const token = randomSecret(32);
  const expiresAt = new Date(at.getTime() + validDays * 86_400_000);
  await tx.insert(ticketConfirmations).values({
    ticketId: t.id,
    tokenHash: sha256(token),
    sentTo,
    createdAt: at,
    expiresAt,
  });
  return { token, expiresAt };
}

export type TokenState = 'open' | 'used' | 'expired' | 'revoked';

export function tokenState(c: ConfirmationRow, now: Date): TokenState {
  if (c.usedAt) return 'used';
  if (c.revokedAt) return 'revoked';
  if (c.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

export async function findConfirmation(
  ex: Executor,
  token: string,
  lock = false,
): Promise<ConfirmationRow | null> {
  const q = ex
    .select()
    .from(ticketConfirmations)
    .where(eq(ticketConfirmations.tokenHash, sha256(token)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function useConfirmation(
  tx: Executor,
  c: ConfirmationRow,
  at: Date,
  decision: 'confirm' | 'reject',
  reason: string | null,
) {
  await tx
    .update(ticketConfirmations)
    .set({ usedAt: at, decision, reason })
    .where(eq(ticketConfirmations.id, c.id));
}
