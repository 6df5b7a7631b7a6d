/**
 * Drawing a week's sample (docs/qa.md): counts the week's handled tickets not sampled before per
 * agent × stratum, shares the quotas with the pure `planSample`, and draws and writes the items
 * in PostgreSQL (seeded hash order, row_number per stratum) in one INSERT … SELECT, with the run
 * (and its seed) in one transaction. A week is drawn once (unique qa_sample_runs.week_start), by
 * the job or by hand.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, textArray, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { addDays } from '../sla/rules/calendar.js';
import { midnightAfter } from './rules/appeal.js';
import {
  drawSeedKey,
  inspectorPool,
  planSample,
  type Stratum,
  type StratumTake,
} from './rules/sampling.js';
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
 * The week's candidates — tickets received in it, by their handler (or owner) if active, not
 * merged, not yet sampled — as SQL for a FROM clause. Read twice (counted, then drawn from) straight
 * from `tickets`: the week is an index-only range of `tickets_qa_draw_idx` (migration 0041), so
 * nothing is staged in a temporary table. `activeOnly` false leaves out the agents' check (the
 * draw does it only for tickets that match no counted stratum).
 */
function candidatesOf(from: Date, to: Date, activeOnly = true) {
  const active = activeOnly
    ? sql`JOIN users u ON u.id = coalesce(t.handler_id, t.owner_id) AND u.active`
    : sql``;
  return sql`(SELECT t.id, coalesce(t.handler_id, t.owner_id) AS agent_id, t.channel, t.category
      FROM tickets t
      ${active}
      WHERE t.received_at >= ${from.toISOString()}::timestamptz
        AND t.received_at < ${to.toISOString()}::timestamptz
        AND t.merged_into_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM qa_items q WHERE q.ticket_id = t.id))`;
}

