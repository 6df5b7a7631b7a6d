/**
 * KPI targets and warning floors, versioned like the SLA policies: every edit inserts the next
 * version (who, when, why) and no version is ever changed (the table refuses UPDATE/DELETE).
 * Version 1 is SPEC chapter 8 (`DEFAULT_TARGETS`), written on first use.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { DEFAULT_TARGETS, KPI_KEYS, targetErrors, type KpiTargets } from './rules/kpis.js';

export interface TargetVersion {
  version: number;
  targets: KpiTargets;
  reason: string;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

interface Row {
  version: number;
  targets: KpiTargets;
  reason: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date | string;
}

/**
 * Stored targets with every KPI present: a KPI added after a version was saved (the phone
 * connection rate) has its SPEC default until an administrator saves a version that sets it.
 */
const complete = (t: Partial<KpiTargets>): KpiTargets =>
  Object.fromEntries(KPI_KEYS.map((k) => [k, t[k] ?? DEFAULT_TARGETS[k]])) as KpiTargets;

const present = (r: Row): TargetVersion => ({
  version: Number(r.version),
  targets: complete(r.targets),
  reason: r.reason,
  createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function getTargetVersion(
  ex: Executor,
  version: number,
): Promise<TargetVersion | null> {
  const [row] = rowsOf<Row>(
    await ex.execute(sql`SELECT * FROM kpi_target_versions WHERE version = ${version}`),
  );
  return row ? present(row) : null;
}

/** The current version, writing version 1 (SPEC chapter 8) on a database that has none. */
export async function currentTargets(ex: Executor, now: Date): Promise<TargetVersion> {
  const read = async () =>
    rowsOf<Row>(
      await ex.execute(sql`SELECT * FROM kpi_target_versions ORDER BY version DESC LIMIT 1`),
    )[0];
  let row = await read();
  if (!row) {
    await ex.execute(sql`INSERT INTO kpi_target_versions (version, targets, reason, created_at)
      VALUES (1, ${JSON.stringify(DEFAULT_TARGETS)}::jsonb, 'SPEC chapter 8 defaults',
              ${now.toISOString()}::timestamptz)
      ON CONFLICT (version) DO NOTHING`);
    row = await read();
  }
  return present(row!);
}

export async function listTargetVersions(ex: Executor, now: Date): Promise<TargetVersion[]> {
  await currentTargets(ex, now);
  return rowsOf<Row>(
    await ex.execute(sql`SELECT * FROM kpi_target_versions ORDER BY version DESC LIMIT 100`),
  ).map(present);
}

export interface TargetsInput {
  targets: KpiTargets;
  reason: string;
  baseVersion?: number | undefined;
}

export async function saveTargets(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: TargetsInput,
): Promise<TargetVersion> {
  const errors = targetErrors(input.targets);
  if (errors.length) throw problems.invalid(errors);
  try {
    return await db.transaction(async (tx) => {
      const current = await currentTargets(tx, ctx.at);
      if (input.baseVersion !== undefined && input.baseVersion !== current.version)
        throw conflict(
          `The targets changed since version ${input.baseVersion}: the current version is ${current.version}.`,
        );
      const [row] = rowsOf<Row>(
        await tx.execute(sql`INSERT INTO kpi_target_versions
            (version, targets, reason, created_by, created_by_name, created_at)
          VALUES (${current.version + 1}, ${JSON.stringify(input.targets)}::jsonb, ${input.reason},
                  ${actor.userId}::uuid, ${actor.name}, ${ctx.at.toISOString()}::timestamptz)
          RETURNING *`),
      );
      const created = present(row!);
      await recordAudit(tx, ctx, {
        action: 'kpi_targets.update',
        targetType: 'kpi_targets',
        targetId: String(created.version),
        before: { version: current.version, targets: current.targets },
        after: { version: created.version, targets: created.targets, reason: input.reason },
      });
      return created;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict(
        'Another edit of the targets was saved at the same time; reload and try again.',
      );
    throw err;
  }
}

const conflict = (detail: string) =>
  problems.conflict('targets_version_conflict', detail, [
    { path: 'baseVersion', message: 'is not the current version' },
  ]);
