/**
 * Sending surveys: the ticket hook (resolved / closed), delayed sends, the single-use links and
 * the invitation mail. Everything runs in the caller's transaction, so an invitation, its link
 * and its mail exist together or not at all. SMS leaves later from the survey job (jobs/surveys.ts).
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  customers,
  surveyDispatches,
  surveyInvitations,
  surveyOptOuts,
  surveyTemplates,
  surveyTokens,
  tickets,
} from '../../db/schema/index.js';
import { randomSecret, sha256 } from '../../lib/crypto.js';
import { enqueueMail } from '../mail/outbox.js';
import { customerLocale } from '../mail/ticket-mail.js';
import { getSettings as getTicketSettings } from '../tickets/settings.js';
import { periodMonthOf } from './rules/scoring.js';
import { getSurveySettings, type SurveyChannel, type SurveySettings } from './settings.js';

export type InvitationRow = typeof surveyInvitations.$inferSelect;
export type TokenChannel = 'email' | 'sms' | 'reminder' | 'link';

export const surveyPath = (token: string) => `/survey/${token}`;

/** A fresh single-use link of an invitation: only its SHA-256 is stored. */
export async function mintToken(
  tx: Executor,
  responseId: string,
  channel: TokenChannel,
  at: Date,
): Promise<string> {
  const token = randomSecret(32);
  await tx
    .insert(surveyTokens)
    .values({ responseId, tokenHash: sha256(token), channel, createdAt: at });
  return token;
}

export async function isOptedOut(ex: Executor, customerId: string): Promise<boolean> {
  const [row] = await ex
    .select({ id: surveyOptOuts.customerId })
    .from(surveyOptOuts)
    .where(eq(surveyOptOuts.customerId, customerId));
  return Boolean(row);
}

/** Queues the invitation (or reminder) mail with a fresh link. */
export async function mailInvitation(
  tx: Executor,
  at: Date,
  inv: InvitationRow,
  email: string,
  reminder: boolean,
  ticket: { number: string; subject: string } | null,
) {
  const token = await mintToken(tx, inv.id, reminder ? 'reminder' : 'email', at);
  const { timeZone } = await getTicketSettings(tx);
  await enqueueMail(tx, at, {
    to: email,
    template: reminder ? 'survey.reminder' : 'survey.invitation',
    locale: inv.locale === 'en-US' ? 'en-US' : 'zh-CN',
    ticketId: inv.ticketId,
    params: {
      number: ticket?.number ?? null,
      subject: ticket?.subject ?? null,
      month: inv.kind === 'campaign' ? inv.periodMonth.slice(0, 7) : null,
      linkPath: surveyPath(token),
      optOutPath: `${surveyPath(token)}?optOut=1`,
      expiresAt: inv.expiresAt!,
      timeZone,
    },
  });
}

/** The channels that reach this customer, of those the settings allow. */
export function reachable(
  channels: SurveyChannel[],
  c: { email: string | null; phone: string | null },
): SurveyChannel[] {
  return channels.filter((ch) => (ch === 'email' ? Boolean(c.email) : Boolean(c.phone)));
}

/**
 * Sends the survey of a resolved/closed ticket now: one per ticket, never to a customer who
 * opted out or whom no allowed channel reaches. Returns the invitation, or null when none went.
 */
export async function inviteForTicket(
  tx: Executor,
  at: Date,
  ticketId: string,
  settings?: SurveySettings,
): Promise<InvitationRow | null> {
  const s = settings ?? (await getSurveySettings(tx));
  const [found] = await tx
    .select({ t: tickets, c: customers })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, ticketId));
  if (!found || found.t.closeKind === 'merged') return null;
  const { t, c } = found;
  if (await isOptedOut(tx, c.id)) return null;
  const channels = reachable(s.channels, c);
  if (channels.length === 0) return null;
  const [tpl] = await tx.select().from(surveyTemplates).where(eq(surveyTemplates.id, s.templateId));
  if (!tpl) return null;
  const [inv] = await tx
    .insert(surveyInvitations)
    .values({
      kind: 'ticket',
      ticketId: t.id,
      customerId: c.id,
      agentId: t.ownerId,
      teamId: t.teamId,
      periodMonth: periodMonthOf(at),
      sentAt: at,
      templateId: tpl.id,
      templateVersion: tpl.version,
      channels,
      locale: c.email ? await customerLocale(tx, c.email) : 'zh-CN',
      expiresAt: new Date(at.getTime() + s.linkDays * 86_400_000),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (!inv) return null; // this ticket was already surveyed: one survey per ticket
  if (channels.includes('email') && c.email) await mailInvitation(tx, at, inv, c.email, false, t);
  return inv;
}

/**
 * The hook in the ticket state machine (modules/tickets/transitions.ts): on the configured
 * transition, send the survey now or, with a delay, queue it for the survey job.
 */
export async function surveyOnTransition(
  tx: Executor,
  at: Date,
  ticket: { id: string },
  to: string,
): Promise<void> {
  if (to === 'reopened') return cancelDispatch(tx, ticket.id);
  if (to !== 'resolved' && to !== 'closed') return;
  const s = await getSurveySettings(tx);
  if (!s.enabled || s.sendOn !== to) return;
  if (s.delayMinutes > 0) {
    await tx
      .insert(surveyDispatches)
      .values({
        ticketId: ticket.id,
        dueAt: new Date(at.getTime() + s.delayMinutes * 60_000),
        createdAt: at,
      })
      .onConflictDoNothing();
    return;
  }
  await inviteForTicket(tx, at, ticket.id, s);
}

/**
 * Delayed ticket surveys that are due: sent if the ticket is still resolved / closed (a reopened
 * ticket waits for its next resolution). Each dispatch row is claimed with SKIP LOCKED.
 */
export async function sendDueDispatches(tx: Executor, at: Date, limit = 100): Promise<number> {
  const due = await tx
    .select({ ticketId: surveyDispatches.ticketId, status: tickets.status })
    .from(surveyDispatches)
    .innerJoin(tickets, eq(tickets.id, surveyDispatches.ticketId))
    .where(sql`${surveyDispatches.dueAt} <= ${at.toISOString()}::timestamptz`)
    .limit(limit)
    .for('update', { of: surveyDispatches, skipLocked: true });
  let sent = 0;
  for (const d of due) {
    await tx.delete(surveyDispatches).where(eq(surveyDispatches.ticketId, d.ticketId));
    if (['resolved', 'closed', 'archived'].includes(d.status))
      if (await inviteForTicket(tx, at, d.ticketId)) sent += 1;
  }
  return sent;
}

/** A reopened ticket's pending (delayed) survey waits for the next resolution. */
export async function cancelDispatch(tx: Executor, ticketId: string) {
  await tx.delete(surveyDispatches).where(eq(surveyDispatches.ticketId, ticketId));
}
