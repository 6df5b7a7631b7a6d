/**
 * Calls and the SLA's first response on instant channels (SPEC 3: 30 s for phone in working
 * hours). A call registered as a ticket is received at its ring time, so the ticket's
 * first-response clock (the instant-channel policy) runs from the ring, exactly as a chat
 * ticket's runs from the handover. Answering the call is the first response: the clock is met
 * at the answer time (late when that is past the due time). A missed call leaves it running and
 * the SLA sweeper breaches it at its due time — the same as a chat nobody accepts — until a
 * person does respond (a public reply, or an answered call-back on the ticket).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { tickets } from '../../db/schema/index.js';
import { meetClock } from '../sla/clocks.js';
import { refreshSlaSummary } from '../tickets/sla-link.js';

export async function meetFirstResponseByCall(
  tx: Executor,
  ticketId: string,
  answeredAt: Date,
): Promise<void> {
  await meetClock(tx, ticketId, 'first_response', answeredAt);
  await tx
    .update(tickets)
    .set({ firstResponseAt: answeredAt })
    .where(and(eq(tickets.id, ticketId), isNull(tickets.firstResponseAt)));
  await refreshSlaSummary(tx, ticketId);
}
