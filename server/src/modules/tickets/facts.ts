import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { customers, ticketReturnVisits } from '../../db/schema/index.js';
import { transitionActorsOf, type Doer, type TicketRow } from './access.js';
import type { FieldError } from '../../lib/problem.js';
import { registrationGaps, type Registration } from './rules/registration.js';
import type { TransitionContext } from './rules/transitions.js';
import type { TicketStatus } from './rules/vocabulary.js';
import type { TicketSettings } from './settings.js';

export interface CustomerBits {
  name: string;
  phone: string | null;
  email: string | null;
  wechat: string | null;
}

export interface VisitBits {
  customerAccepted: boolean;
}

export function registrationOf(t: TicketRow, c: CustomerBits | undefined): Registration {
  return {
    customerName: c?.name,
    contacts: [c?.phone, c?.email, c?.wechat],
    content: t.description,
    channel: t.channel,
    receivedAt: t.receivedAt,
    receivingAgentId: t.receivingAgentId,
  };
}

/** The customer confirmed: by the portal link, or by accepting the result on a return visit. */
export const isConfirmed = (t: TicketRow, visit: VisitBits | undefined) =>
  t.confirmedAt !== null || visit?.customerAccepted === true;

/** The rules' view of one ticket for one caller. */
export function contextFor(
  t: TicketRow,
  gaps: FieldError[],
  visit: VisitBits | undefined,
  doer: Doer,
  now: Date,
  s: TicketSettings,
): TransitionContext {
  return {
    status: t.status as TicketStatus,
    category: t.category,
    confirmed: isConfirmed(t, visit),
    hasReturnVisit: visit !== undefined,
    closedAt: t.closedAt,
    merged: t.mergedIntoId !== null,
    followUpOpen: t.followUpDueAt !== null && t.followUpDoneAt === null,
    registrationGaps: gaps,
    actors: transitionActorsOf(doer),
    isOwner: doer.kind === 'staff' && t.ownerId === doer.actor.userId,
    now,
    reopenWindowDays: s.reopenWindowDays,
    archiveAfterDays: s.archiveAfterDays,
  };
}

/**
 * Loads what the rules need about one (locked) ticket. One query after the other: `ex` is often
 * a transaction, i.e. one connection, where concurrent queries only queue (and pg deprecates them).
 */
export async function loadFacts(ex: Executor, t: TicketRow) {
  const [customer] = await ex
    .select({
      name: customers.name,
      phone: customers.phone,
      email: customers.email,
      wechat: customers.wechat,
    })
    .from(customers)
    .where(eq(customers.id, t.customerId));
  const [visit] = await ex
    .select()
    .from(ticketReturnVisits)
    .where(eq(ticketReturnVisits.ticketId, t.id))
    .orderBy(desc(ticketReturnVisits.visitedAt), desc(ticketReturnVisits.createdAt))
    .limit(1);
  return { customer, visit, gaps: registrationGaps(registrationOf(t, customer)) };
}
