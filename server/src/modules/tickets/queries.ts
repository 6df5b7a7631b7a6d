import {
  and,
  asc,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Executor } from '../../db/client.js';
import { customers, tickets } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { visibleTo } from './access.js';
import { customFieldCondition } from './custom-fields.js';
import { searchTsQuery } from './rules/search-terms.js';
import { ACTIVE_STATUSES, QUEUES, type Queue } from './rules/vocabulary.js';
import type { ListTicketsQuery } from './schemas.js';

const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/** The queues of the agent console (SPEC 1, 2, 4), for `actor`. */
export function queueCondition(queue: Queue, actor: Actor): SQL | undefined {
  const active = inArray(tickets.status, [...ACTIVE_STATUSES]);
  switch (queue) {
    case 'mine':
      return and(
        active,
        or(eq(tickets.ownerId, actor.userId), eq(tickets.handlerId, actor.userId)),
      );
    case 'team':
      return actor.teamIds.length
        ? and(active, inArray(tickets.teamId, actor.teamIds))
        : sql`false`;
    case 'unassigned':
      return and(active, isNull(tickets.teamId), isNull(tickets.handlerId));
    case 'green_channel':
      return and(
        eq(tickets.greenChannel, true),
        notInArray(tickets.status, ['closed', 'archived']),
      );
    case 'awaiting_confirmation':
      return eq(tickets.status, 'resolved');
    case 'follow_up':
      return and(isNotNull(tickets.followUpDueAt), isNull(tickets.followUpDoneAt));
    case 'all':
      return undefined;
  }
}

function filters(q: Partial<ListTicketsQuery>): (SQL | undefined)[] {
  return [
    q.status?.length ? inArray(tickets.status, q.status) : undefined,
    q.channel?.length ? inArray(tickets.channel, q.channel) : undefined,
    q.category?.length ? inArray(tickets.category, q.category) : undefined,
    q.tier?.length ? inArray(tickets.tier, q.tier) : undefined,
    q.priority?.length ? inArray(tickets.priority, q.priority) : undefined,
    q.ownerId ? eq(tickets.ownerId, q.ownerId) : undefined,
    q.teamId ? eq(tickets.teamId, q.teamId) : undefined,
    q.handlerId ? eq(tickets.handlerId, q.handlerId) : undefined,
    q.customerId ? eq(tickets.customerId, q.customerId) : undefined,
    q.tag ? sql`${tickets.tags} @> ARRAY[${q.tag}]::text[]` : undefined,
    q.from ? gte(tickets.receivedAt, new Date(q.from)) : undefined,
    q.to ? lt(tickets.receivedAt, new Date(q.to)) : undefined,
    customFieldCondition(q.customField),
    q.q ? textCondition(q.q) : undefined,
  ];
}

/**
 * `q`: a substring of the number, subject, description or customer name (ILIKE decides). The
 * ticket arm first narrows by the stored terms (`search_terms`, migration 0039, the terms of
 * `ticket_search_vector`; rules/search-terms.ts), in the query's own WHERE: the planner weighs
 * the terms' statistics and either walks the queue's order index and stops after a page (a common
 * word) or reads the GIN index (a rare one). The customer arm is an array computed once
 * (InitPlan) through the customers' GIN index, so `customer_id = ANY (…)` combines by index.
 */
function textCondition(q: string): SQL | undefined {
  const text = `%${escapeLike(q)}%`;
  const terms = searchTsQuery(q);
  const matches = or(
    ilike(tickets.number, text),
    ilike(tickets.subject, text),
    ilike(tickets.description, text),
  );
  if (!terms) {
    return or(
      matches,
      sql`${tickets.customerId} = ANY (ARRAY(SELECT ${customers.id} FROM ${customers} WHERE ${customers.name} ILIKE ${text}))`,
    );
  }
  return or(
    and(sql`${tickets}.search_terms @@ ${terms}::tsquery`, matches),
    sql`${tickets.customerId} = ANY (ARRAY(SELECT ${customers.id} FROM ${customers}
      WHERE ticket_search_vector('', ${customers.name}, '') @@ ${terms}::tsquery
        AND ${customers.name} ILIKE ${text}))`,
  );
}

type Sort = ListTicketsQuery['sort'];

/**
 * The cursor of a ticket with no due time under `due_asc` (they come last). Cursors carry an
 * ISO time; no SLA clock is due in the year 9999.
 */
const NO_DUE = '9999-12-31T23:59:59.999Z';

const sortColumn = (sort: Sort) =>
  sort === 'updated_desc'
    ? tickets.updatedAt
    : sort === 'due_asc'
      ? tickets.slaDueAt
      : tickets.receivedAt;

/** The cursor key of a row under `sort`. */
export const sortKey = (
  sort: Sort,
  t: { receivedAt: Date; updatedAt: Date; slaDueAt?: Date | null; id: string },
): CursorKey => ({
  at:
    sort === 'due_asc'
      ? (t.slaDueAt?.toISOString() ?? NO_DUE)
      : (sort === 'updated_desc' ? t.updatedAt : t.receivedAt).toISOString(),
  id: t.id,
});

/**
 * Rows after the cursor under `due_asc`: (sla_due_at, id) ascending with NULLs last — the
 * btree's own order, so the queue indexes serve it. After a row with a due time come later due
 * times, then every row without one; after a row without one, only such rows with a higher id.
 */
function afterDue(after: CursorKey): SQL {
  const id = sql`${after.id}::uuid`;
  if (after.at === NO_DUE) return and(isNull(tickets.slaDueAt), sql`${tickets.id} > ${id}`)!;
  const at = sql`${new Date(after.at).toISOString()}::timestamptz`;
  return or(sql`(${tickets.slaDueAt}, ${tickets.id}) > (${at}, ${id})`, isNull(tickets.slaDueAt))!;
}

/**
 * One page (limit + 1 rows) of the tickets `actor` may see, filtered and sorted. Returns the
 * query itself (await it), so the queue benchmark can run the very same SQL bare.
 */
export function listTickets(
  ex: Executor,
  actor: Actor,
  q: Partial<ListTicketsQuery> & { sort: Sort; limit: number },
  after?: CursorKey,
) {
  const col = sortColumn(q.sort);
  const ascending = q.sort === 'received_asc' || q.sort === 'due_asc';
  const keyset = !after
    ? undefined
    : q.sort === 'due_asc'
      ? afterDue(after)
      : ascending
        ? sql`(${col}, ${tickets.id}) > (${new Date(after.at).toISOString()}::timestamptz, ${after.id}::uuid)`
        : sql`(${col}, ${tickets.id}) < (${new Date(after.at).toISOString()}::timestamptz, ${after.id}::uuid)`;
  return ex
    .select()
    .from(tickets)
    .where(and(visibleTo(actor), queueCondition(q.queue ?? 'all', actor), ...filters(q), keyset))
    .orderBy(...(ascending ? [asc(col), asc(tickets.id)] : [desc(col), desc(tickets.id)]))
    .limit(q.limit + 1);
}

/** Live counts of every queue, in one query. */
export async function countQueues(ex: Executor, actor: Actor): Promise<Record<Queue, number>> {
  const columns = Object.fromEntries(
    QUEUES.map((queue) => {
      const cond = queueCondition(queue, actor);
      return [
        queue,
        cond ? sql<number>`(count(*) FILTER (WHERE ${cond}))::int` : sql<number>`count(*)::int`,
      ];
    }),
  ) as Record<Queue, SQL<number>>;
  const [row] = await ex.select(columns).from(tickets).where(visibleTo(actor));
  return row as Record<Queue, number>;
}
