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
  dueSummary,
  insertPlannedClocks,
  plannedClocksCtes,
  meetClock,
  meetPlannedClock,
  pauseClocks,
  planNewTicketClocks,
  reclassify,
  resumeClocks,
  startClocks,
  startReworkClock,
  type TicketFacts,
} from '../sla/clocks.js';
import { getSlaSettingsCached } from '../sla/settings.js';
import type { TargetKind } from '../sla/rules/policy.js';
import { acknowledgeOffHours, planOffHoursAck } from './sla-actions.js';
import type { NewEvent } from './timeline.js';

/**
 * What a person's public reply to the customer achieves (the off-hours acknowledgement too: an
 * agent who answers before the automatic text, or where it is switched off, acknowledges).
 */
const MET_BY_PUBLIC_REPLY: readonly TargetKind[] = [
  'first_response',
  'off_hours_ack',
  'follow_up_contact',
  'complaint_contacted',
  'progress_update',
  'progress',
];

/** Progress owed to the customer while the ticket is worked on (stopped by resolving). */
const PROGRESS: readonly TargetKind[] = ['progress_update', 'progress'];

/** What accepting the ticket achieves: the first response, and the off-hours acknowledgement. */
const MET_BY_ACCEPT: readonly TargetKind[] = ['first_response', 'off_hours_ack'];

/** What the first (or a revised) handling plan achieves (`handling-plans.ts`). */
const MET_BY_HANDLING_PLAN: readonly TargetKind[] = ['handling_plan', 'complaint_plan'];

/**
 * Targets not to start for a ticket on `channel`: the off-hours acknowledgement runs only on the
 * channels the SLA settings acknowledge (`offHoursAck.channels`), so the policy never times an
 * acknowledgement that no one is set up to give (docs/sla.md, "The off-hours acknowledgement").
 */
async function targetsNotStarted(tx: Executor, channel: string): Promise<TargetKind[]> {
  const settings = await getSlaSettingsCached(tx);
  return (settings.offHoursAck.channels as string[]).includes(channel) ? [] : ['off_hours_ack'];
}
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

/**
 * Registration (`createTicket`): the clocks and the off-hours acknowledgement planned before the
 * ticket row exists, so the row is written once with its due time (`slaDueAt`, `slaWarnAt`)
 * and what `moveClocksFor` does for a `created` entry costs no reads of the new ticket.
 */
export async function planNewTicketSla(
  tx: Executor,
  t: {
    id: string;
    channel: string;
    number: string;
    customerLocale: string | null;
    facts: TicketFacts;
  },
  now: Date,
) {
  // A new ticket has no team yet: the default calendar, as `factsOf` would find.
  const exclude = await targetsNotStarted(tx, t.channel);
  const clocks = await planNewTicketClocks(
    tx,
    { ticketId: t.id, facts: t.facts, teamId: null, exclude },
    now,
  );
  // Registration meets "complaint registered" (late when the request was received — a back-dated
  // phone call or visit — more than the limit before it was entered).
  meetPlannedClock(clocks, 'complaint_registered', now);
  const ack = await planOffHoursAck(tx, clocks, t, now);
  return { clocks, ack, ...dueSummary(clocks.rows) };
}

type PlannedSla = {
  ticketId: string;
  sla: Awaited<ReturnType<typeof planNewTicketSla>>;
  now: Date;
};

/** Writes what `planNewTicketSla` planned, once the ticket rows are there (one or a batch). */
export async function writeNewTicketsSla(
  tx: Executor,
  planned: readonly PlannedSla[],
): Promise<void> {
  await insertPlannedClocks(
    tx,
    planned.map((p) => p.sla.clocks),
  );
  await afterNewTicketsSla(tx, planned);
}

/**
 * `writeNewTicketsSla` in two halves for a caller that writes the tickets and their clocks in one
 * statement (`writeTickets`): the clocks' CTEs for that statement, then what needs the written
 * clocks (a repeating acknowledgement met).
 */
export function newTicketsSlaCtes(tx: Executor, planned: readonly PlannedSla[]) {
  return plannedClocksCtes(
    tx,
    planned.map((p) => p.sla.clocks),
  );
}

export async function afterNewTicketsSla(
  tx: Executor,
  planned: readonly PlannedSla[],
): Promise<void> {
  for (const { ticketId, sla, now } of planned)
    if (sla.ack?.meetAfterInsert) {
      await meetClock(tx, ticketId, 'off_hours_ack', now);
      await refreshSlaSummary(tx, ticketId);
    }
}

