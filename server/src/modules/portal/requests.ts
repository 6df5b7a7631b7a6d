import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { customers, ticketConfirmations, tickets } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { replyAttachmentRefs } from '../attachments/service.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { enqueueMail } from '../mail/outbox.js';
import { CUSTOMER, lockTicket, saveTicket, type TicketRow } from '../tickets/access.js';
import { requireActiveCategory } from '../tickets/categories.js';
import { tokenState, useConfirmation } from '../tickets/confirmations.js';
import { notifySupervisorsOfL3, notifyTicketUsers } from '../tickets/notifications.js';
import { nextTicketNumber } from '../tickets/numbers.js';
import { answerResolution } from '../tickets/portal.js';
import { isLegal } from '../tickets/rules/state-machine.js';
import { defaultTier, isGreenChannel } from '../tickets/rules/tiers.js';
import type { TicketStatus } from '../tickets/rules/vocabulary.js';
import { ticketSnapshot } from '../tickets/service.js';
import { getSettings } from '../tickets/settings.js';
import { appendEvent, listEvents } from '../tickets/timeline.js';
import { presentPortalEvent, type PortalEvent } from './rules/timeline.js';
import type { PortalPrincipal } from './session.js';
import { portalIntakeUser } from './settings.js';

/** The customer records whose tickets the account sees: every record with its email. */
export const mine = (p: PortalPrincipal) =>
  inArray(
    tickets.customerId,
    sql`(SELECT ${customers.id} FROM ${customers} WHERE ${customers.email} = ${p.email})`,
  );

export interface PortalRequestSummary {
  id: string;
  number: string;
  subject: string;
  status: TicketStatus;
  category: string;
  channel: string;
  receivedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  awaitingConfirmation: boolean;
}

export interface PortalRequestDetail extends PortalRequestSummary {
  description: string;
  canReply: boolean;
  timeline: PortalEvent[];
}

/** Statuses on which the customer may still add a message or file (not closed, not archived). */
export const REPLYABLE: readonly TicketStatus[] = [
  'new',
  'accepted',
  'in_progress',
  'pending_customer',
  'pending_internal',
  'resolved',
  'reopened',
];

const summaryOf = (t: TicketRow): PortalRequestSummary => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status as TicketStatus,
  category: t.category,
  channel: t.channel,
  receivedAt: t.receivedAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
  resolvedAt: t.resolvedAt?.toISOString() ?? null,
  closedAt: t.closedAt?.toISOString() ?? null,
  awaitingConfirmation: t.status === 'resolved',
});

