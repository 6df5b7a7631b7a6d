import {
  and,
  desc,
  eq,
  getTableColumns,
  inArray,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Executor } from '../../db/client.js';
import {
  customers,
  slaClocks,
  teams,
  ticketReturnVisits,
  tickets,
  users,
} from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { listTickets, pageOrder } from './queries.js';
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
const atMs = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)));

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

/** The facts of a page by id, as the views read them (from pageFacts or from listPresented). */
interface Facts {
  person: Map<string, string>;
  team: Map<string, string>;
  customer: Map<
    string,
    {
      name: string;
      tier: string;
      phone: string | null;
      email: string | null;
      wechat: string | null;
    }
  >;
  mergedTarget: Map<string, { id: string; number: string }>;
  latestVisit: Map<
    string,
    { visitedAt: Date; byId: string; outcome: string; customerAccepted: boolean }
  >;
  due: Map<string, { dueAt: Date | null; warnAt: Date | null }>;
}

function factsOf(facts: PageFacts): Facts {
  const person = new Map(facts.people);
  for (const [, , byId, byName] of facts.visits) person.set(byId, byName);
  return {
    person,
    team: new Map(facts.teams),
    customer: new Map(
      facts.customers.map(([id, name, tier, phone, email, wechat]) => [
        id,
        { name, tier, phone, email, wechat },
      ]),
    ),
    mergedTarget: new Map(facts.merged.map(([id, number]) => [id, { id, number }])),
    latestVisit: new Map(
      facts.visits.map(([ticketId, visitedAt, byId, , outcome, customerAccepted]) => [
        ticketId,
        { visitedAt: new Date(Number(visitedAt)), byId, outcome, customerAccepted },
      ]),
    ),
    due: new Map(
      facts.due.map(([ticketId, dueAt, warnAt]) => [
        ticketId,
        { dueAt: atMs(dueAt), warnAt: atMs(warnAt) },
      ]),
    ),
  };
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
  return viewsOf(rows, factsOf(await pageFacts(ex, rows)), viewer, now, s);
}

