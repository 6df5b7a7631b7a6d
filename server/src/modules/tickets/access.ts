import { eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Executor } from '../../db/client.js';
import { tickets } from '../../db/schema/index.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { mayView, seesAllTickets } from './policy.js';
import type { TransitionActor } from './rules/state-machine.js';

export type TicketRow = typeof tickets.$inferSelect;

/** Who acts on a ticket: a signed-in staff member, the customer (portal link), the scheduler. */
export type Doer = { kind: 'staff'; actor: Actor } | { kind: 'customer' } | { kind: 'system' };

export const staff = (actor: Actor): Doer => ({ kind: 'staff', actor });
export const SYSTEM: Doer = { kind: 'system' };
export const CUSTOMER: Doer = { kind: 'customer' };

export const transitionActorsOf = (d: Doer): TransitionActor[] =>
  d.kind === 'staff' ? d.actor.roles : [d.kind];

/** Audit context for work done without a signed-in user. */
export function systemContext(
  at: Date,
  who: 'system' | 'customer:portal' = 'system',
): AuditContext {
  return { actorId: null, actorName: who, ip: null, userAgent: null, requestId: null, at };
}

/** SQL restricting tickets to what `actor` may see (undefined: everything). */
export function visibleTo(actor: Actor): SQL | undefined {
  if (seesAllTickets(actor)) return undefined;
  return or(
    eq(tickets.ownerId, actor.userId),
    eq(tickets.handlerId, actor.userId),
    actor.teamIds.length ? inArray(tickets.teamId, actor.teamIds) : sql`false`,
  );
}

/** A ticket the caller may see, or 404 (an invisible ticket is indistinguishable from none). */
export async function findVisibleTicket(ex: Executor, id: string, actor: Actor) {
  const [row] = await ex.select().from(tickets).where(eq(tickets.id, id));
  if (!row || !mayView(actor, row)) throw problems.notFound('Ticket', 'id');
  return row;
}

/** `If-Match: "3"` (or W/"3", or 3) → 3; `*` or absent → no check. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!m) {
    throw new HttpProblem({
      status: 400,
      code: 'invalid_request',
      detail: 'If-Match must be the ticket version as an entity tag, e.g. "3".',
      errors: [{ path: 'If-Match', message: 'expected "<version>"' }],
    });
  }
  return Number(m[1]);
}

export const staleVersion = (current: number, expected: number) =>
  new HttpProblem({
    status: 412,
    code: 'stale_version',
    detail: `The ticket changed since you read it (version ${expected}, now ${current}); reload it.`,
    extra: { currentVersion: current },
  });

/**
 * Locks the ticket row for this transaction, after checking visibility and the version the
 * caller read. Every ticket write goes through here.
 */
export async function lockTicket(
  tx: Executor,
  id: string,
  doer: Doer,
  expectedVersion?: number,
  opts: { allowArchived?: boolean } = {},
): Promise<TicketRow> {
  // NO KEY UPDATE, not UPDATE: the id never changes, and this lock leaves the foreign-key checks
  // of rows pointing at the ticket (the SLA sweeper's notifications) free to proceed, so a
  // command and a sweep never wait on each other through the ticket row.
  const [row] = await tx.select().from(tickets).where(eq(tickets.id, id)).for('no key update');
  if (!row || (doer.kind === 'staff' && !mayView(doer.actor, row)))
    throw problems.notFound('Ticket', 'id');
  if (expectedVersion !== undefined && expectedVersion !== row.version)
    throw staleVersion(row.version, expectedVersion);
  if (row.status === 'archived' && !opts.allowArchived) {
    throw problems.conflict('ticket_archived', 'The ticket is archived and read-only.');
  }
  return row;
}

/** Writes changed columns and bumps the version (the ETag) — for every change of the ticket. */
export async function saveTicket(
  tx: Executor,
  row: TicketRow,
  changes: Partial<TicketRow>,
  at: Date,
): Promise<TicketRow> {
  const [saved] = await tx
    .update(tickets)
    .set({ ...changes, version: row.version + 1, updatedAt: at })
    .where(eq(tickets.id, row.id))
    .returning();
  if (!saved) throw new Error(`ticket ${row.id} vanished while locked`);
  return saved;
}
