/**
 * The monthly assessment (考核): compute every agent's and team's KPIs and outcomes for a month,
 * store them as a snapshot, let a supervisor sign it; a signed snapshot never changes (the
 * database refuses), a correction is a new draft linked to it with a reason. docs/kpi.md.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor, type Tx } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { qaAverages } from '../qa/report.js';
import { loadMonthFacts, loadMonthsFacts, type FactsScope, type MonthFacts } from './facts.js';
import { canSeeAgent, canSeeTeam, visibleResults } from './policy.js';
import {
  addMonths,
  assessAgents,
  csatTopCutoff,
  gradeOf,
  isQuarterEnd,
  quarterMonths,
  teamRecognised,
  warningsOf,
  type AgentOutcome,
  type Grade,
} from './rules/assessment.js';
import {
  addFacts,
  emptyFacts,
  evaluateKpis,
  KPI_KEYS,
  type KpiFacts,
  type KpiKey,
  type KpiResult,
  type KpiTargets,
} from './rules/kpis.js';
import { monthRange } from './rules/schedule.js';
import { currentTargets, type TargetVersion } from './targets.js';

export interface AgentResult {
  userId: string;
  name: string;
  teamIds: string[];
  facts: KpiFacts;
  kpis: Record<KpiKey, KpiResult>;
  outcome: AgentOutcome;
  /** QA average of the weeks starting in the month (informational; not part of any KPI). */
  qa: { count: number; average: number } | null;
}

export interface TeamResult {
  teamId: string;
  name: string;
  facts: KpiFacts;
  kpis: Record<KpiKey, KpiResult>;
  /** At a quarter's last month: no complaint and 100 % resolution over the quarter. */
  recognised: boolean | null;
}

export interface SnapshotResults {
  month: string;
  timeZone: string;
  targets: KpiTargets;
  csatCutoff: number | null;
  quarterEnd: boolean;
  agents: AgentResult[];
  teams: TeamResult[];
}

export interface SnapshotView {
  id: string;
  month: string;
  status: 'draft' | 'signed';
  revision: number;
  source: 'job' | 'manual' | 'correction';
  targetVersion: number;
  computedAt: string;
  computedBy: { id: string; name: string } | null;
  supersedesId: string | null;
  supersededById: string | null;
  correctionReason: string | null;
  signedAt: string | null;
  signedBy: { id: string; name: string } | null;
  signNote: string | null;
  results: SnapshotResults;
}

interface SnapshotRow {
  id: string;
  period_month: string | Date;
  target_version: number;
  results: SnapshotResults;
  source: SnapshotView['source'];
  computed_at: string | Date;
  computed_by: string | null;
  computed_by_name: string | null;
  supersedes_id: string | null;
  superseded_by_id: string | null;
  correction_reason: string | null;
  signed_at: string | Date | null;
  signed_by: string | null;
  signed_by_name: string | null;
  sign_note: string | null;
  revision: number;
}

const monthOf = (d: string | Date) => (typeof d === 'string' ? d : d.toISOString()).slice(0, 7);
const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Results stored before a KPI or fact existed (e.g. the phone connection rate): the missing
 * facts count 0 and the missing KPIs have no value ('na').
 */
export function completeResults(r: SnapshotResults): SnapshotResults {
  const kpis = (k: Partial<Record<KpiKey, KpiResult>>) =>
    Object.fromEntries(
      KPI_KEYS.map((key) => [
        key,
        k[key] ?? { value: null, numerator: 0, denominator: 0, status: 'na' as const },
      ]),
    ) as Record<KpiKey, KpiResult>;
  return {
    ...r,
    targets: Object.fromEntries(
      KPI_KEYS.map((key) => [key, r.targets[key] ?? { target: null, floor: null }]),
    ) as KpiTargets,
    agents: r.agents.map((a) => ({
      ...a,
      qa: a.qa ?? null,
      facts: { ...emptyFacts(), ...a.facts },
      kpis: kpis(a.kpis),
    })),
    teams: r.teams.map((t) => ({
      ...t,
      facts: { ...emptyFacts(), ...t.facts },
      kpis: kpis(t.kpis),
    })),
  };
}

