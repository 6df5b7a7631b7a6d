import { and, asc, desc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { mailOutbox, mailTemplates } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { errorSummary, retryAfterFailure } from './rules/backoff.js';
import { mailExpiresAt, SEND_ONLY_WHILE } from './rules/expiry.js';
import {
  renderMail,
  type MailLocale,
  type TemplateKey,
  type TemplateParams,
} from './rules/templates.js';
import { isEditable } from './rules/editable.js';

export type OutboxRow = typeof mailOutbox.$inferSelect;
export type MailStatus = 'queued' | 'sent' | 'failed' | 'expired' | 'discarded';

export interface NewMail<K extends TemplateKey> {
  to: string;
  template: K;
  locale: MailLocale;
  params: TemplateParams[K];
  ticketId?: string | null;
  /** A reply by mail: threading headers, sender, the timeline entry and its files. */
  reply?: {
    id: string;
    messageId: string | null;
    inReplyTo: string | null;
    referenceIds: string[];
    fromHeader: string | null;
    replyTo: string | null;
    eventId: string;
    attachmentIds: string[];
  };
}

/** The administrator's version of an editable template, if there is one. */
export async function templateOverride(ex: Executor, template: string, locale: MailLocale) {
  if (!isEditable(template)) return null;
  const [row] = await ex
    .select({ subject: mailTemplates.subject, body: mailTemplates.body })
    .from(mailTemplates)
    .where(and(eq(mailTemplates.template, template), eq(mailTemplates.locale, locale)));
  return row ?? null;
}

/**
 * Queues a mail inside the caller's (business) transaction: if the change rolls back, so does
 * its mail; if the mail cannot be queued, the change fails. The sender job delivers it later.
 */
export async function enqueueMail<K extends TemplateKey>(
  tx: Executor,
  at: Date,
  mail: NewMail<K>,
): Promise<OutboxRow> {
  const override = await templateOverride(tx, mail.template, mail.locale);
  const rendered = renderMail(mail.template, mail.locale, mail.params, override);
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      ...(mail.reply && {
        id: mail.reply.id,
        messageId: mail.reply.messageId,
        inReplyTo: mail.reply.inReplyTo,
        referenceIds: mail.reply.referenceIds,
        fromHeader: mail.reply.fromHeader,
        replyTo: mail.reply.replyTo,
        eventId: mail.reply.eventId,
        attachmentIds: mail.reply.attachmentIds,
      }),
      toAddress: mail.to,
      subject: rendered.subject,
      textBody: rendered.text,
      htmlBody: rendered.html,
      template: mail.template,
      locale: mail.locale,
      ticketId: mail.ticketId ?? null,
      expiresAt: mailExpiresAt(mail.template, mail.params, at),
      status: 'queued',
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  if (!row) throw new Error('outbox insert returned no row');
  return row;
}

/**
 * Marks queued mail that no longer makes sense `expired` (never sent): past its expiry time, or
 * about a ticket whose status no longer warrants it (rules/expiry.ts). Runs before each sending
 * round, so a backlog that waited for SMTP does not go out stale. Returns how many expired.
 */
export async function expireStaleMail(db: Db, now: Date): Promise<number> {
  const byTicket = Object.entries(SEND_ONLY_WHILE).map(
    ([template, statuses]) =>
      sql`(${mailOutbox.template} = ${template} AND ${mailOutbox.ticketId} IN (
        SELECT t.id FROM tickets t
        WHERE t.status NOT IN (${sql.join(
          statuses.map((st) => sql`${st}`),
          sql`, `,
        )})))`,
  );
  const rows = await db
    .update(mailOutbox)
    .set({
      status: 'expired',
      lastError: sql`CASE WHEN ${mailOutbox.expiresAt} <= ${now}
        THEN 'expired: past its validity, not sent'
        ELSE 'expired: the ticket no longer needs this mail, not sent' END`,
      updatedAt: now,
    })
    .where(and(eq(mailOutbox.status, 'queued'), or(lte(mailOutbox.expiresAt, now), ...byTicket)))
    .returning({ id: mailOutbox.id });
  return rows.length;
}

/**
 * Claims up to `limit` due mails for one sending round. `FOR UPDATE SKIP LOCKED` lets several
 * senders (processes) claim at once without waiting on or double-taking each other's rows; the
 * claim counts the attempt and leases the row (next_attempt_at moves `leaseMs` ahead) so that
 * a sender that dies mid-send leaves the mail to be retried after the lease.
 */
export async function claimDueMail(
  db: Db,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(mailOutbox)
      .set({
        attempts: sql`${mailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + leaseMs),
        updatedAt: now,
      })
      .where(
        inArray(
          mailOutbox.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

export async function markSent(db: Db, id: string, at: Date): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ status: 'sent', sentAt: at, lastError: null, updatedAt: at })
    .where(eq(mailOutbox.id, id));
}

/** After a failed attempt: back off and stay queued, or give up (failed) after the last one. */
export async function markAttemptFailed(
  db: Db,
  row: OutboxRow,
  err: unknown,
  at: Date,
  opts: { retrySeconds: number; maxAttempts: number },
): Promise<MailStatus> {
  const decision = retryAfterFailure(row.attempts, opts.retrySeconds, opts.maxAttempts);
  const status: MailStatus = decision.giveUp ? 'failed' : 'queued';
  await db
    .update(mailOutbox)
    .set({
      status,
      lastError: errorSummary(err),
      nextAttemptAt: decision.giveUp ? at : new Date(at.getTime() + decision.delayMs),
      updatedAt: at,
    })
    .where(eq(mailOutbox.id, row.id));
  return status;
}

export interface OutboxView {
  id: string;
  to: string;
  subject: string;
  template: string;
  locale: MailLocale;
  ticketId: string | null;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  createdAt: string;
  eventId: string | null;
  messageId: string | null;
  discardedAt: string | null;
}

/** What administrators see: never the bodies (they may hold one-time links and codes). */
export const presentOutbox = (r: OutboxRow): OutboxView => ({
  id: r.id,
  to: r.toAddress,
  subject: r.template === 'portal.sign_in_code' ? '[sign-in code]' : r.subject,
  template: r.template,
  locale: r.locale as MailLocale,
  ticketId: r.ticketId,
  status: r.status as MailStatus,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt.toISOString(),
  lastError: r.lastError,
  sentAt: r.sentAt?.toISOString() ?? null,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  eventId: r.eventId,
  messageId: r.messageId,
  discardedAt: r.discardedAt?.toISOString() ?? null,
});

/** Newest first, keyset on (created_at, id). */
export async function listOutbox(
  db: Db,
  filter: { status?: MailStatus; ticketId?: string },
  limit: number,
  before?: CursorKey,
) {
  return db
    .select()
    .from(mailOutbox)
    .where(
      and(
        filter.status ? eq(mailOutbox.status, filter.status) : undefined,
        filter.ticketId ? eq(mailOutbox.ticketId, filter.ticketId) : undefined,
        before
          ? or(
              lt(mailOutbox.createdAt, new Date(before.at)),
              and(eq(mailOutbox.createdAt, new Date(before.at)), lt(mailOutbox.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(limit + 1);
}

export async function outboxCounts(db: Db): Promise<Record<MailStatus, number>> {
  const rows = await db
    .select({ status: mailOutbox.status, n: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .groupBy(mailOutbox.status);
  const counts: Record<MailStatus, number> = {
    queued: 0,
    sent: 0,
    failed: 0,
    expired: 0,
    discarded: 0,
  };
  for (const r of rows) counts[r.status as MailStatus] = Number(r.n);
  return counts;
}

/** An administrator sends a failed mail again: queued now, with a fresh set of attempts. */
export async function retryMail(db: Db, ctx: AuditContext, id: string): Promise<OutboxView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, id)).for('update');
    if (!row) throw problems.notFound('Mail', 'id');
    if (row.status !== 'failed')
      throw problems.conflict('mail_not_failed', 'Only a failed mail can be retried.');
    const [saved] = await tx
      .update(mailOutbox)
      .set({ status: 'queued', attempts: 0, nextAttemptAt: ctx.at, updatedAt: ctx.at })
      .where(eq(mailOutbox.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'mail.retry',
      targetType: 'mail',
      targetId: id,
      before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
      after: { status: 'queued', attempts: 0 },
    });
    return presentOutbox(saved!);
  });
}

/** A failed mail nobody will send: kept (discarded), no longer in the dead letters. */
export async function discardMail(db: Db, ctx: AuditContext, id: string): Promise<OutboxView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, id)).for('update');
    if (!row) throw problems.notFound('Mail', 'id');
    if (row.status !== 'failed')
      throw problems.conflict('mail_not_failed', 'Only a failed mail can be discarded.');
    const [saved] = await tx
      .update(mailOutbox)
      .set({ status: 'discarded', discardedAt: ctx.at, updatedAt: ctx.at })
      .where(eq(mailOutbox.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'mail.discard',
      targetType: 'mail',
      targetId: id,
      before: { status: row.status, lastError: row.lastError },
      after: { status: 'discarded' },
    });
    return presentOutbox(saved!);
  });
}

export interface DeliveryView {
  mailId: string;
  eventId: string;
  to: string;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
}

/** How each of a ticket's replies fared by mail (the caller checked the ticket is visible). */
export async function ticketDeliveries(ex: Executor, ticketId: string): Promise<DeliveryView[]> {
  const rows = await ex
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.ticketId, ticketId), sql`${mailOutbox.eventId} IS NOT NULL`))
    .orderBy(asc(mailOutbox.createdAt))
    .limit(500);
  return rows.map((r) => ({
    mailId: r.id,
    eventId: r.eventId!,
    to: r.toAddress,
    status: r.status as MailStatus,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    lastError: r.lastError,
    sentAt: r.sentAt?.toISOString() ?? null,
  }));
}
