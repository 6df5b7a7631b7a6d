import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { teamMembers, teams } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { principalCache } from '../auth/principal-cache.js';

export interface TeamView {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  createdAt: string;
}

/** 404 naming the field when any id is not a team. */
export async function assertTeamsExist(ex: Executor, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const found = await ex.select({ id: teams.id }).from(teams).where(inArray(teams.id, unique));
  if (found.length !== unique.length) {
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    throw problems.notFound(`Team ${missing.join(', ')}`, 'teamIds');
  }
}

const memberCount = sql<number>`(select count(*)::int from ${teamMembers} where ${teamMembers.teamId} = ${teams.id})`;

const teamView = {
  id: teams.id,
  name: teams.name,
  description: teams.description,
  memberCount,
  createdAt: teams.createdAt,
};

const present = (r: {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  createdAt: Date;
}): TeamView => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
});

export async function listTeams(db: Db, limit: number, after?: CursorKey) {
  const rows = await db
    .select(teamView)
    .from(teams)
    .where(
      after
        ? or(
            gt(teams.createdAt, new Date(after.at)),
            and(eq(teams.createdAt, new Date(after.at)), gt(teams.id, after.id)),
          )
        : undefined,
    )
    .orderBy(asc(teams.createdAt), asc(teams.id))
    .limit(limit + 1);
  return rows.map(present);
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw problems.conflict('team_name_taken', 'A team with this name already exists.', [
      { path: 'name', message: 'already in use', code: 'taken' },
    ]);
  }
  throw err;
}

export async function insertTeam(
  tx: Executor,
  ctx: AuditContext,
  input: { name: string; description: string },
) {
  const [row] = await tx
    .insert(teams)
    .values({ ...input, createdAt: ctx.at, updatedAt: ctx.at })
    .returning()
    .catch(nameTaken);
  await recordAudit(tx, ctx, {
    action: 'team.create',
    targetType: 'team',
    targetId: row!.id,
    before: null,
    after: input,
  });
  return present({ ...row!, memberCount: 0 });
}

export function createTeam(
  db: Db,
  ctx: AuditContext,
  input: { name: string; description: string },
) {
  return db.transaction((tx) => insertTeam(tx, ctx, input));
}

export function updateTeam(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: { name?: string; description?: string },
) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(teams).where(eq(teams.id, id)).for('update');
    if (!before) throw problems.notFound('Team', 'id');
    await tx
      .update(teams)
      .set({ ...patch, updatedAt: ctx.at })
      .where(eq(teams.id, id))
      .catch(nameTaken);
    const [after] = await tx.select(teamView).from(teams).where(eq(teams.id, id));
    principalCache.clear(); // presented users carry team names
    await recordAudit(tx, ctx, {
      action: 'team.update',
      targetType: 'team',
      targetId: id,
      before: { name: before.name, description: before.description },
      after: { name: after!.name, description: after!.description },
    });
    return present(after!);
  });
}
