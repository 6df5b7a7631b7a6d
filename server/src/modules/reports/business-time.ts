/**
 * The ledger's weak links in business time (SPEC 11 / 13): the same status intervals as the
 * wall-clock funnel (ledger.ts), each measured by the default SLA business calendar
 * (sla/rules/calendar.ts businessTimeBetween). Separate from the ledger so the wall-clock view
 * stays one aggregate query; this one reads every interval of the month's tickets.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { scopeSql, type FactsScope } from '../kpi/facts.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { defaultCalendarId, loadCalendar } from '../sla/calendar-store.js';
import { alwaysOpen, businessTimeBetween } from '../sla/rules/calendar.js';
import { FUNNEL_STAGES } from './ledger.js';
import { periodRange } from './repeats.js';

export interface BusinessFunnel {
  month: string;
  calendar: string | null;
  funnel: { stage: string; tickets: number; totalMs: number; meanMs: number }[];
}

export async function businessFunnel(
  db: Db,
  now: Date,
  q: FactsScope & { month: string },
): Promise<BusinessFunnel> {
  const timeZone = await workspaceTimeZone(db);
  const id = await defaultCalendarId(db);
  const loaded = id ? await loadCalendar(db, id) : null;
  const cal = loaded?.cal ?? alwaysOpen(timeZone);
  const { from, to } = periodRange(q.month, timeZone);
  const rows = rowsOf<{ id: string; status: string; at: string; until: string }>(
    await db.execute(sql`
      WITH tk AS (
        SELECT tk.id, tk.received_at,
          coalesce(tk.resolved_at, tk.closed_at, ${now.toISOString()}::timestamptz) AS end_at
        FROM tickets tk
        WHERE tk.received_at >= ${from.toISOString()}::timestamptz
          AND tk.received_at < ${to.toISOString()}::timestamptz
          AND tk.merged_into_id IS NULL AND tk.close_kind IS DISTINCT FROM 'merged'${scopeSql(q)}
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
      SELECT id, status, at, until FROM iv WHERE until > at`),
  );
  const acc = new Map<string, { ids: Set<string>; ms: number }>();
  for (const r of rows) {
    const a = acc.get(r.status) ?? { ids: new Set<string>(), ms: 0 };
    a.ids.add(r.id);
    a.ms += businessTimeBetween(new Date(r.at).getTime(), new Date(r.until).getTime(), cal);
    acc.set(r.status, a);
  }
  return {
    month: q.month,
    calendar: loaded?.name ?? null,
    funnel: FUNNEL_STAGES.map((stage) => {
      const a = acc.get(stage);
      const tickets = a?.ids.size ?? 0;
      const totalMs = Math.round(a?.ms ?? 0);
      return { stage, tickets, totalMs, meanMs: tickets ? Math.round(totalMs / tickets) : 0 };
    }),
  };
}
