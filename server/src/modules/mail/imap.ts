/**
 * Polls one IMAP mailbox with imapflow (issue 13): unseen messages are fetched in chunks, each
 * chunk is handed to `ingestBatch` (one transaction), and only after a message's ticket
 * committed is it flagged \Seen. A crash between the two leaves the message unseen; the next
 * poll sees it again and its Message-ID makes the second pass change nothing.
 */
import { eq } from 'drizzle-orm';
import type { ImapFlow as ImapFlowClient } from 'imapflow';
import type { Db } from '../../db/client.js';
import { mailMailboxes } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { AttachmentStorage } from '../attachments/storage.js';
import { ingestBatch, type InboundItem, type IngestResult } from './inbound.js';
import type { MailboxRow } from './mailboxes.js';
import { decryptSecret, type SecretKey } from './secret-box.js';

export interface PollResult {
  fetched: number;
  processed: number;
  failed: number;
  error: string | null;
}

/** Messages registered in one transaction. */
const CHUNK = 20;

const summary = (err: unknown) => {
  const e = err as { message?: string; responseText?: string };
  return String(e.responseText ?? e.message ?? err).slice(0, 500);
};

export async function pollMailbox(
  db: Db,
  clock: Clock,
  box: MailboxRow,
  opts: { batch?: number; timeoutMs?: number; key?: SecretKey; storage?: AttachmentStorage } = {},
): Promise<PollResult> {
  const result: PollResult = { fetched: 0, processed: 0, failed: 0, error: null };
  let pass: string;
  try {
    pass = opts.key ? decryptSecret(opts.key, box.password) : box.password;
  } catch {
    result.error = 'the stored password cannot be decrypted (was KEFU_SECRET_KEY changed?)';
    await db
      .update(mailMailboxes)
      .set({ lastPolledAt: clock.now(), lastError: result.error })
      .where(eq(mailMailboxes.id, box.id));
    return result;
  }
  // Loaded when a mailbox is first polled: a server with none never pays its memory.
  const { ImapFlow } = await import('imapflow');
  const client: ImapFlowClient = new ImapFlow({
    host: box.host,
    port: box.port,
    secure: box.tls,
    auth: { user: box.username, pass },
    logger: false,
    connectionTimeout: opts.timeoutMs ?? 15_000,
    greetingTimeout: opts.timeoutMs ?? 15_000,
    socketTimeout: 60_000,
    // A plain-text port is allowed only when the admin chose it (tls: false).
    doSTARTTLS: box.tls ? undefined : false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const lock = await client.getMailboxLock(box.folder);
    try {
      const found = await client.search({ seen: false }, { uid: true });
      const uids = (found || []).slice(0, opts.batch ?? 200);
      // Fetched a few at a time and registered together (one transaction a chunk); each is
      // flagged \Seen only after the chunk committed.
      for (let at = 0; at < uids.length; at += CHUNK) {
        const chunk: { uid: number; item: InboundItem }[] = [];
        for (const uid of uids.slice(at, at + CHUNK)) {
          const msg = await client.fetchOne(
            String(uid),
            { source: true, internalDate: true },
            { uid: true },
          );
          if (!msg || !msg.source) continue;
          result.fetched += 1;
          const internal = msg.internalDate ? new Date(msg.internalDate) : clock.now();
          chunk.push({
            uid,
            item: {
              raw: msg.source,
              src: {
                source: 'imap',
                mailboxId: box.id,
                arrivedAt: internal,
                storage: opts.storage,
              },
            },
          });
        }
        let results: (IngestResult | Error)[];
        try {
          results = await ingestBatch(
            db,
            clock.now(),
            chunk.map((c) => c.item),
          );
        } catch (err) {
          results = chunk.map(() => (err instanceof Error ? err : new Error(String(err))));
        }
        const done = chunk.filter((_, i) => !(results[i] instanceof Error));
        for (const r of results)
          if (r instanceof Error) {
            // Left unseen: the next poll tries again.
            result.failed += 1;
            result.error = summary(r);
          }
        if (done.length > 0) {
          await client.messageFlagsAdd(done.map((c) => c.uid).join(','), ['\\Seen'], { uid: true });
          result.processed += done.length;
        }
      }
    } finally {
      lock.release();
    }
    await client.logout();
  } catch (err) {
    result.error = summary(err);
    client.close();
  }
  await db
    .update(mailMailboxes)
    .set({ lastPolledAt: clock.now(), lastError: result.error })
    .where(eq(mailMailboxes.id, box.id));
  return result;
}
