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
  const text = q.q ? `%${escapeLike(q.q)}%` : undefined;
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
    text
      ? or(
          ilike(tickets.number, text),
          ilike(tickets.subject, text),
          ilike(tickets.description, text),
          inArray(
            tickets.customerId,
            sql`(SELECT ${customers.id} FROM ${customers} WHERE ${customers.name} ILIKE ${text})`,
          ),
        )
      : undefined,
  ];
}

type Sort = ListTicketsQuery['sort'];

const sortColumn = (sort: Sort) =>
  sort === 'updated_desc' ? tickets.updatedAt : tickets.receivedAt;

/** The cursor key of a row under `sort`. */
export const sortKey = (
  sort: Sort,
  t: { receivedAt: Date; updatedAt: Date; id: string },
): CursorKey => ({
  at: (sort === 'updated_desc' ? t.updatedAt : t.receivedAt).toISOString(),
  id: t.id,
});

/** One page (limit + 1 rows) of the tickets `actor` may see, filtered and sorted. */
export async function listTickets(
  ex: Executor,
  actor: Actor,
  q: Partial<ListTicketsQuery> & { sort: Sort; limit: number },
  after?: CursorKey,
) {
  const col = sortColumn(q.sort);
  const ascending = q.sort === 'received_asc';
  const keyset = after
    ? ascending
      ? sql`(${col}, ${tickets.id}) > (${new Date(after.at).toISOString()}::timestamptz, ${after.id}::uuid)`
      : sql`(${col}, ${tickets.id}) < (${new Date(after.at).toISOString()}::timestamptz, ${after.id}::uuid)`
    : undefined;
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
