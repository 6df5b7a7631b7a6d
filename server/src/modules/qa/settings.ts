/** QA settings (one row) and the versioned scorecard templates. */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { criteriaErrors, DEFAULT_CRITERIA, type Criterion } from './rules/scorecard.js';

export interface QaSettings {
  samplePercent: number;
  minPerAgent: number;
  samplingWeekday: number;
  samplingHour: number;
  appealWorkingDays: number;
  lowCsatBelow: number;
  failRatio: number;
  trainingFailures: number;
  trainingWeeks: number;
}

export async function getQaSettings(ex: Executor): Promise<QaSettings> {
  const [r] = rowsOf<Record<string, string | number>>(
    await ex.execute(sql`SELECT * FROM qa_settings WHERE id`),
  );
  if (!r) throw new Error('qa_settings row missing (migration 0023 seeds it)');
  return {
    samplePercent: Number(r.sample_percent),
    minPerAgent: Number(r.min_per_agent),
    samplingWeekday: Number(r.sampling_weekday),
    samplingHour: Number(r.sampling_hour),
    appealWorkingDays: Number(r.appeal_working_days),
    lowCsatBelow: Number(r.low_csat_below),
    failRatio: Number(r.fail_ratio),
    trainingFailures: Number(r.training_failures),
    trainingWeeks: Number(r.training_weeks),
  };
}

export async function updateQaSettings(
  db: Db,
  ctx: AuditContext,
  patch: Partial<QaSettings>,
): Promise<QaSettings> {
  return db.transaction(async (tx) => {
    const before = await getQaSettings(tx);
    const after = { ...before, ...patch };
    await tx.execute(sql`UPDATE qa_settings SET
        sample_percent = ${after.samplePercent}, min_per_agent = ${after.minPerAgent},
        sampling_weekday = ${after.samplingWeekday}, sampling_hour = ${after.samplingHour},
        appeal_working_days = ${after.appealWorkingDays}, low_csat_below = ${after.lowCsatBelow},
        fail_ratio = ${after.failRatio}, training_failures = ${after.trainingFailures},
        training_weeks = ${after.trainingWeeks}, updated_at = ${ctx.at.toISOString()}::timestamptz
      WHERE id`);
    await recordAudit(tx, ctx, {
      action: 'qa_settings.update',
      targetType: 'qa_settings',
      before: { ...before },
      after: { ...after },
    });
    return after;
  });
}

export interface ScorecardVersion {
  version: number;
  criteria: Criterion[];
  reason: string;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

interface Row {
  version: number;
  criteria: Criterion[];
  reason: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date | string;
}

const present = (r: Row): ScorecardVersion => ({
  version: Number(r.version),
  criteria: r.criteria,
  reason: r.reason,
  createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function getScorecard(
  ex: Executor,
  version: number,
): Promise<ScorecardVersion | null> {
  const [row] = rowsOf<Row>(
    await ex.execute(sql`SELECT * FROM qa_scorecard_versions WHERE version = ${version}`),
  );
  return row ? present(row) : null;
}

/** The current scorecard, writing version 1 (the default criteria) on first use. */
export async function currentScorecard(ex: Executor, now: Date): Promise<ScorecardVersion> {
  const read = async () =>
    rowsOf<Row>(
      await ex.execute(sql`SELECT * FROM qa_scorecard_versions ORDER BY version DESC LIMIT 1`),
    )[0];
  let row = await read();
  if (!row) {
    await ex.execute(sql`INSERT INTO qa_scorecard_versions (version, criteria, reason, created_at)
      VALUES (1, ${JSON.stringify(DEFAULT_CRITERIA)}::jsonb, 'SPEC chapter 7 defaults',
              ${now.toISOString()}::timestamptz)
      ON CONFLICT (version) DO NOTHING`);
    row = await read();
  }
  return present(row!);
}

export async function listScorecards(ex: Executor, now: Date): Promise<ScorecardVersion[]> {
  await currentScorecard(ex, now);
  return rowsOf<Row>(
    await ex.execute(sql`SELECT * FROM qa_scorecard_versions ORDER BY version DESC LIMIT 100`),
  ).map(present);
}

export async function saveScorecard(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: { criteria: Criterion[]; reason: string; baseVersion?: number | undefined },
): Promise<ScorecardVersion> {
  const errors = criteriaErrors(input.criteria);
  if (errors.length) throw problems.invalid(errors);
  try {
    return await db.transaction(async (tx) => {
      const current = await currentScorecard(tx, ctx.at);
      if (input.baseVersion !== undefined && input.baseVersion !== current.version)
        throw problems.conflict(
          'scorecard_version_conflict',
          `The scorecard changed since version ${input.baseVersion}.`,
          [{ path: 'baseVersion', message: 'is not the current version' }],
        );
      const [row] = rowsOf<Row>(
        await tx.execute(sql`INSERT INTO qa_scorecard_versions
            (version, criteria, reason, created_by, created_by_name, created_at)
          VALUES (${current.version + 1}, ${JSON.stringify(input.criteria)}::jsonb, ${input.reason},
                  ${actor.userId}::uuid, ${actor.name}, ${ctx.at.toISOString()}::timestamptz)
          RETURNING *`),
      );
      const created = present(row!);
      await recordAudit(tx, ctx, {
        action: 'qa_scorecard.update',
        targetType: 'qa_scorecard',
        targetId: String(created.version),
        before: { version: current.version, criteria: current.criteria },
        after: { version: created.version, criteria: created.criteria, reason: input.reason },
      });
      return created;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.conflict(
        'scorecard_version_conflict',
        'Another edit was saved at the same time.',
      );
    throw err;
  }
}
