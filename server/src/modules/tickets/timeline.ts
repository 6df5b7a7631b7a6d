import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ticketEvents } from '../../db/schema/index.js';
import type { AuditContext } from '../audit/service.js';
import type { Doer } from './access.js';
import { moveClocksFor } from './sla-link.js';
import type { TimelineKind } from './rules/vocabulary.js';
import type { TimelineEntryView } from './schemas.js';

type EventRow = typeof ticketEvents.$inferSelect;

export interface NewEvent {
  kind: TimelineKind;
  visibility?: 'public' | 'internal';
  body?: string | null;
  data?: Record<string, unknown>;
}

/** Kinds the customer sees by default (status changes, public replies, confirmations). */
const PUBLIC_KINDS: readonly TimelineKind[] = ['created', 'reply', 'status', 'confirmation'];

/**
 * The row `appendEvent` writes for `e`. Written without `appendEvent` only where the caller
 * moves the clocks itself (registration plans them with the ticket: `createTicket`).
 */
export function eventValues(
  ticketId: string,
  ctx: AuditContext,
  doer: Doer,
  e: NewEvent,
): typeof ticketEvents.$inferInsert {
  return {
    ticketId,
    kind: e.kind,
    at: ctx.at,
    actorId: doer.kind === 'staff' ? doer.actor.userId : null,
    actorName: doer.kind === 'staff' ? doer.actor.name : null,
    visibility: e.visibility ?? (PUBLIC_KINDS.includes(e.kind) ? 'public' : 'internal'),
    body: e.body ?? null,
    data: { ...(doer.kind === 'staff' ? {} : { by: doer.kind }), ...e.data },
  };
}

/** Appends to the immutable timeline, in the caller's transaction. */
export async function appendEvent(
  tx: Executor,
  ticketId: string,
  ctx: AuditContext,
  doer: Doer,
  e: NewEvent,
): Promise<EventRow> {
  const [row] = await tx
    .insert(ticketEvents)
    .values(eventValues(ticketId, ctx, doer, e))
    .returning();
  if (!row) throw new Error('timeline insert returned no row');
  await moveClocksFor(tx, ticketId, e, ctx.at);
  return row;
}

export function presentEvent(e: EventRow): TimelineEntryView {
  return {
    id: e.id,
    kind: e.kind as TimelineKind,
    at: e.at.toISOString(),
    actor: e.actorId ? { id: e.actorId, name: e.actorName ?? '' } : null,
    visibility: e.visibility as 'public' | 'internal',
    body: e.body,
    data: e.data,
  };
}

/** The timeline in order (oldest first), keyset on seq; `visibility: 'public'` for customers. */
export async function listEvents(
  ex: Executor,
  ticketIds: string[],
  opts: { limit: number; afterSeq?: number; visibility?: 'public' | 'internal' },
) {
  return ex
    .select()
    .from(ticketEvents)
    .where(
      and(
        inArray(ticketEvents.ticketId, ticketIds),
        opts.visibility ? eq(ticketEvents.visibility, opts.visibility) : undefined,
        opts.afterSeq !== undefined ? gt(ticketEvents.seq, opts.afterSeq) : undefined,
      ),
    )
    .orderBy(asc(ticketEvents.seq))
    .limit(opts.limit);
}
