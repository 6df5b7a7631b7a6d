/**
 * Sends the mail outbox every `intervalMs` (KEFU_MAIL_SEND_MS) over SMTP (KEFU_SMTP_URL, from
 * KEFU_MAIL_FROM). Without SMTP configuration it sends nothing: mail stays queued and the admin
 * outbox says "mail not configured". Rounds never overlap within a process; several processes
 * may send from one database (rows are claimed with FOR UPDATE SKIP LOCKED). `stop()` lets the
 * round in hand finish, so the database can be closed after it.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import {
  mailConfigured,
  publicUrlOf,
  sendDueMail,
  smtpTransport,
  type MailTransport,
  type SendResult,
} from '../modules/mail/sender.js';
import { storageFor } from '../modules/attachments/storage.js';
import { periodicJob } from './periodic.js';

export interface MailSenderOptions {
  db: Db;
  clock: Clock;
  config: Config;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Overrides the SMTP transport built from KEFU_SMTP_URL. */
  transport?: MailTransport;
}

export interface MailSender {
  /** Sends what is due now (waiting for a round already running first). */
  runOnce(): Promise<SendResult>;
  stop(): Promise<void>;
}

const NOTHING: SendResult = { sent: 0, retrying: 0, failed: 0 };

export function startMailSender(opts: MailSenderOptions): MailSender {
  const { db, clock, config, log } = opts;
  const configured = mailConfigured(config);
  if (!configured)
    log?.warn('mail not configured (KEFU_SMTP_URL, KEFU_MAIL_FROM): mail stays queued');
  const transport =
    opts.transport ?? (configured ? smtpTransport(config.KEFU_SMTP_URL!) : undefined);
  const storage = storageFor(config);
  const job = periodicJob({
    intervalMs: config.KEFU_MAIL_SEND_MS,
    enabled: config.KEFU_MAIL_SEND_MS > 0 && !!transport,
    work: async () => {
      if (!transport || !config.KEFU_MAIL_FROM) return NOTHING;
      return sendDueMail({
        db,
        clock,
        transport,
        from: config.KEFU_MAIL_FROM,
        publicUrl: publicUrlOf(config),
        maxAttempts: config.KEFU_MAIL_MAX_ATTEMPTS,
        retrySeconds: config.KEFU_MAIL_RETRY_SECONDS,
        storage,
      });
    },
    done: (result) => {
      if (result.sent + result.retrying + result.failed > 0)
        log?.info({ mail: result }, 'mail sent');
    },
    failed: (err) => log?.error({ err }, 'mail round failed; retrying next interval'),
  });
  return {
    runOnce: job.runOnce,
    async stop() {
      await job.stop();
      if (!opts.transport) transport?.close?.();
    },
  };
}