/** `writeNewTicketsSla` for one ticket. */
export function writeNewTicketSla(
  tx: Executor,
  ticketId: string,
  sla: Awaited<ReturnType<typeof planNewTicketSla>>,
  now: Date,
): Promise<void> {
  return writeNewTicketsSla(tx, [{ ticketId, sla, now }]);
}

/** Clocks that count towards the ticket's due time (a breached one until it is met). */
export const COUNTING_CLOCKS = ['running', 'breached'] as const;

/** Timeline kinds that may start, stop or move a clock. */
const MOVES_CLOCKS: readonly NewEvent['kind'][] = [
  'created',
  'reply',
  'assignment',
  'status',
  'field',
  'tier',
  'handling_plan',
];

/**
 * Moves the clocks for the timeline entry `e`, then the ticket's due-soonest summary with them
 * (same transaction), so the queues' `sort=due_asc` never sees one without the other.
 */
export async function moveClocksFor(tx: Executor, ticketId: string, e: NewEvent, now: Date) {
  if (!MOVES_CLOCKS.includes(e.kind)) return;
  await moveClocks(tx, ticketId, e, now);
  await refreshSlaSummary(tx, ticketId);
}

/**
 * `tickets.sla_due_at` / `sla_warn_at`: the earliest due and warning times among the ticket's
 * counting clocks — running, or breached and not yet met (an overdue ticket stays first in the
 * due-soonest order). Paused, met and cancelled clocks do not count. Written only when changed.
 */
export async function refreshSlaSummary(tx: Executor, ticketId: string): Promise<void> {
  await tx.execute(sql`
    UPDATE tickets t SET sla_due_at = c.due_at, sla_warn_at = c.warn_at
    FROM (SELECT min(due_at) AS due_at, min(warn_at) AS warn_at FROM sla_clocks
          WHERE ticket_id = ${ticketId} AND state IN ('running', 'breached')) c
    WHERE t.id = ${ticketId}
      AND (t.sla_due_at IS DISTINCT FROM c.due_at OR t.sla_warn_at IS DISTINCT FROM c.warn_at)`);
}

async function moveClocks(tx: Executor, ticketId: string, e: NewEvent, now: Date) {
  const data = e.data ?? {};
  switch (e.kind) {
    case 'created': {
      const { facts, teamId } = await factsOf(tx, ticketId);
      const exclude = await targetsNotStarted(tx, facts.channel);
      const started = await startClocks(tx, { ticketId, facts, teamId, exclude }, now);
      await meetClock(tx, ticketId, 'complaint_registered', now);
      // Received outside the team's working hours: the automatic acknowledgement (SPEC 3).
      await acknowledgeOffHours(tx, ticketId, started.clocks, now);
      return;
    }
    case 'reply':
      // The customer's own message (portal) answers nothing the service owes them.
      if (data.by === 'customer') return;
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
      if (to === 'accepted')
        for (const kind of MET_BY_ACCEPT) await meetClock(tx, ticketId, kind, now);
      if (to === 'resolved') {
        await meetClock(tx, ticketId, 'resolution', now);
        // The final answer is given: no further progress updates are owed (recorded, not hidden).
        await cancelClocks(tx, ticketId, now, PROGRESS);
      }
      // Rework is timed: a fresh resolution clock (and progress updates) per the ticket's
      // policy, attributed as rework.
      if (to === 'reopened') {
        for (const kind of ['resolution', ...PROGRESS] as const) {
          await startReworkClock(tx, ticketId, kind, now);
        }
      }
      // Closing records each open clock's outcome (missed when overdue, else cancelled).
      if (to === 'closed' || to === 'archived') await cancelClocks(tx, ticketId, now);
      return;
    }
    case 'handling_plan':
      for (const kind of MET_BY_HANDLING_PLAN) await meetClock(tx, ticketId, kind, now);
      return;
    case 'field':
    case 'tier': {
      const { facts, teamId } = await factsOf(tx, ticketId);
      const exclude = await targetsNotStarted(tx, facts.channel);
      const result = await reclassify(tx, ticketId, facts, now, { teamId }, exclude);
      if (result.changed) {
        // Re-classified as a complaint: it is registered as one now.
        await meetClock(tx, ticketId, 'complaint_registered', now);
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
