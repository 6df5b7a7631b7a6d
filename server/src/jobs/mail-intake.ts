/**
 * Polls the active IMAP mailboxes (issue 13) every `intervalMs` (KEFU_MAIL_INTAKE_MS); each
 * mailbox when its own poll interval has passed. Exactly one process polls a mailbox at a time:
 * a lease row (job_leases, name `mail-imap:<id>`) is taken first; and a message is processed
 * once whatever happens, because its Message-ID is unique in mail_inbound.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import { mailMailboxes } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import { acquireLease, releaseLease } from './lease.js';
import { pollMailbox, type PollResult } from '../modules/mail/imap.js';
import type { AttachmentStorage } from '../modules/attachments/storage.js';
import type { SecretKey } from '../modules/mail/secret-box.js';
import { periodicJob } from './periodic.js';

const leaseName = (id: string) => `mail-imap:${id}`;

/**
 * Polls one mailbox under its lease; null when another process holds it. Used by the job and
 * by the administrator's "poll now".
 */
export async function pollUnderLease(
  db: Db,
  clock: Clock,
  mailboxId: string,
  opts: { holder?: string; leaseMs?: number; key?: SecretKey; storage?: AttachmentStorage } = {},
): Promise<PollResult | null> {
  const holder = opts.holder ?? randomUUID();
  const name = leaseName(mailboxId);
  if (!(await acquireLease(db, name, holder, clock.now(), opts.leaseMs ?? 5 * 60_000))) return null;
  try {
    const [box] = await db.select().from(mailMailboxes).where(eq(mailMailboxes.id, mailboxId));
    if (!box) return null;
    return await pollMailbox(db, clock, box, { key: opts.key, storage: opts.storage });
  } finally {
    await releaseLease(db, name, holder);
  }
}

export interface MailIntake {
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startMailIntake(opts: {
  db: Db;
  clock: Clock;
  intervalMs: number;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Decrypts mailbox passwords (modules/mail/secret-box.ts). */
  key?: SecretKey;
  storage?: AttachmentStorage;
}): MailIntake {
  const { db, clock, log } = opts;
  const holder = randomUUID();

  const round = async (stopped: () => boolean): Promise<number> => {
    const now = clock.now();
    const due = await db
      .select({ id: mailMailboxes.id })
      .from(mailMailboxes)
      .where(
        and(
          eq(mailMailboxes.active, true),
          sql`(${mailMailboxes.lastPolledAt} IS NULL OR ${mailMailboxes.lastPolledAt}
                + make_interval(secs => ${mailMailboxes.pollSeconds}) <= ${now.toISOString()}::timestamptz)`,
        ),
      );
    let processed = 0;
    for (const { id } of due) {
      if (stopped()) break;
      const r = await pollUnderLease(db, clock, id, {
        holder,
        key: opts.key,
        storage: opts.storage,
      });
      if (r?.error) log?.warn({ mailboxId: id, error: r.error }, 'mailbox poll failed');
      processed += r?.processed ?? 0;
    }
    return processed;
  };

  return periodicJob({
    intervalMs: opts.intervalMs,
    work: round,
    failed: (err) => log?.error({ err }, 'mail intake round failed'),
  });
}