function present(r: SnapshotRow, actor: Actor | null): SnapshotView {
  return {
    id: r.id,
    month: monthOf(r.period_month),
    status: r.signed_at ? 'signed' : 'draft',
    revision: Number(r.revision),
    source: r.source,
    targetVersion: Number(r.target_version),
    computedAt: iso(r.computed_at)!,
    computedBy: r.computed_by ? { id: r.computed_by, name: r.computed_by_name ?? '' } : null,
    supersedesId: r.supersedes_id,
    supersededById: r.superseded_by_id,
    correctionReason: r.correction_reason,
    signedAt: iso(r.signed_at),
    signedBy: r.signed_by ? { id: r.signed_by, name: r.signed_by_name ?? '' } : null,
    signNote: r.sign_note,
    results: actor ? visibleResults(completeResults(r.results), actor) : completeResults(r.results),
  };
}

const SELECT_SNAPSHOT = sql`SELECT s.*, to_char(s.period_month, 'YYYY-MM-DD') AS period_month,
    (SELECT n.id FROM kpi_snapshots n WHERE n.supersedes_id = s.id) AS superseded_by_id
  FROM kpi_snapshots s`;

/** The workspace time zone months are cut in (ticket settings; Asia/Shanghai by default). */
export async function workspaceTimeZone(ex: Executor): Promise<string> {
  const [row] = rowsOf<{ time_zone: string }>(
    await ex.execute(sql`SELECT time_zone FROM ticket_settings LIMIT 1`),
  );
  return row?.time_zone ?? 'Asia/Shanghai';
}

// ------------------------------------------------------------------- computing

interface MonthBasis {
  agents: Map<string, { warned: boolean; grade: Grade | null }>;
  teams: Map<string, KpiFacts>;
}

/**
 * What an earlier month contributes (warnings, grades, team facts for the quarter): its newest
 * snapshot when there is one, else its facts computed now with the given targets.
 */
async function monthBasis(
  ex: Executor,
  month: string,
  targets: KpiTargets,
  timeZone: string,
  loaded?: MonthFacts,
): Promise<MonthBasis> {
  const [head] = rowsOf<SnapshotRow>(
    await ex.execute(
      sql`${SELECT_SNAPSHOT} WHERE s.period_month = ${`${month}-01`}::date
        AND NOT EXISTS (SELECT 1 FROM kpi_snapshots n WHERE n.supersedes_id = s.id)`,
    ),
  );
  if (head) {
    return {
      agents: new Map(
        head.results.agents.map((a) => [
          a.userId,
          { warned: a.outcome.warnings.length > 0, grade: a.outcome.grade },
        ]),
      ),
      teams: new Map(head.results.teams.map((t) => [t.teamId, { ...emptyFacts(), ...t.facts }])),
    };
  }
  const facts = loaded ?? (await loadMonthFacts(ex, month, timeZone));
  return {
    agents: new Map(
      [...facts.agents].map(([id, f]) => {
        const kpis = evaluateKpis(f, targets, 'agent');
        return [id, { warned: warningsOf(kpis).length > 0, grade: gradeOf(kpis) }];
      }),
    ),
    teams: facts.teams,
  };
}

/**
 * The months an assessment of `month` reads: the month, the one before (last month's warning)
 * and, at a quarter's end, the quarter's first two (the quarter's grades).
 */
export function assessedMonths(month: string): string[] {
  return [
    month,
    ...new Set([
      addMonths(month, -1),
      ...(isQuarterEnd(month) ? quarterMonths(month).slice(0, 2) : []),
    ]),
  ];
}

/**
 * Every agent's and team's KPIs and outcomes for `month`, with the given targets (the reports
 * may narrow the month's tickets to a scope; the assessment never does).
 */
