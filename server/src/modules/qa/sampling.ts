/**
 * Drawing a week's sample (docs/qa.md): counts the week's handled tickets not sampled before per
 * agent × stratum, shares the quotas with the pure `planSample`, and draws and writes the items
 * in PostgreSQL (seeded md5 order, row_number per stratum) with the run (and its seed) in one
 * transaction. A week is drawn once (unique qa_sample_runs.week_start), by the job or by hand.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { addDays } from '../sla/rules/calendar.js';
import { midnightAfter } from './rules/appeal.js';
import { inspectorPool, planSample, type Stratum } from './rules/sampling.js';
import { getQaSettings } from './settings.js';

export interface SampleRun {
  id: string;
  weekStart: string;
  seed: string;
  percent: number;
  minPerAgent: number;
  source: 'job' | 'manual';
  candidates: number;
  sampled: number;
  createdAt: string;
}

interface RunRow {
  id: string;
  week_start: string | Date;
  seed: string;
  percent: string;
  min_per_agent: number;
  source: 'job' | 'manual';
  candidates: number;
  sampled: number;
  created_at: string | Date;
}

const dateOnly = (d: string | Date) =>
  typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

const presentRun = (r: RunRow): SampleRun => ({
  id: r.id,
  weekStart: dateOnly(r.week_start),
  seed: r.seed,
  percent: Number(r.percent),
  minPerAgent: Number(r.min_per_agent),
  source: r.source,
  candidates: Number(r.candidates),
  sampled: Number(r.sampled),
  createdAt: new Date(r.created_at).toISOString(),
});

/** The [from, to) instants of a Monday-to-Sunday week in the time zone. */
export function weekRange(weekStart: string, timeZone: string) {
  return {
    from: new Date(midnightAfter(addDays(weekStart, -1), timeZone)),
    to: new Date(midnightAfter(addDays(weekStart, 6), timeZone)),
  };
}

/**
 * The week's candidates — tickets received in it, by their handler (or owner), not yet sampled —
 * with their seeded order key, into a temporary table of the transaction (read once, then
 * counted and drawn from). The key is md5(seed:id) as a uuid: the same 16 bytes as the hex digest
 * the pure drawSample sorts on, in the same order (bytes compare as their hex does), but a
 * fixed-size value that sorts faster than text. `tid` is the ticket's place in its table: the
 * items are inserted in that order, so the ticket foreign-key checks read each table page once.
 */
async function stageCandidates(ex: Executor, from: Date, to: Date, seed: string) {
  await ex.execute(sql`CREATE TEMP TABLE qa_draw_candidates ON COMMIT DROP AS
      SELECT t.id, coalesce(t.handler_id, t.owner_id) AS agent_id, t.channel, t.category,
        md5(${seed} || ':' || t.id::text)::uuid AS h, t.ctid AS tid
      FROM tickets t
      JOIN users u ON u.id = coalesce(t.handler_id, t.owner_id) AND u.active
      WHERE t.received_at >= ${from.toISOString()}::timestamptz
        AND t.received_at < ${to.toISOString()}::timestamptz
        AND t.merged_into_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM qa_items q WHERE q.ticket_id = t.id)`);
  await ex.execute(sql`ANALYZE qa_draw_candidates`);
}

/** The staged candidates counted per agent × channel × category (what planSample shares out). */
async function loadStrata(ex: Executor): Promise<Stratum[]> {
  const rows = rowsOf<{ agent_id: string; channel: string; category: string; n: string }>(
    await ex.execute(sql`SELECT agent_id, channel, category, count(*) AS n
      FROM qa_draw_candidates GROUP BY 1, 2, 3`),
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    channel: r.channel,
    category: r.category,
    size: Number(r.n),
  }));
}

export async function activeInspectors(ex: Executor): Promise<string[]> {
  return rowsOf<{ id: string }>(
    await ex.execute(sql`SELECT id FROM users
      WHERE active AND 'qa_inspector' = ANY (roles) ORDER BY id`),
  ).map((r) => r.id);
}

