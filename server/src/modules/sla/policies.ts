/**
 * The SLA policy list, versioned: every edit inserts a new version (who, when, why) and no
 * version is ever changed (the table refuses UPDATE and DELETE). Tickets pin the version their
 * clocks started under.
 */
import { desc, eq, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { LRUCache } from 'lru-cache';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { slaPolicyVersions } from '../../db/schema/index.js';
import type { FieldError } from '../../lib/problem.js';
import { problems } from '../../lib/problem.js';
import type { CursorKey } from '../../lib/pagination.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import type { StoredPolicy } from './rules/escalation.js';
import { diffPolicies, type PolicyDiff } from './rules/policy-diff.js';
import type { PoliciesInput } from './schemas.js';
import { seedSlaDefaults } from './seed.js';
import { txMemo } from '../../db/tx-memo.js';

type VersionRow = typeof slaPolicyVersions.$inferSelect;

export interface PolicyVersion {
  version: number;
  policies: StoredPolicy[];
  reason: string;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

const present = (r: VersionRow): PolicyVersion => ({
  version: r.version,
  policies: r.policies as StoredPolicy[],
  reason: r.reason,
  createdBy: r.createdBy ? { id: r.createdBy, name: r.createdByName ?? '' } : null,
  createdAt: r.createdAt.toISOString(),
});

/** Versions never change, so a process keeps the ones it has read, by their content's hash. */
const versionCache = new LRUCache<string, PolicyVersion>({ max: 50 });

export function currentVersion(ex: Executor): Promise<PolicyVersion | null> {
  return txMemo(
    ex,
    'policy:current',
    () => currentVersionNow(ex),
    (v) => v !== null,
  );
}

async function currentVersionNow(ex: Executor): Promise<PolicyVersion | null> {
  const [head] = rowsOf<{ version: number; hash: string }>(
    await ex.execute(sql`SELECT version, md5(policies::text || reason || created_at::text) AS hash
      FROM sla_policy_versions ORDER BY version DESC LIMIT 1`),
  );
  if (!head) return null;
  const key = `${head.version}:${head.hash}`;
  const cached = versionCache.get(key);
  if (cached) return cached;
  const found = await getVersion(ex, Number(head.version));
  if (found) versionCache.set(key, found);
  return found;
}

/** The current version, seeding version 1 (and the calendars) on a database that has none. */
export async function currentVersionOrSeed(ex: Executor, now: Date): Promise<PolicyVersion> {
  const found = await currentVersion(ex);
  if (found) return found;
  await seedSlaDefaults(ex, now);
  return (await currentVersion(ex))!;
}

export async function getVersion(ex: Executor, version: number): Promise<PolicyVersion | null> {
  const [row] = await ex
    .select()
    .from(slaPolicyVersions)
    .where(eq(slaPolicyVersions.version, version));
  return row ? present(row) : null;
}

export async function listVersions(db: Db, limit: number, after?: CursorKey) {
  const rows = await db
    .select({
      version: slaPolicyVersions.version,
      reason: slaPolicyVersions.reason,
      createdBy: slaPolicyVersions.createdBy,
      createdByName: slaPolicyVersions.createdByName,
      createdAt: slaPolicyVersions.createdAt,
      policyCount: sql<number>`jsonb_array_length(${slaPolicyVersions.policies})`,
    })
    .from(slaPolicyVersions)
    .where(after ? lt(slaPolicyVersions.version, Number(after.id)) : undefined)
    .orderBy(desc(slaPolicyVersions.version))
    .limit(limit + 1);
  return rows.map((r) => ({
    version: r.version,
    reason: r.reason,
    createdBy: r.createdBy ? { id: r.createdBy, name: r.createdByName ?? '' } : null,
    createdAt: r.createdAt.toISOString(),
    policyCount: Number(r.policyCount),
  }));
}

/**
 * Rules across fields that a body schema cannot say: policy keys are unique, and a policy has
 * one target of each kind — except one pair that applies inside and outside working hours.
 */
export function policyRuleErrors(policies: StoredPolicy[]): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  policies.forEach((p, i) => {
    if (keys.has(p.key))
      errors.push({
        path: `policies.${i}.key`,
        message: 'is used by another policy',
        code: 'taken',
      });
    keys.add(p.key);
    const whenByKind = new Map<string, string[]>();
    p.targets.forEach((t, j) => {
      const when = t.onlyInsideWorkingHours ? 'in' : t.onlyOutsideWorkingHours ? 'off' : 'any';
      const prior = whenByKind.get(t.kind) ?? [];
      const pair = prior.length === 1 && [prior[0], when].sort().join() === 'in,off';
      if (prior.length > 0 && !pair) {
        errors.push({
          path: `policies.${i}.targets.${j}.kind`,
          message: 'appears twice (only an in-hours / off-hours pair may share a kind)',
          code: 'duplicate',
        });
      }
      whenByKind.set(t.kind, [...prior, when]);
    });
  });
  return errors;
}

export async function createVersion(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: PoliciesInput,
): Promise<PolicyVersion> {
  const policies = input.policies as StoredPolicy[];
  const errors = policyRuleErrors(policies);
  if (errors.length) throw problems.invalid(errors);
  try {
    return await db.transaction(async (tx) => {
      await requireEscalationTeams(tx, policies);
      const current = await currentVersionOrSeed(tx, ctx.at);
      if (input.baseVersion !== undefined && input.baseVersion !== current.version) {
        throw versionConflict(input.baseVersion, current.version);
      }
      const [row] = await tx
        .insert(slaPolicyVersions)
        .values({
          version: current.version + 1,
          policies,
          reason: input.reason,
          createdBy: actor.userId,
          createdByName: actor.name,
          createdAt: ctx.at,
        })
        .returning();
      const created = present(row!);
      await recordAudit(tx, ctx, {
        action: 'sla_policy.update',
        targetType: 'sla_policy',
        targetId: String(created.version),
        before: { version: current.version, keys: current.policies.map((p) => p.key) },
        after: { version: created.version, keys: policies.map((p) => p.key), reason: input.reason },
      });
      return created;
    });
  } catch (err) {
    // Two edits from the same version: the second loses on the primary key.
    if (isUniqueViolation(err)) throw versionConflict(input.baseVersion ?? 0, -1);
    throw err;
  }
}

/** A breach chain that hands tickets to a team must name one that exists: 404 naming the field. */
async function requireEscalationTeams(tx: Executor, policies: StoredPolicy[]) {
  const wanted = policies.flatMap((p, i) => {
    const id = p.escalation?.breach.assignTeamId;
    return id ? [{ id, path: `policies.${i}.escalation.breach.assignTeamId` }] : [];
  });
  if (wanted.length === 0) return;
  const ids = sql.join(
    wanted.map((w) => sql`${w.id}::uuid`),
    sql`, `,
  );
  const found = new Set(
    rowsOf<{ id: string }>(await tx.execute(sql`SELECT id FROM teams WHERE id IN (${ids})`)).map(
      (r) => r.id,
    ),
  );
  const missing = wanted.find((w) => !found.has(w.id));
  if (missing) throw problems.notFound('Team', missing.path);
}

function versionConflict(base: number, current: number) {
  return problems.conflict(
    'policy_version_conflict',
    current > 0
      ? `The policies changed since version ${base}: the current version is ${current}.`
      : 'Another edit of the policies was saved at the same time; reload and try again.',
    [{ path: 'baseVersion', message: 'is not the current version' }],
  );
}

export async function diffVersions(
  ex: Executor,
  from: number,
  to: number | undefined,
): Promise<PolicyDiff & { from: number; to: number }> {
  const a = await getVersion(ex, from);
  if (!a) throw problems.notFound(`Policy version ${from}`, 'from');
  const b = to === undefined ? await currentVersion(ex) : await getVersion(ex, to);
  if (!b) throw problems.notFound(`Policy version ${to}`, 'to');
  return { from: a.version, to: b.version, ...diffPolicies(a.policies, b.policies) };
}
