import { and, desc, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Executor } from '../../db/client.js';
import {
  customers,
  slaClocks,
  teams,
  ticketReturnVisits,
  tickets,
  users,
} from '../../db/schema/index.js';
import { staff, type TicketRow } from './access.js';
import { COUNTING_CLOCKS } from './sla-link.js';
import { contextFor, registrationOf } from './facts.js';
import { registrationGaps } from './rules/registration.js';
import { slaRisk } from './rules/sla-risk.js';
import { allowedTransitions } from './rules/transitions.js';
import type {
  CloseKind,
  CustomerTier,
  Priority,
  Tier,
  TicketStatus,
  Channel,
} from './rules/vocabulary.js';
import { getSettings, type TicketSettings } from './settings.js';
import type { TicketView } from './schemas.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const uniq = (ids: (string | null)[]) => [...new Set(ids.filter((x): x is string => !!x))];

/**
 * Full ticket views for `viewer`, in a fixed number of queries whatever the page size:
 * people, teams, customers, latest return visits, merge targets.
 */
export async function presentTickets(
  ex: Executor,
  rows: TicketRow[],
  viewer: Actor,
  now: Date,
  settings?: TicketSettings,
): Promise<TicketView[]> {
  if (rows.length === 0) return [];
  const s = settings ?? (await getSettings(ex));
  const ids = rows.map((r) => r.id);
  const userIds = uniq(
    rows.flatMap((r) => [r.registeredBy, r.receivingAgentId, r.ownerId, r.handlerId]),
  );
  const teamIds = uniq(rows.map((r) => r.teamId));
  const customerIds = uniq(rows.map((r) => r.customerId));
  const mergedIds = uniq(rows.map((r) => r.mergedIntoId));

  const [people, teamRows, customerRows, visits, merged, dueRows] = await Promise.all([
    ex.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)),
    teamIds.length
      ? ex.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds))
      : [],
    ex
      .select({
        id: customers.id,
        name: customers.name,
        tier: customers.tier,
        phone: customers.phone,
        email: customers.email,
        wechat: customers.wechat,
      })
      .from(customers)
      .where(inArray(customers.id, customerIds)),
    ex
      .select()
      .from(ticketReturnVisits)
      .where(inArray(ticketReturnVisits.ticketId, ids))
      .orderBy(desc(ticketReturnVisits.visitedAt), desc(ticketReturnVisits.createdAt)),
    mergedIds.length
      ? ex
          .select({ id: tickets.id, number: tickets.number })
          .from(tickets)
          .where(inArray(tickets.id, mergedIds))
      : [],
    // Read from the clocks, not the row: a write's answer is presented from the row as it was
    // before its timeline entry moved the clocks (same values as tickets.sla_due_at after it).
    ex
      .select({
        ticketId: slaClocks.ticketId,
        dueAt: sql`min(${slaClocks.dueAt})`.mapWith(slaClocks.dueAt),
        warnAt: sql`min(${slaClocks.warnAt})`.mapWith(slaClocks.warnAt),
      })
      .from(slaClocks)
      .where(and(inArray(slaClocks.ticketId, ids), inArray(slaClocks.state, COUNTING_CLOCKS)))
      .groupBy(slaClocks.ticketId),
  ]);
  const due = new Map(dueRows.map((d) => [d.ticketId, d]));
  // Return-visit authors may be outside the ticket's people.
  const visitorIds = uniq(visits.map((v) => v.byId)).filter((id) => !userIds.includes(id));
  const visitors = visitorIds.length
    ? await ex
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, visitorIds))
    : [];
  const person = byId([...people, ...visitors]);
  const team = byId(teamRows);
  const customer = byId(customerRows);
  const mergedTarget = byId(merged);
  const latestVisit = new Map<string, (typeof visits)[number]>();
  for (const v of visits) if (!latestVisit.has(v.ticketId)) latestVisit.set(v.ticketId, v);
  const refOf = (id: string | null) => (id ? { id, name: person.get(id)?.name ?? '' } : null);

  return rows.map((t) => {
    const c = customer.get(t.customerId);
    const gaps = registrationGaps(registrationOf(t, c));
    const visit = latestVisit.get(t.id);
    const target = t.mergedIntoId ? mergedTarget.get(t.mergedIntoId) : undefined;
    return {
      id: t.id,
      number: t.number,
      channel: t.channel as Channel,
      category: t.category,
      tier: t.tier as Tier,
      priority: t.priority as Priority,
      subject: t.subject,
      description: t.description,
      customer: {
        id: t.customerId,
        name: c?.name ?? '',
        tier: (c?.tier ?? 'regular') as CustomerTier,
      },
      receivedAt: t.receivedAt.toISOString(),
      registeredAt: t.registeredAt.toISOString(),
      registeredBy: refOf(t.registeredBy)!,
      receivingAgent: refOf(t.receivingAgentId)!,
      owner: refOf(t.ownerId)!,
      team: t.teamId ? { id: t.teamId, name: team.get(t.teamId)?.name ?? '' } : null,
      handler: refOf(t.handlerId),
      status: t.status as TicketStatus,
      greenChannel: t.greenChannel,
      tags: t.tags,
      customFields: t.customFields,
      version: t.version,
      slaDueAt: iso(due.get(t.id)?.dueAt ?? null),
      slaRisk: slaRisk(due.get(t.id)?.dueAt ?? null, due.get(t.id)?.warnAt ?? null, now),
      registration: { complete: gaps.length === 0, missing: gaps.map((g) => g.path) },
      firstResponseAt: iso(t.firstResponseAt),
      acceptedAt: iso(t.acceptedAt),
      resolvedAt: iso(t.resolvedAt),
      confirmedAt: iso(t.confirmedAt),
      closedAt: iso(t.closedAt),
      closeKind: t.closeKind as CloseKind | null,
      archivedAt: iso(t.archivedAt),
      mergedInto: target ? { id: target.id, number: target.number } : null,
      followUp:
        t.followUpPlan && t.followUpDueAt
          ? {
              reason: t.followUpReason ?? '',
              plan: t.followUpPlan,
              dueAt: t.followUpDueAt.toISOString(),
              doneAt: iso(t.followUpDoneAt),
            }
          : null,
      returnVisit: visit
        ? {
            visitedAt: visit.visitedAt.toISOString(),
            by: refOf(visit.byId)!,
            outcome: visit.outcome,
            customerAccepted: visit.customerAccepted,
          }
        : null,
      allowedTransitions: allowedTransitions(contextFor(t, gaps, visit, staff(viewer), now, s)),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  });
}

export async function presentTicket(
  ex: Executor,
  row: TicketRow,
  viewer: Actor,
  now: Date,
): Promise<TicketView> {
  return (await presentTickets(ex, [row], viewer, now))[0]!;
}