export async function computeResults(
  ex: Executor,
  month: string,
  targets: KpiTargets,
  timeZone: string,
  scope: FactsScope = {},
  /** Facts in this scope by month that the caller loaded already (the reports' trend). */
  loaded?: Map<string, MonthFacts>,
): Promise<SnapshotResults> {
  // The earlier months an assessment looks back on, loaded with the month in one go. Without a
  // scope, months the caller loaded serve as they are.
  const quarterEnd = isQuarterEnd(month);
  const basisMonths = assessedMonths(month).slice(1);
  const scoped = Boolean(scope.channel || scope.category || scope.tier);
  const reusable = scoped ? new Map<string, MonthFacts>() : (loaded ?? new Map());
  const missing = [month, ...basisMonths].filter(
    (m) => !reusable.has(m) && !(m === month && loaded?.has(m)),
  );
  const fresh = await loadMonthsFacts(
    ex,
    scoped ? missing.filter((m) => m !== month) : missing,
    timeZone,
  );
  const unscoped = new Map([...reusable, ...fresh]);
  const facts =
    loaded?.get(month) ??
    (scoped ? await loadMonthFacts(ex, month, timeZone, scope) : unscoped.get(month)!);
  const ids = [...facts.agents.keys()];
  // Independent reads side by side (on a pool, each on its own connection): the assessed, the
  // teams, the earlier months' outcomes and the QA averages.
  const basisOf = (m: string) => monthBasis(ex, m, targets, timeZone, unscoped.get(m));
  const previousMonth = addMonths(month, -1);
  const [people, teamRows, previous, earlierOnly, qa] = await Promise.all([
    // The assessed: active agents, and anyone a ticket or survey of the month counts for.
    ex
      .execute(
        sql`
      SELECT u.id, u.name,
        coalesce(array_agg(tm.team_id ORDER BY tm.team_id) FILTER (WHERE tm.team_id IS NOT NULL), '{}') AS team_ids
      FROM users u LEFT JOIN team_members tm ON tm.user_id = u.id
      WHERE (u.active AND 'agent' = ANY (u.roles)) OR u.id = ANY (${`{${ids.join(',')}}`}::uuid[])
      GROUP BY u.id, u.name ORDER BY u.name, u.id`,
      )
      .then((r) => rowsOf<{ id: string; name: string; team_ids: string[] | string }>(r)),
    ex
      .execute(sql`SELECT id, name FROM teams ORDER BY name, id`)
      .then((r) => rowsOf<{ id: string; name: string }>(r)),
    basisOf(previousMonth),
    quarterEnd
      ? Promise.all(
          quarterMonths(month)
            .slice(0, 2)
            .filter((m) => m !== previousMonth)
            .map(async (m) => [m, await basisOf(m)] as const),
        )
      : Promise.resolve([]),
    // The QA average (docs/qa.md) is shown beside the KPIs; it does not change the outcome.
    qaAverages(ex, `${month}-01`, `${addMonths(month, 1)}-01`),
  ]);
  const earlierByMonth = new Map<string, MonthBasis>(earlierOnly);
  const earlier = quarterEnd
    ? quarterMonths(month)
        .slice(0, 2)
        .map((m) => (m === previousMonth ? previous : earlierByMonth.get(m)!))
    : [];

  const assessed = assessAgents(
    people.map((p) => {
      const f = facts.agents.get(p.id) ?? emptyFacts();
      return {
        userId: p.id,
        name: p.name,
        teamIds: parseUuidArray(p.team_ids),
        facts: f,
        kpis: evaluateKpis(f, targets, 'agent'),
        warnedLastMonth: previous.agents.get(p.id)?.warned ?? false,
        earlierQuarterGrades: quarterEnd
          ? earlier.map((b) => b.agents.get(p.id)?.grade ?? null)
          : null,
      };
    }),
  );
  const agents: AgentResult[] = assessed.map((a) => ({
    userId: a.userId,
    name: a.name,
    teamIds: a.teamIds,
    facts: a.facts,
    kpis: a.kpis,
    outcome: a.outcome,
    qa: qa.get(a.userId) ?? null,
  }));
  const teams: TeamResult[] = teamRows.map((t) => {
    const f = facts.teams.get(t.id) ?? emptyFacts();
    const quarter = quarterEnd
      ? earlier.reduce((sum, b) => addFacts(sum, b.teams.get(t.id) ?? emptyFacts()), f)
      : null;
    return {
      teamId: t.id,
      name: t.name,
      facts: f,
      kpis: evaluateKpis(f, targets, 'team'),
      recognised: quarter
        ? teamRecognised({
            complaints: quarter.complaints,
            concluded: quarter.concluded,
            resolved: quarter.resolved,
          })
        : null,
    };
  });
  return {
    month,
    timeZone,
    targets,
    csatCutoff: csatTopCutoff(agents.map((a) => a.kpis.csat.value)),
    quarterEnd,
    agents,
    teams,
  };
}

