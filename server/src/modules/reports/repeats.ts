/**
 * Repeat problems in the service ledger (SPEC 13): the period's tickets whose customer, or whose
 * subject pattern, had another ticket within the window (report_settings.repeat_window_days,
 * default 7). The tickets of the period and of the window before it are read once (id, customer,
 * subject, time) and analysed by rules/repeats.ts; the drill-down lists exactly the ids counted.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { scopeSql, type FactsScope } from '../kpi/facts.js';
import { monthRange } from '../kpi/rules/schedule.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { monthsOfPeriod } from './rules/period.js';
import { analyseRepeats, type RepeatAnalysis, type RepeatKind } from './rules/repeats.js';
import { maskName, normaliseSubject } from './rules/subject.js';

export interface ReportSettings {
  repeatWindowDays: number;
}

export async function reportSettings(ex: Executor): Promise<ReportSettings> {
  const [row] = rowsOf<{ repeat_window_days: number }>(
    await ex.execute(sql`SELECT repeat_window_days FROM report_settings WHERE id = 1`),
  );
  return { repeatWindowDays: Number(row?.repeat_window_days ?? 7) };
}

export async function updateReportSettings(
  db: Db,
  ctx: AuditContext,
  next: ReportSettings,
): Promise<ReportSettings> {
  return db.transaction(async (tx) => {
    const before = await reportSettings(tx);
    await tx.execute(sql`INSERT INTO report_settings (id, repeat_window_days, updated_at)
      VALUES (1, ${next.repeatWindowDays}, ${ctx.at.toISOString()}::timestamptz)
      ON CONFLICT (id) DO UPDATE SET repeat_window_days = excluded.repeat_window_days,
        updated_at = excluded.updated_at`);
    await recordAudit(tx, ctx, {
      action: 'reports.settings.update',
      targetType: 'report_settings',
      before: { ...before },
      after: { ...next },
    });
    return next;
  });
}

/** The period's range as instants (a month, or a quarter's three months). */
export function periodRange(period: string, timeZone: string): { from: Date; to: Date } {
  const months = monthsOfPeriod(period);
  return {
    from: monthRange(months[0]!, timeZone).from,
    to: monthRange(months[months.length - 1]!, timeZone).to,
  };
}

async function analyse(
  db: Db,
  q: FactsScope & { period: string },
): Promise<{ windowDays: number; analysis: RepeatAnalysis }> {
  const { repeatWindowDays: windowDays } = await reportSettings(db);
  const { from, to } = periodRange(q.period, await workspaceTimeZone(db));
  const windowFrom = new Date(from.getTime() - windowDays * 86_400_000);
  const rows = rowsOf<{ id: string; customer_id: string; subject: string; received_at: string }>(
    await db.execute(sql`SELECT tk.id, tk.customer_id, tk.subject, tk.received_at FROM tickets tk
      WHERE tk.received_at >= ${windowFrom.toISOString()}::timestamptz
        AND tk.received_at < ${to.toISOString()}::timestamptz
        AND tk.merged_into_id IS NULL AND tk.close_kind IS DISTINCT FROM 'merged'${scopeSql(q)}
      ORDER BY tk.received_at, tk.id`),
  );
  const fromMs = from.getTime();
  const analysis = analyseRepeats(
    rows.map((r) => {
      const at = new Date(r.received_at).getTime();
      return {
        id: r.id,
        customerId: r.customer_id,
        pattern: normaliseSubject(r.subject),
        at,
        inPeriod: at >= fromMs,
      };
    }),
    windowDays,
  );
  return { windowDays, analysis };
}

export interface RepeatSummary {
  period: string;
  windowDays: number;
  received: number;
  repeatTickets: number;
  byCustomer: { tickets: number; customers: number };
  bySubject: { tickets: number; patterns: number };
  topCustomers: { key: string; name: string; repeats: number; tickets: number }[];
  topSubjects: { key: string; repeats: number; tickets: number }[];
}

/** Counts and the top ten customers (names masked) and subject patterns. */
export async function repeatSummary(
  db: Db,
  q: FactsScope & { period: string },
): Promise<RepeatSummary> {
  const { windowDays, analysis: a } = await analyse(db, q);
  const sum = (kind: RepeatKind) => a.groups[kind].reduce((s, g) => s + g.repeats, 0);
  const topC = a.groups.customer.slice(0, 10);
  const names = new Map(
    topC.length
      ? rowsOf<{ id: string; name: string }>(
          await db.execute(
            sql`SELECT id, name FROM customers WHERE id IN (${sql.join(
              topC.map((g) => sql`${g.key}::uuid`),
              sql`, `,
            )})`,
          ),
        ).map((r) => [r.id, r.name])
      : [],
  );
  return {
    period: q.period,
    windowDays,
    received: a.received,
    repeatTickets: a.repeatTickets,
    byCustomer: { tickets: sum('customer'), customers: a.groups.customer.length },
    bySubject: { tickets: sum('subject'), patterns: a.groups.subject.length },
    topCustomers: topC.map((g) => ({ ...g, name: maskName(names.get(g.key) ?? '') })),
    topSubjects: a.groups.subject.slice(0, 10),
  };
}

export interface RepeatTicket {
  id: string;
  number: string;
  subject: string;
  status: string;
  channel: string;
  category: string;
  receivedAt: string;
  teamName: string | null;
  ownerName: string | null;
}

/** The repeating tickets counted (of one customer / pattern when `key` is given), newest first. */
export async function repeatTickets(
  db: Db,
  q: FactsScope & { period: string; kind: RepeatKind; key?: string | undefined; limit: number },
): Promise<{ count: number; tickets: RepeatTicket[] }> {
  const { analysis } = await analyse(db, q);
  const byKey = analysis.ids[q.kind];
  const ids = q.key !== undefined ? (byKey.get(q.key) ?? []) : [...byKey.values()].flat();
  if (ids.length === 0) return { count: 0, tickets: [] };
  const rows = rowsOf<{
    id: string;
    number: string;
    subject: string;
    status: string;
    channel: string;
    category: string;
    received_at: string;
    team_name: string | null;
    owner_name: string | null;
  }>(
    await db.execute(sql`SELECT t.id, t.number, t.subject, t.status, t.channel, t.category,
        t.received_at, tm.name AS team_name, o.name AS owner_name
      FROM tickets t LEFT JOIN teams tm ON tm.id = t.team_id LEFT JOIN users o ON o.id = t.owner_id
      WHERE t.id = ANY(${`{${ids.join(',')}}`}::uuid[])
      ORDER BY t.received_at DESC, t.id DESC LIMIT ${q.limit}`),
  );
  return {
    count: ids.length,
    tickets: rows.map((r) => ({
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status,
      channel: r.channel,
      category: r.category,
      receivedAt: new Date(r.received_at).toISOString(),
      teamName: r.team_name,
      ownerName: r.owner_name,
    })),
  };
}
