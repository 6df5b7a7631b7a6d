import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { claimDueMail, expireStaleMail, markAttemptFailed, markSent } from './outbox.js';
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
      await transport.sendMail({
        from: opts.from,
        to: row.toAddress,
        subject: row.subject,
        text: withPublicUrl(row.textBody, opts.publicUrl),
        ...(row.htmlBody && { html: withPublicUrl(row.htmlBody, opts.publicUrl, true) }),
        headers: { 'X-Kefu-Mail-Id': row.id },
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