function viewsOf(
  rows: TicketRow[],
  { person, team, customer, mergedTarget, latestVisit, due }: Facts,
  viewer: Actor,
  now: Date,
  s: TicketSettings,
): TicketView[] {
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

/**
 * A page of the list (`listTickets`, limit + 1 rows) and everything its views show beyond the
 * rows, in ONE statement: the list is a subquery (its LIMIT keeps it one, so the page is chosen
 * first); each row's people, team and merge target are read by key in scalar subqueries, its
 * customer joined, its latest return visit (with its author) and due-soonest clocks laterally —
 * plain columns, no JSON (JSON built in the database and parsed back was slower). The
 * values are read with the same expressions as pageFacts, so the views are the same bytes.
 */
export async function listPresented(
  ex: Executor,
  actor: Actor,
  q: Parameters<typeof listTickets>[2],
  after: CursorKey | undefined,
  now: Date,
): Promise<{ rows: TicketRow[]; views: TicketView[] }> {
  const page = listTickets(ex, actor, q, after).as('page');
  const ticketColumns = Object.fromEntries(
    Object.keys(getTableColumns(tickets)).map((k) => [k, page[k as keyof TicketRow]]),
  ) as unknown as typeof page._.selectedFields;
  // Names by key as scalar subqueries, not joins: the same lookups, but a 10-way join took
  // PostgreSQL ≈ 6 ms more to plan (join orders) than it took to run.
  const nameOf = (id: SQLWrapper) =>
    sql<string | null>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${id})`;
  const v = ticketReturnVisits;
  const visit = ex
    .select({
      visitedMs: sql<string>`${epochMs(sql`${v.visitedAt}`)}`.as('visited_ms'),
      byId: v.byId,
      byName: sql<string>`coalesce(${nameOf(v.byId)}, '')`.as('by_name'),
      outcome: v.outcome,
      customerAccepted: v.customerAccepted,
    })
    .from(v)
    .where(eq(v.ticketId, page.id))
    .orderBy(desc(v.visitedAt), desc(v.createdAt))
    .limit(1)
    .as('p_visit');
  const clocks = ex
    .select({
      dueMs: sql<string | null>`${epochMs(sql`min(${slaClocks.dueAt})`)}`.as('due_ms'),
      warnMs: sql<string | null>`${epochMs(sql`min(${slaClocks.warnAt})`)}`.as('warn_ms'),
    })
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, page.id), inArray(slaClocks.state, [...COUNTING_CLOCKS])))
    .as('p_due');
  const [settings, joined] = await Promise.all([
    getSettingsCached(ex),
    ex
      .select({
        ticket: ticketColumns,
        registeredByName: nameOf(page.registeredBy),
        receivingAgentName: nameOf(page.receivingAgentId),
        ownerName: nameOf(page.ownerId),
        handlerName: nameOf(page.handlerId),
        teamName: sql<
          string | null
        >`(SELECT ${teams.name} FROM ${teams} WHERE ${teams.id} = ${page.teamId})`,
        customer: {
          id: customers.id,
          name: customers.name,
          tier: customers.tier,
          phone: customers.phone,
          email: customers.email,
          wechat: customers.wechat,
        },
        mergedNumber: sql<
          string | null
        >`(SELECT m.number FROM ${tickets} AS m WHERE m.id = ${page.mergedIntoId})`,
        visit: {
          visitedMs: visit.visitedMs,
          byId: visit.byId,
          byName: visit.byName,
          outcome: visit.outcome,
          customerAccepted: visit.customerAccepted,
        },
        due: { dueMs: clocks.dueMs, warnMs: clocks.warnMs },
      })
      .from(page)
      .leftJoin(customers, eq(customers.id, page.customerId))
      .leftJoinLateral(visit, sql`true`)
      .leftJoinLateral(clocks, sql`true`)
      .orderBy(...pageOrder(q.sort, page)),
  ]);
  const facts: Facts = {
    person: new Map(),
    team: new Map(),
    customer: new Map(),
    mergedTarget: new Map(),
    latestVisit: new Map(),
    due: new Map(),
  };
  const rows = joined.map((j) => j.ticket as TicketRow);
  const viewed = joined.slice(0, q.limit);
  for (const j of viewed) {
    const t = j.ticket as TicketRow;
    const named: [string | null, string | null][] = [
      [t.registeredBy, j.registeredByName],
      [t.receivingAgentId, j.receivingAgentName],
      [t.ownerId, j.ownerName],
      [t.handlerId, j.handlerName],
    ];
    for (const [id, name] of named) if (id && name !== null) facts.person.set(id, name);
    if (t.teamId && j.teamName !== null) facts.team.set(t.teamId, j.teamName);
    if (j.customer?.id) facts.customer.set(j.customer.id, j.customer);
    if (t.mergedIntoId && j.mergedNumber !== null)
      facts.mergedTarget.set(t.mergedIntoId, { id: t.mergedIntoId, number: j.mergedNumber });
    // A ticket with no return visit: drizzle may give the object as null or as nulls.
    if (j.visit && j.visit.visitedMs !== null && j.visit.byId !== null) {
      const { visitedMs, byId, byName, outcome, customerAccepted } = j.visit;
      facts.latestVisit.set(t.id, {
        visitedAt: new Date(Number(visitedMs)),
        byId,
        outcome,
        customerAccepted,
      });
      facts.person.set(byId, byName);
    }
    if (j.due.dueMs !== null || j.due.warnMs !== null)
      facts.due.set(t.id, { dueAt: atMs(j.due.dueMs), warnAt: atMs(j.due.warnMs) });
  }
  const pageRows = rows.slice(0, q.limit);
  return { rows, views: viewsOf(pageRows, facts, actor, now, settings) };
}
