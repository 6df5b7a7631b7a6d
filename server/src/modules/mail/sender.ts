import type { Readable } from 'node:stream';
import { eq, and, inArray, isNull } from 'drizzle-orm';
import { createRequire } from 'node:module';
import { attachments, mailOutbox } from '../../db/schema/index.js';
import type { AttachmentStorage } from '../attachments/storage.js';
import { domainOf, replyMessageId } from './reply-mail.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { attachmentsOf } from './attachments.js';
import {
  claimDueMail,
  expireStaleMail,
  markAttemptFailed,
  markSent,
  type OutboxRow,
} from './outbox.js';
import { withPublicUrl } from './rules/templates.js';

/** What the sender needs of nodemailer (tests may hand in any SMTP transport). */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    headers?: Record<string, string>;
    replyTo?: string;
    messageId?: string;
    inReplyTo?: string;
    references?: string[];
    attachments?: { filename: string; content: Readable | Buffer; contentType: string }[];
  }): Promise<unknown>;
  close?(): void;
}

/** Mail leaves only when both the SMTP server and the sender address are configured. */
export const mailConfigured = (config: Config): boolean =>
  Boolean(config.KEFU_SMTP_URL && config.KEFU_MAIL_FROM);

/** The base of links in mail and in the staff UI (PUBLIC_URL). */
export const publicUrlOf = (config: Config): string =>
  (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

export function smtpTransport(url: string): MailTransport {
  // Required on first use (CommonJS): a server without SMTP never loads it.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  return nodemailer.createTransport(url);
}

export interface SendOptions {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  from: string;
  publicUrl: string;
  maxAttempts: number;
  retrySeconds: number;
  batchSize?: number;
  /** How long a claimed mail is reserved for this sender before another may take it. */
  leaseMs?: number;
  /** Where the files of replies are read from. */
  storage?: AttachmentStorage;
}

/** A reply's Message-ID is fixed on its first attempt (from the sender's domain) and kept. */
async function messageIdOf(db: Db, row: OutboxRow, from: string): Promise<string | undefined> {
  if (row.messageId) return row.messageId;
  if (!row.eventId || !row.ticketId) return undefined;
  const id = replyMessageId(row.ticketId, row.id, domainOf(from));
  await db
    .update(mailOutbox)
    .set({ messageId: id })
    .where(and(eq(mailOutbox.id, row.id), isNull(mailOutbox.messageId)));
  const [saved] = await db
    .select({ messageId: mailOutbox.messageId })
    .from(mailOutbox)
    .where(eq(mailOutbox.id, row.id));
  return saved?.messageId ?? id;
}

async function filesOf(db: Db, storage: AttachmentStorage | undefined, ids: string[]) {
  if (ids.length === 0) return undefined;
  if (!storage) throw new Error("no attachment storage to read the reply's files from");
  const rows = await db.select().from(attachments).where(inArray(attachments.id, ids));
  if (rows.length !== ids.length) throw new Error('a file of the reply was deleted');
  return Promise.all(
    rows.map(async (r) => ({
      filename: r.filename,
      contentType: r.mimeType,
      content: await storage.get(r.storageKey),
    })),
  );
}

export interface SendResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** One sending round: claim due mail, hand each to SMTP, record the outcome. */
export async function sendDueMail(opts: SendOptions): Promise<SendResult> {
  const { db, clock, transport } = opts;
  const result: SendResult = { sent: 0, retrying: 0, failed: 0 };
  await expireStaleMail(db, clock.now());
  const claimed = await claimDueMail(
    db,
    clock.now(),
    opts.batchSize ?? 20,
    opts.leaseMs ?? 300_000,
  );
  for (const row of claimed) {
    try {
      const from = row.fromHeader ?? opts.from;
      const messageId = await messageIdOf(db, row, from);
      // Two sources: ticket files a reply carries (storage) and generated files (PDF reports).
      const files = [
        ...((await filesOf(db, opts.storage, row.attachmentIds)) ?? []),
        ...(await attachmentsOf(db, row.id)),
      ];
      await transport.sendMail({
        from,
        to: row.toAddress,
        subject: row.subject,
        text: withPublicUrl(row.textBody, opts.publicUrl),
        ...(row.htmlBody && { html: withPublicUrl(row.htmlBody, opts.publicUrl, true) }),
        headers: {
          'X-Kefu-Mail-Id': row.id,
          ...(row.template === 'ticket.off_hours_ack' && { 'Auto-Submitted': 'auto-replied' }),
        },
        ...(row.replyTo && { replyTo: row.replyTo }),
        ...(messageId && { messageId: `<${messageId}>` }),
        ...(row.inReplyTo && { inReplyTo: `<${row.inReplyTo}>` }),
        ...(row.referenceIds.length > 0 && {
          references: row.referenceIds.map((r) => `<${r}>`),
        }),
        ...(files.length > 0 && { attachments: files }),
      });
      await markSent(db, row.id, clock.now());
      result.sent += 1;
    } catch (err) {
      const status = await markAttemptFailed(db, row, err, clock.now(), opts);
      if (status === 'failed') result.failed += 1;
      else result.retrying += 1;
    }
  }
  return result;
}