/** Newest first, keyset on (created_at, id); merged tickets are left out (work goes on elsewhere). */
export async function listMyRequests(
  db: Db,
  p: PortalPrincipal,
  limit: number,
  before?: CursorKey,
) {
  const rows = await db
    .select()
    .from(tickets)
    .where(
      and(
        mine(p),
        sql`${tickets.mergedIntoId} IS NULL`,
        before
          ? or(
              lt(tickets.createdAt, new Date(before.at)),
              and(eq(tickets.createdAt, new Date(before.at)), lt(tickets.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(limit + 1);
  return { rows, views: rows.slice(0, limit).map(summaryOf) };
}

/** The account's ticket, or 404 naming `id` — another customer's ticket is indistinguishable from none. */
export async function findMine(ex: Executor, p: PortalPrincipal, id: string): Promise<TicketRow> {
  const [row] = await ex
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), mine(p)));
  if (!row) throw problems.notFound('Request', 'id');
  return row;
}

export async function getMyRequest(
  ex: Executor,
  p: PortalPrincipal,
  id: string,
): Promise<PortalRequestDetail> {
  const row = await findMine(ex, p, id);
  const events = await listEvents(ex, [row.id], { limit: 1000, visibility: 'public' });
  return {
    ...summaryOf(row),
    description: row.description,
    canReply: REPLYABLE.includes(row.status as TicketStatus),
    timeline: events.map(presentPortalEvent),
  };
}

/** 409 `ticket_closed` on a closed or archived request: no more messages or files. */
export function requireReplyable(row: TicketRow): void {
  if (!REPLYABLE.includes(row.status as TicketStatus))
    throw problems.conflict(
      'ticket_closed',
      'This request is closed; submit a new request if you need more help.',
    );
}

export interface SubmitInput {
  category: string;
  subject: string;
  description: string;
}

/**
 * A request submitted in the portal (channel `portal`): registered at once, received now, with
 * the portal intake user as receiving agent and first-contact owner (docs/portal.md).
 */
export async function submitRequest(
  db: Db,
  ctx: AuditContext,
  p: PortalPrincipal,
  input: SubmitInput,
): Promise<PortalRequestDetail> {
  return db.transaction(async (tx) => {
    const settings = await getSettings(tx);
    const category = await requireActiveCategory(tx, input.category);
    const intake = (await portalIntakeUser(tx))?.id;
    if (!intake)
      throw new HttpProblem({
        status: 503,
        code: 'portal_intake_unavailable',
        detail: 'Requests cannot be received right now; please contact us another way.',
      });
    const tier = defaultTier(category.key, undefined, category.defaultTier);
    const number = await nextTicketNumber(tx, ctx.at, settings.timeZone);
    const [row] = await tx
      .insert(tickets)
      .values({
        number,
        channel: 'portal',
        category: category.key,
        tier,
        priority: 'general',
        subject: input.subject,
        description: input.description,
        customerId: p.customerId,
        receivedAt: ctx.at,
        registeredAt: ctx.at,
        registeredBy: intake,
        receivingAgentId: intake,
        ownerId: intake,
        greenChannel: isGreenChannel(tier),
        tags: [],
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning();
    if (!row) throw new Error('ticket insert returned no row');
    await appendEvent(tx, row.id, ctx, CUSTOMER, {
      kind: 'created',
      data: {
        number,
        channel: row.channel,
        category: row.category,
        tier: row.tier,
        priority: row.priority,
        greenChannel: row.greenChannel,
        receivedAt: row.receivedAt.toISOString(),
      },
    });
    if (row.tier === 'L3') await notifySupervisorsOfL3(tx, row, ctx);
    await notifyTicketUsers(tx, ctx, 'ticket.portal_request', row, [row.ownerId]);
    await enqueueMail(tx, ctx.at, {
      to: p.email,
      template: 'portal.request_received',
      locale: p.locale,
      ticketId: row.id,
      params: { number, subject: row.subject },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.create',
      targetType: 'ticket',
      targetId: row.id,
      before: null,
      after: { ...ticketSnapshot(row), via: 'portal' },
    });
    // Files come next, one upload each (POST /portal/requests/:id/attachments, the same checks
    // as staff uploads): a ticket must exist before a file can be attached to it.
    return getMyRequest(tx, p, row.id);
  });
}

/**
 * The customer's message on their ticket: a public timeline entry (so SLA clocks react), and a
 * ticket waiting on the customer goes back to work (pending_customer → in_progress, which
 * resumes its paused clocks).
 */
export async function replyToRequest(
  db: Db,
  ctx: AuditContext,
  p: PortalPrincipal,
  id: string,
  input: { body: string; attachmentIds?: string[] },
): Promise<PortalRequestDetail> {
  return db.transaction(async (tx) => {
    await findMine(tx, p, id);
    const row = await lockTicket(tx, id, CUSTOMER);
    requireReplyable(row);
    // Files already uploaded to this request; a customer's reply is public, so public files only.
    const files = await replyAttachmentRefs(tx, id, input.attachmentIds ?? [], 'public');
    const event = await appendEvent(tx, id, ctx, CUSTOMER, {
      kind: 'reply',
      visibility: 'public',
      body: input.body,
      data: { by: 'customer', ...(files.length > 0 && { attachments: files }) },
    });
    if (row.status === 'pending_customer' && isLegal('pending_customer', 'in_progress')) {
      const saved = await saveTicket(tx, row, { status: 'in_progress' }, ctx.at);
      await appendEvent(tx, id, ctx, CUSTOMER, {
        kind: 'status',
        data: { from: row.status, to: saved.status, customerReplied: true },
      });
      await recordAudit(tx, ctx, {
        action: 'ticket.transition',
        targetType: 'ticket',
        targetId: id,
        before: { status: row.status },
        after: { status: saved.status, customerReplied: true },
      });
    } else {
      await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, id));
    }
    await notifyTicketUsers(tx, ctx, 'ticket.customer_reply', row, [row.handlerId, row.ownerId]);
    await recordAudit(tx, ctx, {
      action: 'ticket.customer_reply',
      targetType: 'ticket',
      targetId: id,
      after: {
        eventId: event.id,
        length: input.body.length,
        ...(files.length > 0 && { attachmentIds: files.map((f) => f.id) }),
      },
    });
    return getMyRequest(tx, p, id);
  });
}

/**
 * Confirm or reject a resolution while signed in; an outstanding mailed link is spent with the
 * same answer, so it cannot be used a second time.
 */
export async function decideRequest(
  db: Db,
  ctx: AuditContext,
  p: PortalPrincipal,
  id: string,
  input: { decision: 'confirm' | 'reject'; reason?: string },
): Promise<PortalRequestDetail> {
  return db.transaction(async (tx) => {
    await findMine(tx, p, id);
    const row = await lockTicket(tx, id, CUSTOMER, undefined, { allowArchived: true });
    if (row.status !== 'resolved')
      throw problems.conflict(
        'not_awaiting_confirmation',
        'This request is not waiting for your confirmation.',
      );
    const reason = input.reason?.trim() || null;
    if (input.decision === 'reject' && !reason)
      throw problems.invalid([
        { path: 'reason', message: 'say what is still wrong', code: 'required' },
      ]);
    const links = await tx
      .select()
      .from(ticketConfirmations)
      .where(eq(ticketConfirmations.ticketId, id))
      .for('update');
    for (const link of links)
      if (tokenState(link, ctx.at) === 'open')
        await useConfirmation(tx, link, ctx.at, input.decision, reason);
    await answerResolution(tx, ctx, row, input.decision, reason);
    return getMyRequest(tx, p, id);
  });
}