export async function drawWeek(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor | null,
  input: { weekStart: string; seed?: string | undefined; source: 'job' | 'manual' },
): Promise<SampleRun> {
  const tz = await workspaceTimeZone(tx);
  const { from, to } = weekRange(input.weekStart, tz);
  if (from.getTime() > ctx.at.getTime())
    throw problems.invalid([{ path: 'week', message: 'must be the current or an earlier week' }]);
  const settings = await getQaSettings(tx);
  const seed = input.seed ?? `${input.weekStart}-${randomBytes(6).toString('hex')}`;
  const [exists] = rowsOf(
    await tx.execute(sql`SELECT 1 FROM qa_sample_runs WHERE week_start = ${input.weekStart}::date`),
  );
  if (exists)
    throw problems.conflict(
      'week_already_sampled',
      `The week of ${input.weekStart} is already sampled.`,
      [{ path: 'week', message: 'is already sampled' }],
    );
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
  // Counts in the database, shares in the pure planSample, the draw itself in one
  // INSERT … SELECT: the `take` first tickets of each stratum in md5(seed:id) order, then the
  // items numbered by agent and that order for the round-robin of inspectorFor — the same
  // arithmetic as the pure drawSample (tested against it), without loading the week into Node.
  await stageCandidates(tx, from, to, seed);
  const strata = await loadStrata(tx);
  const candidates = strata.reduce((sum, s) => sum + s.size, 0);
  const plan = planSample(strata, {
    seed,
    percent: settings.samplePercent,
    minPerAgent: settings.minPerAgent,
  });
  const { pool, offset } = inspectorPool(await activeInspectors(tx), seed);
  try {
    const [run] = rowsOf<RunRow>(
      await tx.execute(sql`INSERT INTO qa_sample_runs (week_start, seed, percent, min_per_agent,
          source, candidates, sampled, created_by, created_at)
        VALUES (${input.weekStart}::date, ${seed}, ${settings.samplePercent}, ${settings.minPerAgent},
          ${input.source}, ${candidates}, 0, ${actor?.userId ?? null}::uuid,
          ${ctx.at.toISOString()}::timestamptz)
        RETURNING *`),
    );
    let sampled = 0;
    if (plan.length) {
      // Per plan row, the agent's place in the inspectors' pool (0: not an inspector), so the
      // round-robin of inspectorFor is plain arithmetic on the item's number k.
      const n = pool.length;
      const ownOf = (agentId: string) => pool.indexOf(agentId) + 1;
      const k = sql`(${offset}::bigint + p.k)`;
      const inserted = rowsOf<{ n: string }>(
        await tx.execute(sql`WITH plan AS (
            SELECT * FROM unnest(${toArray(plan.map((p) => p.agentId))}::uuid[],
              ${toArray(plan.map((p) => p.channel))}::text[],
              ${toArray(plan.map((p) => p.category))}::text[],
              ${`{${plan.map((p) => p.take).join(',')}}`}::int[],
              ${`{${plan.map((p) => ownOf(p.agentId)).join(',')}}`}::int[])
              WITH ORDINALITY AS x(agent_id, channel, category, take, own, stratum)
          ), numbered AS (
            SELECT c.id, c.tid, c.agent_id, c.channel, c.category, c.h, x.take, x.own,
              row_number() OVER (PARTITION BY x.stratum ORDER BY c.h, c.id) AS rn
            FROM qa_draw_candidates c
            JOIN plan x ON x.agent_id = c.agent_id AND x.channel = c.channel
              AND x.category = c.category
          ), picked AS (
            SELECT id, tid, agent_id, channel, category, own,
              row_number() OVER (ORDER BY agent_id, h, id) - 1 AS k
            FROM numbered WHERE rn <= take
          ), placed AS (
            SELECT p.*, CASE WHEN ${n}::int = 0 THEN NULL
                WHEN p.own = 0 THEN 1 + ${k} % ${n}::int
                WHEN ${n}::int = 1 THEN NULL
                WHEN ${k} % (${n}::int - 1) + 1 >= p.own THEN ${k} % (${n}::int - 1) + 2
                ELSE ${k} % (${n}::int - 1) + 1
              END AS slot
            FROM picked p
          ), ins AS (
            INSERT INTO qa_items (run_id, ticket_id, agent_id, inspector_id, channel, category,
              reason, week_start, added_by, created_at)
            SELECT ${run!.id}::uuid, p.id, p.agent_id, i.id, p.channel, p.category, 'random',
              ${input.weekStart}::date, ${actor?.userId ?? null}::uuid,
              ${ctx.at.toISOString()}::timestamptz
            FROM placed p
            LEFT JOIN unnest(${toArray(pool)}::uuid[]) WITH ORDINALITY AS i(id, slot)
              ON i.slot = p.slot
            ORDER BY p.tid
            RETURNING 1
          )
          SELECT count(*) AS n FROM ins`),
      );
      sampled = Number(inserted[0]?.n ?? 0);
      await tx.execute(
        sql`UPDATE qa_sample_runs SET sampled = ${sampled} WHERE id = ${run!.id}::uuid`,
      );
      run!.sampled = sampled;
    }
    await recordAudit(tx, ctx, {
      action: 'qa_sample.draw',
      targetType: 'qa_sample_run',
      targetId: run!.id,
      after: { week: input.weekStart, seed, candidates, sampled },
    });
    return presentRun(run!);
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.conflict(
        'week_already_sampled',
        `The week of ${input.weekStart} is already sampled.`,
      );
    throw err;
  }
}

/** A PostgreSQL array literal of the values (null → NULL), for unnest() over thousands of rows. */
function toArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}

export async function listRuns(ex: Executor): Promise<SampleRun[]> {
  return rowsOf<RunRow>(
    await ex.execute(sql`SELECT * FROM qa_sample_runs ORDER BY week_start DESC LIMIT 52`),
  ).map(presentRun);
}
