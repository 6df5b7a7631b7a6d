/**
 * The service ledger (服务台账, SPEC 11 / 13) of a month: the tickets received in it (merged ones
 * excluded, narrowed by the scope) by category and tag, the tags of complaints (their causes),
 * and the weak links — wall-clock time each ticket spent in each status, from its status history
 * (ticket_events), up to its resolution or closing, or now for open ones.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { scopeSql, type FactsScope } from '../kpi/facts.js';
import { monthRange } from '../kpi/rules/schedule.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';

export const FUNNEL_STAGES = [
  'new',
  'accepted',
  'in_progress',
  'pending_internal',
  'pending_customer',
  'reopened',
] as const;

export interface Ledger {
  month: string;
  received: number;
  categories: { key: string; count: number }[];
  tags: { tag: string; count: number }[];
  complaintCauses: { tag: string; count: number }[];
  funnel: { stage: string; tickets: number; totalMs: number; meanMs: number }[];
}

export async function monthLedger(
  db: Db,
  now: Date,
  q: FactsScope & { month: string },
): Promise<Ledger> {
  const timeZone = await workspaceTimeZone(db);
  const { from, to } = monthRange(q.month, timeZone);
  const inMonth = sql`tk.received_at >= ${from.toISOString()}::timestamptz
    AND tk.received_at < ${to.toISOString()}::timestamptz
    AND tk.merged_into_id IS NULL AND tk.close_kind IS DISTINCT FROM 'merged'${scopeSql(q)}`;
  const num = (v: unknown) => Number(v ?? 0);
  const categories = rowsOf<{ key: string; count: string | number }>(
    await db.execute(sql`SELECT tk.category AS key, count(*) AS count FROM tickets tk
      WHERE ${inMonth} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`),
  ).map((r) => ({ key: r.key, count: num(r.count) }));
  const tagsOf = async (extra: ReturnType<typeof sql>) =>
    rowsOf<{ tag: string; count: string | number }>(
      await db.execute(sql`SELECT tag, count(*) AS count FROM tickets tk, unnest(tk.tags) AS tag
        WHERE ${inMonth}${extra} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`),
    ).map((r) => ({ tag: r.tag, count: num(r.count) }));
  const tags = await tagsOf(sql``);
  const complaintCauses = await tagsOf(sql` AND tk.category = 'complaint'`);
  const funnel = rowsOf<{ stage: string; tickets: string | number; total_ms: string | number }>(
    await db.execute(sql`
      WITH tk AS (
        SELECT tk.id, tk.received_at,
          coalesce(tk.resolved_at, tk.closed_at, ${now.toISOString()}::timestamptz) AS end_at
        FROM tickets tk WHERE ${inMonth}
      ), st AS (
        SELECT tk.id, 'new' AS status, tk.received_at AS at, tk.end_at FROM tk
        UNION ALL
        SELECT e.ticket_id, e.data ->> 'to', e.at, tk.end_at
        FROM ticket_events e JOIN tk ON tk.id = e.ticket_id WHERE e.kind = 'status'
      ), iv AS (
        SELECT id, status, at,
          least(coalesce(lead(at) OVER (PARTITION BY id ORDER BY at), end_at), end_at) AS until
        FROM st
      )
      SELECT status AS stage, count(DISTINCT id) AS tickets,
        coalesce(sum(extract(epoch FROM (until - at)) * 1000), 0)::bigint AS total_ms
      FROM iv WHERE until > at GROUP BY status`),
  );
  const byStage = new Map(funnel.map((f) => [f.stage, f]));
  return {
    month: q.month,
    received: categories.reduce((s, c) => s + c.count, 0),
    categories,
    tags,
    complaintCauses,
    funnel: FUNNEL_STAGES.map((stage) => {
      const f = byStage.get(stage);
      const tickets = num(f?.tickets);
      const totalMs = num(f?.total_ms);
      return { stage, tickets, totalMs, meanMs: tickets ? Math.round(totalMs / tickets) : 0 };
    }),
  };
}
