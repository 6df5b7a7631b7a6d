import { eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { customers, tickets } from '../../db/schema/index.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { CUSTOMER, lockTicket, saveTicket, type TicketRow } from './access.js';
import { findConfirmation, tokenState, useConfirmation } from './confirmations.js';
import { loadFacts } from './facts.js';
import { notifyTicketUsers } from './notifications.js';
import { closingPossible } from './rules/closing.js';
import { normalisePhone } from './rules/masking.js';
import type { TicketStatus } from './rules/vocabulary.js';
import { getSettings } from './settings.js';
import { presentPortalEvent } from '../portal/rules/timeline.js';
import { appendEvent, listEvents } from './timeline.js';
import { applyTransition } from './transitions.js';

export interface ConfirmationSummary {
  number: string;
  subject: string;
  status: TicketStatus;
  resolvedAt: string | null;
  /** open: the customer may answer; used / expired / revoked: the link is spent. */
  state: 'open' | 'used' | 'expired' | 'revoked';
  decision: 'confirm' | 'reject' | null;
  expiresAt: string;
}

const notFound = () =>
  new HttpProblem({
    status: 404,
    code: 'not_found',
    detail: 'This confirmation link is not valid.',
  });

const summary = (
  t: TicketRow,
  c: { usedAt: Date | null; decision: string | null; expiresAt: Date },
  state: ConfirmationSummary['state'],
): ConfirmationSummary => ({
  number: t.number,
  subject: t.subject,
  status: t.status as TicketStatus,
  resolvedAt: t.resolvedAt?.toISOString() ?? null,
  state,
  decision: (c.decision as ConfirmationSummary['decision']) ?? null,
  expiresAt: c.expiresAt.toISOString(),
});

/** What the customer sees when opening the link (a spent link still shows the ticket). */
export async function viewConfirmation(db: Db, token: string, now: Date) {
  const c = await findConfirmation(db, token);
  if (!c) throw notFound();
  const [t] = await db.select().from(tickets).where(eq(tickets.id, c.ticketId));
  if (!t) throw notFound();
  return summary(t, c, tokenState(c, now));
}

/**
 * The customer's answer to a resolution. Confirm → closed (confirmed); for a complaint still
 * waiting for its return visit the confirmation is recorded and the ticket stays resolved until
 * the visit. Reject → reopened with the reason. The link works once.
 */
export async function decideConfirmation(
  db: Db,
  ctx: AuditContext,
  token: string,
  input: { decision: 'confirm' | 'reject'; reason?: string },
) {
  return db.transaction(async (tx) => {
    const c = await findConfirmation(tx, token, true);
    if (!c) throw notFound();
    const state = tokenState(c, ctx.at);
    if (state === 'used')
      throw problems.conflict('confirmation_used', 'This link has already been used.');
    if (state === 'expired')
      throw new HttpProblem({
        status: 410,
        title: 'Gone',
        code: 'confirmation_expired',
        detail: 'This confirmation link has expired.',
      });
    const row = await lockTicket(tx, c.ticketId, CUSTOMER, undefined, { allowArchived: true });
    if (state === 'revoked' || row.status !== 'resolved')
      throw problems.conflict(
        'not_awaiting_confirmation',
        'This ticket is no longer waiting for your confirmation.',
      );
    const reason = input.reason?.trim() || null;
    await useConfirmation(tx, c, ctx.at, input.decision, reason);
    const saved = await answerResolution(tx, ctx, row, input.decision, reason);
    return summary(
      saved,
      { usedAt: ctx.at, decision: input.decision, expiresAt: c.expiresAt },
      'used',
    );
  });
}

/**
 * The customer's answer to a resolved ticket (by link or signed in to the portal), in the
 * caller's transaction: confirm → closed (a complaint still waiting for its return visit stays
 * resolved with the confirmation recorded); reject → reopened with the reason.
 */
export async function answerResolution(
  tx: Executor,
  ctx: AuditContext,
  row: TicketRow,
  decision: 'confirm' | 'reject',
  reason: string | null,
): Promise<TicketRow> {
  const settings = await getSettings(tx);
  await appendEvent(tx, row.id, ctx, CUSTOMER, {
    kind: 'confirmation',
    body: reason,
    data: { decision },
  });
  let saved: TicketRow;
  if (decision === 'reject') {
    saved = (await applyTransition(tx, ctx, CUSTOMER, row, { to: 'reopened', reason }, settings))
      .row;
  } else {
    const facts = await loadFacts(tx, row);
    const canClose = closingPossible({
      status: 'resolved',
      category: row.category,
      confirmed: true,
      hasReturnVisit: facts.visit !== undefined,
    });
    saved = canClose
      ? (
          await applyTransition(
            tx,
            ctx,
            CUSTOMER,
            row,
            { to: 'closed', customerConfirmed: true },
            settings,
          )
        ).row
      : await saveTicket(tx, row, { confirmedAt: ctx.at }, ctx.at);
  }
  await notifyTicketUsers(
    tx,
    ctx,
    decision === 'confirm' ? 'ticket.confirmed' : 'ticket.rejected',
    saved,
    [saved.handlerId, saved.ownerId],
  );
  await recordAudit(tx, ctx, {
    action: 'ticket.confirmation',
    targetType: 'ticket',
    targetId: row.id,
    after: { decision, status: saved.status },
  });
  return saved;
}

/** Does `contact` (phone, email or handle as the customer types it) belong to the customer? */
function contactMatches(
  contact: string,
  c: { phone: string | null; email: string | null; wechat: string | null },
) {
  const value = contact.trim();
  if (!value) return false;
  if (value.includes('@')) return c.email !== null && c.email === value.toLowerCase();
  const phone = normalisePhone(value);
  if (c.phone && /^\+?\d+$/.test(phone)) {
    const strip = (p: string) => p.replace(/^\+?86/, '');
    if (c.phone === phone || strip(c.phone) === strip(phone)) return true;
  }
  return c.wechat !== null && c.wechat === value;
}

/**
 * Guest look-up by number + contact (SPEC 1 portal): the ticket's summary and its public
 * timeline, presented exactly as the signed-in portal shows it (staff by display name only, no
 * staff ids or internal data). A wrong number and a wrong contact answer the same 404.
 */
export async function lookupTicket(db: Db, input: { number: string; contact: string }) {
  const [found] = await db
    .select({ t: tickets, c: customers })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(sql`upper(${tickets.number}) = ${input.number.trim().toUpperCase()}`);
  if (!found || !contactMatches(input.contact, found.c))
    throw new HttpProblem({
      status: 404,
      code: 'not_found',
      detail: 'No ticket matches this number and contact.',
    });
  const { t } = found;
  const events = await listEvents(db, [t.id], { limit: 500, visibility: 'public' });
  return {
    ticketId: t.id,
    view: {
      number: t.number,
      subject: t.subject,
      status: t.status as TicketStatus,
      category: t.category,
      channel: t.channel,
      receivedAt: t.receivedAt.toISOString(),
      resolvedAt: t.resolvedAt?.toISOString() ?? null,
      closedAt: t.closedAt?.toISOString() ?? null,
      timeline: events.map(presentPortalEvent),
    },
  };
}
