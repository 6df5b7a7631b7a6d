import { eq, inArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { ticketLinks, tickets } from '../../db/schema/index.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { findVisibleTicket, lockTicket, saveTicket, staff, type TicketRow } from './access.js';
import { revokeConfirmations } from './confirmations.js';
import { mayView } from './policy.js';
import { presentTicket, presentTickets } from './present.js';
import { FINISHED_STATUSES, type TicketStatus } from './rules/vocabulary.js';
import type { TicketView } from './schemas.js';
import { appendEvent } from './timeline.js';

const pair = (x: string, y: string) => (x < y ? { a: x, b: y } : { a: y, b: x });

async function upsertLink(
  tx: Executor,
  x: string,
  y: string,
  kind: 'related' | 'merged',
  actor: Actor,
  at: Date,
) {
  const { a, b } = pair(x, y);
  return tx
    .insert(ticketLinks)
    .values({ ticketA: a, ticketB: b, kind, createdBy: actor.userId, createdAt: at })
    .onConflictDoUpdate({
      target: [ticketLinks.ticketA, ticketLinks.ticketB],
      set: { kind },
      where: sql`${kind} = 'merged'`,
    })
    .returning();
}

const isFinished = (t: TicketRow) => FINISHED_STATUSES.includes(t.status as TicketStatus);

/**
 * Merges a duplicate into another ticket: the duplicate closes as `merged` (its timeline stays
 * readable), both are linked, and both timelines say so.
 */
export function mergeTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  intoId: string,
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    if (id === intoId)
      throw problems.invalid([{ path: 'intoId', message: 'cannot merge a ticket into itself' }]);
    const doer = staff(actor);
    // Lock both rows in id order so two crossed merges cannot deadlock.
    const [first, second] = [id, intoId].sort();
    const locked = new Map<string, TicketRow>();
    for (const tid of [first!, second!]) {
      try {
        locked.set(tid, await lockTicket(tx, tid, doer, tid === id ? expectedVersion : undefined));
      } catch (err) {
        if (tid === intoId && err instanceof HttpProblem && err.status === 404)
          throw problems.notFound('Ticket', 'intoId');
        throw err;
      }
    }
    const source = locked.get(id)!;
    const target = locked.get(intoId)!;
    if (isFinished(source))
      throw problems.conflict('ticket_closed', 'A closed ticket cannot be merged.');
    if (isFinished(target))
      throw problems.conflict('target_closed', 'Merge into an open ticket.', [
        { path: 'intoId', message: 'the target ticket is closed' },
      ]);
    await revokeConfirmations(tx, id, ctx.at);
    const saved = await saveTicket(
      tx,
      source,
      { status: 'closed', closedAt: ctx.at, closeKind: 'merged', mergedIntoId: intoId },
      ctx.at,
    );
    await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, intoId));
    await upsertLink(tx, id, intoId, 'merged', actor, ctx.at);
    await appendEvent(tx, id, ctx, doer, {
      kind: 'status',
      data: { from: source.status, to: 'closed', closeKind: 'merged', mergedInto: target.number },
    });
    await appendEvent(tx, id, ctx, doer, {
      kind: 'merge',
      data: { into: { id: intoId, number: target.number } },
    });
    await appendEvent(tx, intoId, ctx, doer, {
      kind: 'merge',
      data: { from: { id, number: source.number, subject: source.subject } },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.merge',
      targetType: 'ticket',
      targetId: id,
      before: { status: source.status, mergedIntoId: null },
      after: { status: 'closed', mergedIntoId: intoId },
    });
    return presentTicket(tx, saved, actor, ctx.at);
  });
}

export type LinkKind = 'related' | 'merged' | 'split_from' | 'split_into';

export type LinkedTicketView = TicketView & {
  link: { kind: LinkKind; createdAt: string };
};

/** The link as seen from `id`: a split reads "split from" on the new ticket, "into" on the old. */
const linkKindFrom = (id: string, l: { kind: string; sourceId: string | null }): LinkKind =>
  l.kind === 'split'
    ? l.sourceId === id
      ? 'split_into'
      : 'split_from'
    : (l.kind as 'related' | 'merged');

/** Tickets linked to `id` that the caller may see, with the kind of link. */
export async function listLinks(ex: Executor, actor: Actor, id: string, now: Date) {
  await findVisibleTicket(ex, id, actor);
  const links = await ex
    .select()
    .from(ticketLinks)
    .where(or(eq(ticketLinks.ticketA, id), eq(ticketLinks.ticketB, id)));
  const other = new Map(links.map((l) => [l.ticketA === id ? l.ticketB : l.ticketA, l]));
  if (other.size === 0) return [];
  const rows = (
    await ex
      .select()
      .from(tickets)
      .where(inArray(tickets.id, [...other.keys()]))
  ).filter((t) => mayView(actor, t));
  rows.sort((x, y) => y.receivedAt.getTime() - x.receivedAt.getTime());
  const views = await presentTickets(ex, rows, actor, now);
  return views.map((v): LinkedTicketView => {
    const l = other.get(v.id)!;
    return {
      ...v,
      link: { kind: linkKindFrom(id, l), createdAt: l.createdAt.toISOString() },
    };
  });
}

/** Links two related tickets (both timelines note it). Archived tickets may be linked to. */
export function linkTickets(db: Db, ctx: AuditContext, actor: Actor, id: string, otherId: string) {
  return db.transaction(async (tx) => {
    if (id === otherId)
      throw problems.invalid([{ path: 'otherId', message: 'cannot link a ticket to itself' }]);
    const self = await findVisibleTicket(tx, id, actor);
    const other = await findVisibleTicket(tx, otherId, actor).catch((err: unknown) => {
      throw err instanceof HttpProblem && err.status === 404
        ? problems.notFound('Ticket', 'otherId')
        : err;
    });
    const { a, b } = pair(id, otherId);
    const inserted = await tx
      .insert(ticketLinks)
      .values({ ticketA: a, ticketB: b, createdBy: actor.userId, createdAt: ctx.at })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0)
      throw problems.conflict('already_linked', 'These tickets are already linked.', [
        { path: 'otherId', message: 'already linked' },
      ]);
    const doer = staff(actor);
    await appendEvent(tx, id, ctx, doer, {
      kind: 'link',
      data: { other: { id: otherId, number: other.number } },
    });
    await appendEvent(tx, otherId, ctx, doer, {
      kind: 'link',
      data: { other: { id, number: self.number } },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.link',
      targetType: 'ticket',
      targetId: id,
      after: { otherId },
    });
    const [view] = await presentTickets(tx, [other], actor, ctx.at);
    return {
      ...view!,
      link: { kind: 'related' as const, createdAt: ctx.at.toISOString() },
    } satisfies LinkedTicketView;
  });
}
