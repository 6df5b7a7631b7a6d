import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Executor } from '../../db/client.js';
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
import { getSettingsCached, type TicketSettings } from './settings.js';
import type { TicketView } from './schemas.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const uniq = (ids: (string | null)[]) => [...new Set(ids.filter((x): x is string => !!x))];
/** A uuid[] parameter as one array literal (both drivers, any length, empty included). */
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const epochMs = (column: SQL) => sql`floor(extract(epoch FROM ${column}) * 1000)`;
const atMs = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

/** What the one presenting statement answers: small JSON arrays of tuples. */
interface PageFacts {
  people: [id: string, name: string][];
  teams: [id: string, name: string][];
  customers: [
    id: string,
    name: string,
    tier: string,
    phone: string | null,
    email: string | null,
    wechat: string | null,
  ][];
  visits: [
    ticketId: string,
    visitedAt: number,
    byId: string,
    byName: string,
    outcome: string,
    customerAccepted: boolean,
  ][];
  merged: [id: string, number: string][];
  due: [ticketId: string, dueAt: number | null, warnAt: number | null][];
}

/**
 * Everything a page of tickets shows beyond its rows — people, teams, customers, the latest
 * return visit (with its author's name), merge targets, the due-soonest clocks — in ONE
 * statement: one round trip and one pooled connection per page instead of six queries.
 * Due times are read from the clocks, not the row: a write's answer is presented from the row
 * as it was before its timeline entry moved the clocks (same values as tickets.sla_due_at after).
 */
async function pageFacts(ex: Executor, rows: TicketRow[]): Promise<PageFacts> {
  const ids = uuids(rows.map((r) => r.id));
  const userIds = uuids(
    uniq(rows.flatMap((r) => [r.registeredBy, r.receivingAgentId, r.ownerId, r.handlerId])),
  );
  const teamIds = uuids(uniq(rows.map((r) => r.teamId)));
  const customerIds = uuids(uniq(rows.map((r) => r.customerId)));
  const mergedIds = uuids(uniq(rows.map((r) => r.mergedIntoId)));
  const counting = sql`${`{${COUNTING_CLOCKS.join(',')}}`}::text[]`;
  const agg = (tuple: SQL) => sql`coalesce(json_agg(${tuple}), '[]'::json)`;
  const [facts] = rowsOf<PageFacts>(
    await ex.execute(sql`SELECT
      (SELECT ${agg(sql`json_build_array(u.id, u.name)`)}
         FROM users u WHERE u.id = ANY (${userIds})) AS people,
      (SELECT ${agg(sql`json_build_array(t.id, t.name)`)}
         FROM teams t WHERE t.id = ANY (${teamIds})) AS teams,
      (SELECT ${agg(sql`json_build_array(c.id, c.name, c.tier, c.phone, c.email, c.wechat)`)}
         FROM customers c WHERE c.id = ANY (${customerIds})) AS customers,
      (SELECT ${agg(sql`json_build_array(v.ticket_id, ${epochMs(sql`v.visited_at`)}, v.by_id,
                 coalesce(u.name, ''), v.outcome, v.customer_accepted)`)}
         FROM (SELECT DISTINCT ON (ticket_id) * FROM ticket_return_visits
               WHERE ticket_id = ANY (${ids})
               ORDER BY ticket_id, visited_at DESC, created_at DESC) v
         LEFT JOIN users u ON u.id = v.by_id) AS visits,
      (SELECT ${agg(sql`json_build_array(m.id, m.number)`)}
         FROM tickets m WHERE m.id = ANY (${mergedIds})) AS merged,
      (SELECT ${agg(sql`json_build_array(d.ticket_id, ${epochMs(sql`d.due_at`)}, ${epochMs(sql`d.warn_at`)})`)}
         FROM (SELECT ticket_id, min(due_at) AS due_at, min(warn_at) AS warn_at FROM sla_clocks
               WHERE ticket_id = ANY (${ids}) AND state = ANY (${counting})
               GROUP BY ticket_id) d) AS due`),
  );
  if (!facts) throw new Error('presenting statement returned no row');
  return facts;
}

/**
 * Full ticket views for `viewer`, in one statement whatever the page size (pageFacts).
 */
export async function presentTickets(
  ex: Executor,
  rows: TicketRow[],
  viewer: Actor,
  now: Date,
  settings?: TicketSettings,
): Promise<TicketView[]> {
  if (rows.length === 0) return [];
  // One after the other: `ex` may be a transaction (one connection); the settings are cached.
  const s = settings ?? (await getSettingsCached(ex));
  const facts = await pageFacts(ex, rows);
  const person = new Map(facts.people);
  for (const [, , byId, byName] of facts.visits) person.set(byId, byName);
  const team = new Map(facts.teams);
  const customer = new Map(
    facts.customers.map(([id, name, tier, phone, email, wechat]) => [
      id,
      { name, tier, phone, email, wechat },
    ]),
  );
  const mergedTarget = new Map(facts.merged.map(([id, number]) => [id, { id, number }]));
  const latestVisit = new Map(
    facts.visits.map(([ticketId, visitedAt, byId, , outcome, customerAccepted]) => [
      ticketId,
      { visitedAt: new Date(Number(visitedAt)), byId, outcome, customerAccepted },
    ]),
  );
  const due = new Map(
    facts.due.map(([ticketId, dueAt, warnAt]) => [
      ticketId,
      { dueAt: atMs(dueAt), warnAt: atMs(warnAt) },
    ]),
  );
  const refOf = (id: string | null) => (id ? { id, name: person.get(id) ?? '' } : null);

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
      team: t.teamId ? { id: t.teamId, name: team.get(t.teamId) ?? '' } : null,
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
