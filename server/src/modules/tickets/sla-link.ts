/**
 * Keeps a ticket's SLA clocks in step with what happens to it. Every change of a ticket goes
 * through its timeline (`appendEvent`), in the change's own transaction, so the timeline entry
 * is the one place that moves the clocks: started on registration, paused while waiting on the
 * customer, met by a public reply / assignment / resolution, re-planned when the classification
 * changes, cancelled on closing. The integration contract is in docs/sla.md.
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { customers, ticketEvents, tickets } from '../../db/schema/index.js';
import {
  cancelClocks,
  meetClock,
  pauseClocks,
  reclassify,
  resumeClocks,
  startClocks,
  type TicketFacts,
} from '../sla/clocks.js';
import type { TargetKind } from '../sla/rules/policy.js';
import type { NewEvent } from './timeline.js';

/** What a public reply to the customer achieves. */
const MET_BY_PUBLIC_REPLY: readonly TargetKind[] = [
  'first_response',
  'follow_up_contact',
  'complaint_contacted',
  'progress_update',
  'progress',
];

async function factsOf(tx: Executor, ticketId: string) {
  const [row] = await tx
    .select({
      channel: tickets.channel,
      category: tickets.category,
      tier: tickets.tier,
      priority: tickets.priority,
      receivedAt: tickets.receivedAt,
      teamId: tickets.teamId,
      customerTier: sql<string>`coalesce(${customers.tier}, 'regular')`,
    })
    .from(tickets)
    .leftJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, ticketId));
  if (!row) throw new Error(`ticket ${ticketId} not found for SLA`);
  const facts: TicketFacts = {
    channel: row.channel,
    category: row.category,
    tier: row.tier,
    priority: row.priority,
    customerTier: row.customerTier,
    receivedAt: row.receivedAt.getTime(),
  };
  return { facts, teamId: row.teamId };
}

export async function moveClocksFor(tx: Executor, ticketId: string, e: NewEvent, now: Date) {
  const data = e.data ?? {};
  switch (e.kind) {
    case 'created': {
      const { facts, teamId } = await factsOf(tx, ticketId);
      await startClocks(tx, { ticketId, facts, teamId }, now);
      return;
    }
    case 'reply':
      for (const kind of MET_BY_PUBLIC_REPLY) await meetClock(tx, ticketId, kind, now);
      return;
    case 'assignment':
      if ((data.team as { to?: unknown } | undefined)?.to) {
        await meetClock(tx, ticketId, 'assignment', now);
      }
      return;
    case 'status': {
      const from = data.from as string | undefined;
      const to = data.to as string | undefined;
      if (from === 'pending_customer') await resumeClocks(tx, ticketId, now);
      if (to === 'pending_customer') await pauseClocks(tx, ticketId, now);
      if (to === 'accepted') await meetClock(tx, ticketId, 'first_response', now);
      if (to === 'resolved') await meetClock(tx, ticketId, 'resolution', now);
      if (to === 'closed' || to === 'archived') await cancelClocks(tx, ticketId, now);
      return;
    }
    case 'field':
    case 'tier': {
      const { facts, teamId } = await factsOf(tx, ticketId);
      const result = await reclassify(tx, ticketId, facts, now, { teamId });
      if (result.changed) {
        // Recorded straight into the timeline: going through appendEvent would loop back here.
        await tx.insert(ticketEvents).values({
          ticketId,
          kind: 'field',
          at: now,
          actorId: null,
          actorName: null,
          visibility: 'internal',
          body: null,
          data: {
            sla: {
              from: result.fromPolicyKey,
              to: result.toPolicyKey,
              policyVersion: result.policyVersion,
            },
          },
        });
      }
      return;
    }
    default:
      return;
  }
}
