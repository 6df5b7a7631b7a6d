/**
 * The weekly QA report (per agent and team: items scored, average, critical fails, most-failed
 * criteria, the previous week's average for the trend; calibration spreads), the QA averages the
 * monthly assessment reads, and training needs. Scores are the official evaluations' totals, or
 * the revised total of an upheld appeal.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Executor } from '../../db/client.js';
import { addDays } from '../sla/rules/calendar.js';
import { canSeeAgent, canSeeTeam, isAdmin, isInspector, isSupervisor } from './policy.js';
import { spreadOf } from './rules/scorecard.js';

const scored = sql`
  SELECT q.agent_id, q.week_start, q.id AS item_id, e.failed_criteria, e.critical_failed,
    coalesce(CASE WHEN a.status = 'upheld' THEN a.revised_total END, e.total)::float8 AS score
  FROM qa_items q
  JOIN qa_evaluations e ON e.item_id = q.id AND e.status = 'submitted'
    AND (q.inspector_id IS NULL OR q.inspector_id = e.inspector_id)
  LEFT JOIN qa_appeals a ON a.evaluation_id = e.id`;

interface Bucket {
  count: number;
  average: number | null;
  criticalFails: number;
  mostFailed: { key: string; count: number }[];
  previousAverage: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function weeklyReport(ex: Executor, actor: Actor, week: string) {
  const prev = addDays(week, -7);
  const rows = rowsOf<{
    agent_id: string;
    week_start: string | Date;
    item_id: string;
    failed_criteria: string[];
    critical_failed: boolean;
    score: number;
  }>(await ex.execute(sql`${scored} WHERE q.week_start IN (${week}::date, ${prev}::date)`));
  const people = rowsOf<{ id: string; name: string; team_ids: string[] | null }>(
    await ex.execute(sql`SELECT u.id, u.name, array_remove(array_agg(tm.team_id::text), NULL) AS team_ids
      FROM users u LEFT JOIN team_members tm ON tm.user_id = u.id
      WHERE u.id IN (SELECT agent_id FROM qa_items WHERE week_start IN (${week}::date, ${prev}::date))
      GROUP BY u.id, u.name`),
  );
  const teams = rowsOf<{ id: string; name: string }>(
    await ex.execute(sql`SELECT id, name FROM teams ORDER BY name`),
  );
  const isWeek = (d: string | Date) =>
    (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10)) === week;
  const bucket = (list: typeof rows): Bucket => {
    const now = list.filter((r) => isWeek(r.week_start));
    const before = list.filter((r) => !isWeek(r.week_start));
    const fails = new Map<string, number>();
    for (const r of now) for (const k of r.failed_criteria) fails.set(k, (fails.get(k) ?? 0) + 1);
    const avg = (l: typeof rows) =>
      l.length ? round1(l.reduce((s, r) => s + Number(r.score), 0) / l.length) : null;
    return {
      count: now.length,
      average: avg(now),
      criticalFails: now.filter((r) => r.critical_failed).length,
      mostFailed: [...fails.entries()]
        .map(([key, count]) => ({ key, count }))
        .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
        .slice(0, 3),
      previousAverage: avg(before),
    };
  };
  const agents = people
    .filter((p) => canSeeAgent(actor, p.id, p.team_ids ?? []))
    .map((p) => ({
      userId: p.id,
      name: p.name,
      teamIds: p.team_ids ?? [],
      ...bucket(rows.filter((r) => r.agent_id === p.id)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const teamRows = teams
    .filter((t) => canSeeTeam(actor, t.id) || (isSupervisor(actor) && actor.teamIds.includes(t.id)))
    .map((t) => {
      const members = new Set(
        people.filter((p) => (p.team_ids ?? []).includes(t.id)).map((p) => p.id),
      );
      return { teamId: t.id, name: t.name, ...bucket(rows.filter((r) => members.has(r.agent_id))) };
    })
    .filter((t) => t.count > 0 || t.previousAverage !== null);
  const calibration =
    isAdmin(actor) || isSupervisor(actor) || isInspector(actor)
      ? await calibrationSpreads(ex, week)
      : [];
  return { week, agents, teams: teamRows, calibration };
}

async function calibrationSpreads(ex: Executor, week: string) {
  const rows = rowsOf<{ item_id: string; number: string; totals: (string | number)[] }>(
    await ex.execute(sql`SELECT q.id AS item_id, t.number, array_agg(e.total ORDER BY e.total) AS totals
      FROM qa_items q JOIN tickets t ON t.id = q.ticket_id
      JOIN qa_evaluations e ON e.item_id = q.id AND e.status = 'submitted'
      WHERE q.week_start = ${week}::date AND q.calibration
      GROUP BY q.id, t.number ORDER BY t.number`),
  );
  return rows.map((r) => {
    const totals = r.totals.map(Number);
    return { itemId: r.item_id, ticketNumber: r.number, totals, spread: spreadOf(totals) };
  });
}

/**
 * QA averages per agent over items of weeks starting in [from, to) (dates): what the monthly
 * assessment reads (modules/kpi). An agent with no scored item is absent.
 */
export async function qaAverages(
  ex: Executor,
  from: string,
  to: string,
): Promise<Map<string, { count: number; average: number }>> {
  const rows = rowsOf<{ agent_id: string; n: string | number; avg: string | number }>(
    await ex.execute(sql`SELECT agent_id, count(*) AS n, avg(score) AS avg FROM (${scored}
        WHERE q.week_start >= ${from}::date AND q.week_start < ${to}::date) s
      GROUP BY agent_id`),
  );
  return new Map(
    rows.map((r) => [r.agent_id, { count: Number(r.n), average: round1(Number(r.avg)) }]),
  );
}

export async function listTrainingNeeds(ex: Executor, actor: Actor) {
  const rows = rowsOf<{
    id: string;
    agent_id: string;
    name: string;
    criterion_key: string;
    failures: number;
    status: 'open' | 'done';
    created_at: string | Date;
    team_ids: string[] | null;
  }>(
    await ex.execute(sql`SELECT n.*, u.name,
        (SELECT array_agg(team_id::text) FROM team_members tm WHERE tm.user_id = n.agent_id) AS team_ids
      FROM qa_training_needs n JOIN users u ON u.id = n.agent_id
      ORDER BY (n.status <> 'open'), n.created_at DESC LIMIT 500`),
  );
  return rows
    .filter((r) => canSeeAgent(actor, r.agent_id, r.team_ids ?? []))
    .map((r) => ({
      id: r.id,
      agent: { id: r.agent_id, name: r.name },
      criterionKey: r.criterion_key,
      failures: Number(r.failures),
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
    }));
}
