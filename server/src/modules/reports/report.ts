/**
 * The monthly / quarterly service report (SPEC 13): what the printable page and the PDF show —
 * the period's KPIs against the targets (the engine's facts of its months, summed), each month's
 * KPIs, the 12-month trend, the assessment outcomes (Service Star candidates and warnings),
 * ledger highlights and repeat problems. Everything is read through the dashboard, the ledger and
 * the KPI engine; nothing is computed twice.
 */
import type { Actor } from '../../access/actor.js';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { loadMonthFacts, type FactsScope } from '../kpi/facts.js';
import {
  emptyFacts,
  evaluateKpis,
  type KpiFacts,
  type KpiKey,
  type KpiResult,
  type KpiTargets,
} from '../kpi/rules/kpis.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { monthLedger, type Ledger } from './ledger.js';
import { repeatSummary, type RepeatSummary } from './repeats.js';
import { monthsOfPeriod, periodKind, type PeriodKind } from './rules/period.js';
import { monthDashboard } from './service.js';

export interface ServiceReport {
  period: string;
  kind: PeriodKind;
  months: string[];
  timeZone: string;
  generatedAt: string;
  targetVersion: number;
  targets: KpiTargets;
  kpis: Record<KpiKey, KpiResult>;
  monthly: { month: string; kpis: Record<KpiKey, KpiResult> }[];
  trend: { month: string; kpis: Record<KpiKey, KpiResult> }[];
  assessments: {
    month: string;
    agents: number;
    serviceStars: { name: string }[];
    warnings: { name: string; kpis: KpiKey[] }[];
  }[];
  ledger: Omit<Ledger, 'month' | 'tags' | 'categories'> & {
    categories: { key: string; count: number; labelZh: string | null; labelEn: string | null }[];
  };
  repeats: RepeatSummary;
}

const sumFacts = (all: KpiFacts[]): KpiFacts => {
  const out = emptyFacts();
  for (const f of all)
    for (const k of Object.keys(out) as (keyof KpiFacts)[]) out[k] += Number(f[k] ?? 0);
  return out;
};

/** Ledgers of several months as one: counts by key summed, the top ten kept. */
function mergeLedgers(ls: Ledger[]): Omit<Ledger, 'month' | 'tags'> {
  const merge = <K extends string>(lists: { [P in K]: string }[][], key: K, limit = 10) => {
    const m = new Map<string, number>();
    for (const list of lists)
      for (const r of list as unknown as ({ count: number } & Record<K, string>)[])
        m.set(r[key], (m.get(r[key]) ?? 0) + r.count);
    return [...m]
      .map(([k, count]) => ({ [key]: k, count }) as { count: number } & Record<K, string>)
      .sort((a, b) => b.count - a.count || a[key].localeCompare(b[key]))
      .slice(0, limit);
  };
  const funnel = ls[0]!.funnel.map((f, i) => {
    const tickets = ls.reduce((s, l) => s + l.funnel[i]!.tickets, 0);
    const totalMs = ls.reduce((s, l) => s + l.funnel[i]!.totalMs, 0);
    return {
      stage: f.stage,
      tickets,
      totalMs,
      meanMs: tickets ? Math.round(totalMs / tickets) : 0,
    };
  });
  return {
    received: ls.reduce((s, l) => s + l.received, 0),
    categories: merge(
      ls.map((l) => l.categories),
      'key',
    ),
    complaintCauses: merge(
      ls.map((l) => l.complaintCauses),
      'tag',
    ),
    funnel,
  };
}

/** The administrators' names of the categories (the key when a category is gone). */
async function withCategoryLabels(
  db: Db,
  l: Omit<Ledger, 'month' | 'tags'>,
): Promise<ServiceReport['ledger']> {
  const labels = new Map(
    rowsOf<{ key: string; label_zh: string; label_en: string }>(
      await db.execute(sql`SELECT key, label_zh, label_en FROM ticket_categories`),
    ).map((r) => [r.key, r]),
  );
  return {
    ...l,
    categories: l.categories.map((c) => ({
      ...c,
      labelZh: labels.get(c.key)?.label_zh ?? null,
      labelEn: labels.get(c.key)?.label_en ?? null,
    })),
  };
}

export async function serviceReport(
  db: Db,
  actor: Actor,
  now: Date,
  q: FactsScope & { period: string },
): Promise<ServiceReport> {
  const months = monthsOfPeriod(q.period);
  const scope: FactsScope = { channel: q.channel, category: q.category, tier: q.tier };
  const timeZone = await workspaceTimeZone(db);
  const dashboards = [];
  for (const month of months)
    dashboards.push(await monthDashboard(db, actor, now, { month, ...scope }));
  const last = dashboards[dashboards.length - 1]!;
  const facts = [];
  for (const month of months) facts.push((await loadMonthFacts(db, month, timeZone, scope)).total);
  const ledgers = [];
  for (const month of months) ledgers.push(await monthLedger(db, now, { month, ...scope }));
  return {
    period: q.period,
    kind: periodKind(q.period),
    months,
    timeZone,
    generatedAt: now.toISOString(),
    targetVersion: last.targetVersion,
    targets: last.targets,
    kpis: months.length === 1 ? last.kpis : evaluateKpis(sumFacts(facts), last.targets, 'team'),
    monthly: dashboards.map((d) => ({ month: d.month, kpis: d.kpis })),
    trend: last.trend,
    assessments: dashboards.map((d) => ({
      month: d.month,
      agents: d.agents.length,
      serviceStars: d.agents.filter((a) => a.serviceStar).map((a) => ({ name: a.name })),
      warnings: d.agents
        .filter((a) => a.warnings.length > 0)
        .map((a) => ({ name: a.name, kpis: a.warnings })),
    })),
    ledger: await withCategoryLabels(db, mergeLedgers(ledgers)),
    repeats: await repeatSummary(db, { period: q.period, ...scope }),
  };
}