/** The candidates counted per agent × channel × category (what planSample shares out). */
async function loadStrata(ex: Executor, from: Date, to: Date): Promise<Stratum[]> {
  const rows = rowsOf<{ agent_id: string; channel: string; category: string; n: string }>(
    await ex.execute(sql`SELECT agent_id, channel, category, count(*) AS n
      FROM ${candidatesOf(from, to)} c GROUP BY 1, 2, 3`),
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
  // The draw sorts ~250,000 rows once: in memory, without JIT compilation (≈ 0.1 s of a ≤ 2 s
  // budget), and joined to the plan by hash (a merge join sorted the week on text keys first).
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
  await tx.execute(sql`SET LOCAL jit = off`);
  await tx.execute(sql`SET LOCAL enable_mergejoin = off`);
  const { pool, offset } = inspectorPool(await activeInspectors(tx), seed);
  try {
    const [run] = rowsOf<RunRow>(
      await tx.execute(sql`INSERT INTO qa_sample_runs (week_start, seed, percent, min_per_agent,
          source, candidates, sampled, created_by, created_at)
        VALUES (${input.weekStart}::date, ${seed}, ${settings.samplePercent}, ${settings.minPerAgent},
          ${input.source}, 0, 0, ${actor?.userId ?? null}::uuid,
          ${ctx.at.toISOString()}::timestamptz)
        RETURNING *`),
    );
    // Counts in the database, shares in the pure planSample, the draw itself in one
    // INSERT … SELECT. The draw reads the candidates again and writes nothing unless they are
    // still the ones counted (a ticket of the current week may arrive in between): then the
    // counting is done again, so the items are always the pure drawSample of the candidates.
    let candidates = 0;
    let sampled = 0;
    const draw = {
      runId: run!.id,
      weekStart: input.weekStart,
      seed,
      pool,
      offset,
      from,
      to,
      addedBy: actor?.userId ?? null,
      at: ctx.at,
    };
    for (let attempt = 1; ; attempt++) {
      const strata = await loadStrata(tx, from, to);
      candidates = strata.reduce((sum, s) => sum + s.size, 0);
      const plan = planSample(strata, {
        seed,
        percent: settings.samplePercent,
        minPerAgent: settings.minPerAgent,
      });
      if (!plan.length) break;
      let drawn = await insertDraw(tx, { ...draw, strata, plan, cutOffs: true });
      if (drawn === 'cut') drawn = await insertDraw(tx, { ...draw, strata, plan, cutOffs: false });
      if (typeof drawn === 'number') {
        sampled = drawn;
        break;
      }
      if (attempt >= 5)
        throw problems.conflict(
          'week_changing',
          `The week of ${input.weekStart} kept changing while it was drawn; try again.`,
        );
    }
    await tx.execute(sql`UPDATE qa_sample_runs SET candidates = ${candidates}, sampled = ${sampled}
      WHERE id = ${run!.id}::uuid`);
    run!.candidates = candidates;
    run!.sampled = sampled;
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

/**
 * One INSERT … SELECT: every candidate gets its stratum from the plan (all strata, with their
 * counted size and take) and its seeded key `uuid_hash_extended(id, drawSeedKey(seed))`; the `take`
 * first of each stratum in (key, id) order are the items, numbered by agent, key and id for the
 * round-robin of inspectorFor — the arithmetic of the pure drawSample (tested against it).
 *
 * The keys are uniform over 64 bits, so a stratum's `take` first lie, all but certainly, below a
 * cut-off a little above the take/size quantile (cutOff): only those (a fifth of the bench's week)
 * are sorted, the rest only counted. If fewer than `take` of a stratum fall below its cut-off, nothing
 * is inserted and 'cut' is returned (the caller draws again without cut-offs: same items). When a
 * candidate has no stratum, or a stratum's size is not the one counted, nothing is inserted and
 * 'changed' is returned; otherwise the number of items inserted.
 */
async function insertDraw(
  tx: Executor,
  d: {
    runId: string;
    weekStart: string;
    seed: string;
    strata: readonly Stratum[];
    plan: readonly StratumTake[];
    pool: readonly string[];
    offset: number;
    from: Date;
    to: Date;
    addedBy: string | null;
    at: Date;
    cutOffs: boolean;
  },
): Promise<number | 'changed' | 'cut'> {
  const takes = new Map(
    d.plan.map((p) => [`${p.agentId}\u0000${p.channel}\u0000${p.category}`, p.take]),
  );
  const all = d.strata.map((s) => {
    const take = takes.get(`${s.agentId}\u0000${s.channel}\u0000${s.category}`) ?? 0;
    return { ...s, take, cut: d.cutOffs ? cutOff(take, s.size) : null };
  });
  // Per stratum, the agent's place in the inspectors' pool (0: not an inspector), so the
  // round-robin of inspectorFor is plain arithmetic on the item's number k.
  const n = d.pool.length;
  const ownOf = (agentId: string) => d.pool.indexOf(agentId) + 1;
  const k = sql`(${d.offset}::bigint + p.k)`;
  const ints = (xs: readonly (number | bigint | null)[]) =>
    `{${xs.map((x) => (x === null ? 'NULL' : x.toString())).join(',')}}`;
  const [row] = rowsOf<{ sampled: string; sizes_ok: boolean; cuts_ok: boolean }>(
    await tx.execute(sql`WITH plan AS (
        SELECT * FROM unnest(${textArray(all.map((p) => p.agentId))}::uuid[],
          ${textArray(all.map((p) => p.channel))}::text[],
          ${textArray(all.map((p) => p.category))}::text[],
          ${ints(all.map((p) => p.size))}::int[], ${ints(all.map((p) => p.take))}::int[],
          ${ints(all.map((p) => ownOf(p.agentId)))}::int[], ${ints(all.map((p) => p.cut))}::bigint[])
          WITH ORDINALITY AS x(agent_id, channel, category, size, take, own, cut, stratum)
      ), keyed AS MATERIALIZED (
        -- The week's tickets of any agent, matched to the counted strata by hash; those that
        -- match none are left out, unless their agent is active (then the strata changed).
        SELECT c.id, x.stratum, x.take, x.cut,
          uuid_hash_extended(c.id, ${drawSeedKey(d.seed).toString()}::bigint) AS h,
          CASE WHEN x.stratum IS NULL THEN EXISTS (SELECT 1 FROM users u
            WHERE u.id = c.agent_id AND u.active) END AS stray
        FROM ${candidatesOf(d.from, d.to, false)} c
        LEFT JOIN plan x ON x.agent_id = c.agent_id AND x.channel = c.channel
          AND x.category = c.category
      ), seen AS (
        SELECT stratum, count(*) AS n, count(*) FILTER (WHERE h < cut OR cut IS NULL) AS below,
          bool_or(stray) AS stray
        FROM keyed GROUP BY stratum
      ), verdict AS (
        SELECT count(*) FILTER (WHERE s.stratum IS NOT NULL) = ${all.length}
            AND bool_and(coalesce(x.size = s.n, s.stratum IS NULL))
            AND NOT coalesce(bool_or(s.stray), false) AS sizes_ok,
          coalesce(bool_and(s.below >= x.take), true) AS cuts_ok
        FROM seen s LEFT JOIN plan x ON x.stratum = s.stratum
      ), numbered AS (
        SELECT id, stratum, take, h, row_number() OVER (PARTITION BY stratum ORDER BY h, id) AS rn
        FROM keyed WHERE (h < cut OR cut IS NULL) AND take > 0
          AND (SELECT sizes_ok AND cuts_ok FROM verdict)
      ), picked AS (
        SELECT c.id, x.agent_id, x.channel, x.category, x.own,
          row_number() OVER (ORDER BY x.agent_id, c.h, c.id) - 1 AS k
        FROM numbered c JOIN plan x ON x.stratum = c.stratum
        WHERE c.rn <= c.take
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
        SELECT ${d.runId}::uuid, p.id, p.agent_id, i.id, p.channel, p.category, 'random',
          ${d.weekStart}::date, ${d.addedBy}::uuid, ${d.at.toISOString()}::timestamptz
        FROM placed p
        LEFT JOIN unnest(${textArray(d.pool)}::uuid[]) WITH ORDINALITY AS i(id, slot)
          ON i.slot = p.slot
        ORDER BY p.id
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM ins) AS sampled, v.sizes_ok, v.cuts_ok FROM verdict v`),
  );
  if (!row?.sizes_ok) return 'changed';
  if (!row.cuts_ok) return 'cut';
  return Number(row.sampled);
}

/**
 * The key below which a stratum's `take` first keys lie but for a chance of about 10⁻⁶: the
 * take/size quantile of the 64-bit range plus a margin of 5 × √take + 5 keys (the count below a
 * cut-off at p is binomial(size, p), its deviation below √(take + margin)); null (no cut-off)
 * when that is the whole range. A miss costs a second draw without cut-offs, never other items.
 */
export function cutOff(take: number, size: number): bigint | null {
  if (take <= 0) return -(2n ** 63n);
  const p = (take + 5 * Math.sqrt(take) + 5) / size;
  if (p >= 1) return null;
  return -(2n ** 63n) + BigInt(Math.floor(p * 2 ** 53)) * 2n ** 11n;
}

export async function listRuns(ex: Executor): Promise<SampleRun[]> {
  return rowsOf<RunRow>(
    await ex.execute(sql`SELECT * FROM qa_sample_runs ORDER BY week_start DESC LIMIT 52`),
  ).map(presentRun);
}
