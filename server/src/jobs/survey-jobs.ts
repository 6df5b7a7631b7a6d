/**
 * The survey job every `intervalMs` (KEFU_SURVEY_JOB_MS): sends delayed ticket surveys that are
 * due, the SMS of new invitations (KEFU_SMS_PROVIDER), and the one reminder of unanswered
 * invitations after `reminder_after_hours`. Exactly once across processes: a lease row
 * (job_leases, name `surveys`) lets one process run at a time, and each reminder is claimed by
 * setting `reminder_sent_at` in the same transaction that queues its mail — a row already
 * reminded is never picked again, whatever happens to the lease.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../db/client.js';
import { customers, surveyInvitations, tickets } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';
import {
  mailInvitation,
  mintToken,
  sendDueDispatches,
  surveyPath,
  type InvitationRow,
} from '../modules/surveys/delivery.js';
import { getSurveySettings } from '../modules/surveys/settings.js';
import { surveySmsText, type SmsSender } from '../modules/surveys/sms.js';

export const SURVEY_LEASE = 'surveys';

export interface SurveyJobOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  sms: SmsSender;
  /** Base of links in SMS (PUBLIC_URL). */
  publicUrl: string;
  leaseMs?: number;
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}

export interface SurveyJobResult {
  ran: boolean;
  dispatched: number;
  sms: number;
  reminded: number;
}

export interface SurveyJob {
  runOnce(): Promise<SurveyJobResult>;
  stop(): Promise<void>;
}

interface PendingSms {
  ref: string;
  to: string;
  text: string;
}

async function ticketOf(ex: Executor, id: string | null) {
  if (!id) return null;
  const [t] = await ex
    .select({ number: tickets.number, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.id, id));
  return t ?? null;
}

const notOptedOut = sql`NOT EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.customer_id = ${surveyInvitations.customerId})`;

/** Claims the SMS of new invitations (sms_sent_at set in this transaction) and mints their links. */
async function claimSms(db: Db, now: Date, publicUrl: string): Promise<PendingSms[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ inv: surveyInvitations, phone: customers.phone })
      .from(surveyInvitations)
      .innerJoin(customers, eq(customers.id, surveyInvitations.customerId))
      .where(
        and(
          sql`'sms' = ANY(${surveyInvitations.channels})`,
          isNull(surveyInvitations.smsSentAt),
          isNull(surveyInvitations.answeredAt),
          sql`${surveyInvitations.expiresAt} > ${now.toISOString()}::timestamptz`,
          notOptedOut,
        ),
      )
      .limit(100)
      .for('update', { of: surveyInvitations, skipLocked: true });
    const out: PendingSms[] = [];
    for (const { inv, phone } of rows) {
      await tx
        .update(surveyInvitations)
        .set({ smsSentAt: now })
        .where(eq(surveyInvitations.id, inv.id));
      if (!phone) continue;
      const token = await mintToken(tx, inv.id, 'sms', now);
      out.push({
        ref: inv.id,
        to: phone,
        text: surveySmsText(inv.locale, `${publicUrl}${surveyPath(token)}`, false),
      });
    }
    return out;
  });
}

/** The one reminder of each unanswered invitation, claimed and queued in one transaction. */
async function remind(
  db: Db,
  now: Date,
  publicUrl: string,
): Promise<{ count: number; sms: PendingSms[] }> {
  return db.transaction(async (tx) => {
    const { reminderAfterHours } = await getSurveySettings(tx);
    if (reminderAfterHours === 0) return { count: 0, sms: [] };
    const cutoff = new Date(now.getTime() - reminderAfterHours * 3_600_000);
    const due = await tx
      .select({ id: surveyInvitations.id })
      .from(surveyInvitations)
      .where(
        and(
          isNull(surveyInvitations.answeredAt),
          isNull(surveyInvitations.reminderSentAt),
          sql`${surveyInvitations.sentAt} <= ${cutoff.toISOString()}::timestamptz`,
          sql`${surveyInvitations.expiresAt} > ${now.toISOString()}::timestamptz`,
          notOptedOut,
        ),
      )
      .limit(200)
      .for('update', { skipLocked: true });
    if (due.length === 0) return { count: 0, sms: [] };
    const claimed: InvitationRow[] = await tx
      .update(surveyInvitations)
      .set({ reminderSentAt: now, updatedAt: now })
      .where(
        and(
          inArray(
            surveyInvitations.id,
            due.map((d) => d.id),
          ),
          isNull(surveyInvitations.reminderSentAt),
        ),
      )
      .returning();
    const sms: PendingSms[] = [];
    for (const inv of claimed) {
      const [c] = await tx
        .select({ email: customers.email, phone: customers.phone })
        .from(customers)
        .where(eq(customers.id, inv.customerId));
      if (inv.channels.includes('email') && c?.email)
        await mailInvitation(tx, now, inv, c.email, true, await ticketOf(tx, inv.ticketId));
      else if (inv.channels.includes('sms') && c?.phone) {
        const token = await mintToken(tx, inv.id, 'sms', now);
        sms.push({
          ref: inv.id,
          to: c.phone,
          text: surveySmsText(inv.locale, `${publicUrl}${surveyPath(token)}`, true),
        });
      }
    }
    return { count: claimed.length, sms };
  });
}

export function startSurveyJob(opts: SurveyJobOptions): SurveyJob {
  const { db, clock, intervalMs, log, sms } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const send = async (messages: PendingSms[]) => {
    for (const m of messages) {
      try {
        await sms.send(m);
      } catch (err) {
        log?.error({ err, ref: m.ref }, 'survey sms failed');
      }
    }
  };

  const work = async (): Promise<SurveyJobResult> => {
    const now = clock.now();
    if (!(await acquireLease(db, SURVEY_LEASE, holder, now, leaseMs)))
      return { ran: false, dispatched: 0, sms: 0, reminded: 0 };
    try {
      const dispatched = await db.transaction((tx) => sendDueDispatches(tx, now));
      const fresh = await claimSms(db, now, publicUrl);
      const reminders = await remind(db, now, publicUrl);
      await send([...fresh, ...reminders.sms]);
      return {
        ran: true,
        dispatched,
        sms: fresh.length + reminders.sms.length,
        reminded: reminders.count,
      };
    } finally {
      await releaseLease(db, SURVEY_LEASE, holder);
    }
  };

  return periodicJob({
    intervalMs,
    work,
    done: (result) => {
      if (result.dispatched + result.sms + result.reminded > 0) log?.info(result, 'survey job');
    },
    failed: (err) => log?.error({ err }, 'survey job failed; retrying later'),
  });
}
