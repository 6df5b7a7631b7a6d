/** Mailbox passwords at rest: the shared secret box (lib/secret-box.ts), and their start-up migration. */
import { like, not, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mailMailboxes } from '../../db/schema/index.js';
import { SECRET_PREFIX, encryptSecret, type SecretKey } from '../../lib/secret-box.js';

export {
  decryptSecret,
  encryptSecret,
  isEncrypted,
  secretKeyFor,
  type SecretKey,
} from '../../lib/secret-box.js';

/** Start-up: mailbox passwords still stored plain (before migration 0032) are encrypted. */
export async function encryptStoredPasswords(db: Db, key: SecretKey): Promise<number> {
  const plain = await db
    .select({ id: mailMailboxes.id, password: mailMailboxes.password })
    .from(mailMailboxes)
    .where(not(like(mailMailboxes.password, `${SECRET_PREFIX}%`)));
  for (const row of plain)
    await db
      .update(mailMailboxes)
      .set({ password: encryptSecret(key, row.password) })
      .where(eq(mailMailboxes.id, row.id));
  return plain.length;
}