/** array_agg arrives as a JS array from node-postgres and as '{…}' text from some drivers. */
function parseUuidArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/[{}]/g, '').split(',').filter(Boolean);
}

// ---------------------------------------------------------------------- writing

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

async function requireAssessableMonth(ex: Executor, month: string, now: Date) {
  const tz = await workspaceTimeZone(ex);
  if (!MONTH_RE.test(month) || monthRange(month, tz).from.getTime() > now.getTime())
    throw problems.invalid([{ path: 'month', message: 'must be the current or an earlier month' }]);
  return tz;
}

async function lockMonth(tx: Tx, month: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`kpi:${month}`}))`);
}

async function headOf(ex: Executor, month: string, lock = false): Promise<SnapshotRow | undefined> {
  const [head] = rowsOf<SnapshotRow>(
    await ex.execute(
      sql`${SELECT_SNAPSHOT} WHERE s.period_month = ${`${month}-01`}::date
        AND NOT EXISTS (SELECT 1 FROM kpi_snapshots n WHERE n.supersedes_id = s.id)
        ${lock ? sql`FOR UPDATE OF s` : sql``}`,
    ),
  );
  return head;
}

async function findRow(ex: Executor, id: string, lock = false) {
  const [row] = rowsOf<SnapshotRow>(
    await ex.execute(
      sql`${SELECT_SNAPSHOT} WHERE s.id = ${id}::uuid ${lock ? sql`FOR UPDATE OF s` : sql``}`,
    ),
  );
  return row;
}

export interface RunOutcome {
  snapshot: SnapshotView;
  created: boolean;
}

/**
 * Assesses a month: a new draft, or the month's draft recomputed (its revision goes up). 409
 * when the month's snapshot is signed: a signed month changes only by a correction.
 */
export async function runAssessment(
  ex: Tx,
  ctx: AuditContext,
  actor: Actor | null,
  month: string,
  source: 'job' | 'manual',
): Promise<RunOutcome> {
  const tz = await requireAssessableMonth(ex, month, ctx.at);
  await lockMonth(ex, month);
  const head = await headOf(ex, month, true);
  if (head?.signed_at) {
    throw problems.conflict(
      'snapshot_signed',
      `The assessment of ${month} is signed; correct it instead (POST /kpi/snapshots/${head.id}/correct).`,
    );
  }
  const tv = await currentTargets(ex, ctx.at);
  const results = await computeResults(ex, month, tv.targets, tz);
  const by = actor ? { id: actor.userId, name: actor.name } : null;
  let id: string;
  if (head) {
    await ex.execute(sql`UPDATE kpi_snapshots SET results = ${JSON.stringify(results)}::jsonb,
        target_version = ${tv.version}, computed_at = ${ctx.at.toISOString()}::timestamptz,
        computed_by = ${by?.id ?? null}::uuid, computed_by_name = ${by?.name ?? null},
        revision = revision + 1
      WHERE id = ${head.id}::uuid`);
    id = head.id;
    await recordAudit(ex, ctx, {
      action: 'kpi_snapshot.recompute',
      targetType: 'kpi_snapshot',
      targetId: id,
      before: { revision: Number(head.revision), targetVersion: Number(head.target_version) },
      after: { revision: Number(head.revision) + 1, targetVersion: tv.version, source },
    });
  } else {
    id = await insertSnapshot(ex, ctx, month, tv, results, source, by, null);
    await recordAudit(ex, ctx, {
      action: 'kpi_snapshot.create',
      targetType: 'kpi_snapshot',
      targetId: id,
      after: { month, targetVersion: tv.version, source },
    });
  }
  return { snapshot: present((await findRow(ex, id))!, actor), created: !head };
}

async function insertSnapshot(
  ex: Executor,
  ctx: AuditContext,
  month: string,
  tv: TargetVersion,
  results: SnapshotResults,
  source: SnapshotView['source'],
  by: { id: string; name: string } | null,
  correction: { supersedesId: string; reason: string } | null,
): Promise<string> {
  const [row] = rowsOf<{ id: string }>(
    await ex.execute(sql`INSERT INTO kpi_snapshots (period_month, target_version, results, source,
        computed_at, computed_by, computed_by_name, supersedes_id, correction_reason, created_at)
      VALUES (${`${month}-01`}::date, ${tv.version}, ${JSON.stringify(results)}::jsonb, ${source},
        ${ctx.at.toISOString()}::timestamptz, ${by?.id ?? null}::uuid, ${by?.name ?? null},
        ${correction?.supersedesId ?? null}::uuid, ${correction?.reason ?? null},
        ${ctx.at.toISOString()}::timestamptz)
      RETURNING id`),
  );
  return row!.id;
}

export function runAssessmentNow(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  month: string,
): Promise<RunOutcome> {
  return db.transaction((tx) => runAssessment(tx, ctx, actor, month, 'manual'));
}

/**
 * Signs a draft. `revision` is the revision the supervisor reviewed: a draft recomputed since is
 * 409. Agents found to need training get an open training item.
 */
export function signSnapshot(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { revision: number; note?: string | undefined },
): Promise<SnapshotView> {
  return db.transaction(async (tx) => {
    const row = await findRow(tx, id, true);
    if (!row) throw problems.notFound('Snapshot', 'id');
    if (row.signed_at)
      throw problems.conflict('snapshot_signed', 'This snapshot is already signed.');
    if (Number(row.revision) !== input.revision)
      throw problems.conflict(
        'snapshot_changed',
        `The snapshot was recomputed since revision ${input.revision}; review revision ${row.revision}.`,
        [{ path: 'revision', message: 'is not the current revision' }],
      );
    await tx.execute(sql`UPDATE kpi_snapshots SET signed_at = ${ctx.at.toISOString()}::timestamptz,
        signed_by = ${actor.userId}::uuid, signed_by_name = ${actor.name},
        sign_note = ${input.note ?? null}
      WHERE id = ${id}::uuid`);
    const month = monthOf(row.period_month);
    const training = row.results.agents.filter((a) => a.outcome.trainingRequired);
    for (const a of training) {
      await tx.execute(sql`INSERT INTO kpi_training_items
          (user_id, period_month, snapshot_id, kpis, created_at, updated_at)
        VALUES (${a.userId}::uuid, ${`${month}-01`}::date, ${id}::uuid,
          ${`{${a.outcome.warnings.join(',')}}`}::text[],
          ${ctx.at.toISOString()}::timestamptz, ${ctx.at.toISOString()}::timestamptz)
        ON CONFLICT (user_id, period_month) DO NOTHING`);
    }
    await recordAudit(tx, ctx, {
      action: 'kpi_snapshot.sign',
      targetType: 'kpi_snapshot',
      targetId: id,
      before: { status: 'draft', revision: Number(row.revision) },
      after: {
        status: 'signed',
        month,
        note: input.note ?? null,
        serviceStars: row.results.agents.filter((a) => a.outcome.serviceStar).map((a) => a.userId),
        trainingRequired: training.map((a) => a.userId),
      },
    });
    return present((await findRow(tx, id))!, actor);
  });
}

/** A correction of a signed snapshot: a new draft computed now, linked to it, with the reason. */
export async function correctSnapshot(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<SnapshotView> {
  try {
    return await db.transaction(async (tx) => {
      const row = await findRow(tx, id, true);
      if (!row) throw problems.notFound('Snapshot', 'id');
      const month = monthOf(row.period_month);
      await lockMonth(tx, month);
      if (!row.signed_at)
        throw problems.conflict(
          'snapshot_not_signed',
          'Only a signed snapshot is corrected; recompute the draft instead.',
        );
      if (row.superseded_by_id)
        throw problems.conflict(
          'snapshot_superseded',
          `This snapshot was already corrected by ${row.superseded_by_id}.`,
        );
      const tz = await workspaceTimeZone(tx);
      const tv = await currentTargets(tx, ctx.at);
      const results = await computeResults(tx, month, tv.targets, tz);
      const newId = await insertSnapshot(
        tx,
        ctx,
        month,
        tv,
        results,
        'correction',
        { id: actor.userId, name: actor.name },
        { supersedesId: id, reason },
      );
      await recordAudit(tx, ctx, {
        action: 'kpi_snapshot.correct',
        targetType: 'kpi_snapshot',
        targetId: newId,
        before: { snapshotId: id },
        after: { snapshotId: newId, supersedes: id, reason, month },
      });
      return present((await findRow(tx, newId))!, actor);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.conflict(
        'snapshot_superseded',
        'This snapshot was corrected at the same time.',
      );
    throw err;
  }
}

// ---------------------------------------------------------------------- reading

export async function getSnapshot(ex: Executor, actor: Actor, id: string) {
  const row = await findRow(ex, id);
  if (!row) throw problems.notFound('Snapshot', 'id');
  return present(row, actor);
}

/** A month's snapshots, newest first (the chain of corrections), each as the actor may see it. */
export async function listSnapshots(ex: Executor, actor: Actor, month: string) {
  if (!MONTH_RE.test(month))
    throw problems.invalid([{ path: 'month', message: 'must be YYYY-MM' }]);
  const rows = rowsOf<SnapshotRow>(
    await ex.execute(sql`${SELECT_SNAPSHOT} WHERE s.period_month = ${`${month}-01`}::date
      ORDER BY s.created_at DESC,
        EXISTS (SELECT 1 FROM kpi_snapshots n WHERE n.supersedes_id = s.id), s.id`),
  );
  return rows.map((r) => present(r, actor));
}

export interface TrendPoint {
  month: string;
  snapshotId: string | null;
  signed: boolean;
  values: Record<KpiKey, number | null>;
  statuses: Record<KpiKey, KpiResult['status']>;
}

/**
 * One agent's or team's KPIs over the `months` months up to `to`, from each month's newest
 * snapshot (months without one have no values). Who may see whom: policy.ts.
 */
export async function trendOf(
  ex: Executor,
  actor: Actor,
  q: { userId?: string | undefined; teamId?: string | undefined; to: string; months: number },
): Promise<TrendPoint[]> {
  if (!MONTH_RE.test(q.to)) throw problems.invalid([{ path: 'to', message: 'must be YYYY-MM' }]);
  const subject = q.teamId
    ? ({ kind: 'team', id: q.teamId } as const)
    : ({ kind: 'agent', id: q.userId ?? actor.userId } as const);
  const allowed =
    subject.kind === 'team'
      ? canSeeTeam(actor, subject.id)
      : canSeeAgent(actor, subject.id, await teamsOf(ex, subject.id));
  if (!allowed)
    throw problems.notFound(
      subject.kind === 'team' ? 'Team' : 'User',
      subject.kind === 'team' ? 'teamId' : 'userId',
    );
  const from = addMonths(q.to, -(q.months - 1));
  const rows = rowsOf<SnapshotRow>(
    await ex.execute(sql`${SELECT_SNAPSHOT} WHERE s.period_month BETWEEN ${`${from}-01`}::date
        AND ${`${q.to}-01`}::date
      AND NOT EXISTS (SELECT 1 FROM kpi_snapshots n WHERE n.supersedes_id = s.id)`),
  );
  const byMonth = new Map(rows.map((r) => [monthOf(r.period_month), r]));
  return Array.from({ length: q.months }, (_, i) => {
    const month = addMonths(from, i);
    const row = byMonth.get(month);
    const found =
      subject.kind === 'team'
        ? row?.results.teams.find((t) => t.teamId === subject.id)
        : row?.results.agents.find((a) => a.userId === subject.id);
    return {
      month,
      snapshotId: row?.id ?? null,
      signed: Boolean(row?.signed_at),
      values: Object.fromEntries(KPI_KEYS.map((k) => [k, found?.kpis[k]?.value ?? null])) as Record<
        KpiKey,
        number | null
      >,
      statuses: Object.fromEntries(
        KPI_KEYS.map((k) => [k, found?.kpis[k]?.status ?? 'na']),
      ) as Record<KpiKey, KpiResult['status']>,
    };
  });
}

async function teamsOf(ex: Executor, userId: string): Promise<string[]> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return [];
  return rowsOf<{ team_id: string }>(
    await ex.execute(sql`SELECT team_id FROM team_members WHERE user_id = ${userId}::uuid`),
  ).map((r) => r.team_id);
}
