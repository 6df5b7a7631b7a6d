import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Role } from '../../access/roles.js';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { teamMembers, teams, users } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.js';
import { principalCache } from '../auth/principal-cache.js';
import { endUserSessions } from '../auth/sessions.js';
import { assertTeamsExist } from '../teams/service.js';
import type { UserView } from './schemas.js';

type UserRow = typeof users.$inferSelect;

export function presentUser(row: UserRow, userTeams: { id: string; name: string }[]): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles as Role[],
    teams: userTeams,
    locale: row.locale as UserView['locale'],
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  };
}

/** Teams of many users in one query (no N+1). */
async function teamsOf(ex: Executor, userIds: string[]) {
  const byUser = new Map<string, { id: string; name: string }[]>();
  if (userIds.length === 0) return byUser;
  const rows = await ex
    .select({ userId: teamMembers.userId, id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(inArray(teamMembers.userId, userIds))
    .orderBy(asc(teams.name));
  for (const r of rows)
    byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), { id: r.id, name: r.name }]);
  return byUser;
}

export async function presentUsers(ex: Executor, rows: UserRow[]): Promise<UserView[]> {
  const map = await teamsOf(
    ex,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentUser(r, map.get(r.id) ?? []));
}

export async function findUser(ex: Executor, id: string): Promise<UserView | null> {
  const [row] = await ex.select().from(users).where(eq(users.id, id));
  return row ? ((await presentUsers(ex, [row]))[0] ?? null) : null;
}

export interface UserFilter {
  q?: string;
  role?: Role;
  active?: boolean;
}

export async function listUsers(db: Db, f: UserFilter, limit: number, after?: CursorKey) {
  const like = f.q ? `%${f.q.replace(/[%_\\]/g, '\\$&')}%` : undefined;
  const where: (SQL | undefined)[] = [
    like ? or(ilike(users.name, like), ilike(users.email, like)) : undefined,
    f.role ? sql`${f.role} = ANY(${users.roles})` : undefined,
    f.active === undefined ? undefined : eq(users.active, f.active),
    after
      ? or(
          gt(users.createdAt, new Date(after.at)),
          and(eq(users.createdAt, new Date(after.at)), gt(users.id, after.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(limit + 1);
  return { rows, views: await presentUsers(db, rows.slice(0, limit)) };
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  roles: Role[];
  teamIds: string[];
  locale: 'zh-CN' | 'en-US';
}

/** Creates a user inside `tx`, with team memberships and an audit row. */
export async function insertUser(
  tx: Executor,
  ctx: AuditContext,
  input: CreateUserInput,
): Promise<UserView> {
  const policy = checkPasswordPolicy(input.password, input.email);
  if (policy.length) throw problems.invalid(policy);
  await assertTeamsExist(tx, input.teamIds);
  const passwordHash = await hashPassword(input.password);
  let row: UserRow | undefined;
  try {
    [row] = await tx
      .insert(users)
      .values({
        email: input.email,
        name: input.name,
        passwordHash,
        roles: [...new Set(input.roles)],
        locale: input.locale,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw problems.conflict('email_taken', 'A user with this email already exists.', [
        { path: 'email', message: 'already in use', code: 'taken' },
      ]);
    }
    throw err;
  }
  if (!row) throw new Error('insert returned no row');
  const teamIds = [...new Set(input.teamIds)];
  if (teamIds.length)
    await tx.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId: row.id })));
  const view = (await presentUsers(tx, [row]))[0]!;
  await recordAudit(tx, ctx, {
    action: 'user.create',
    targetType: 'user',
    targetId: row.id,
    before: null,
    after: auditSnapshot(view),
  });
  return view;
}

export function createUser(db: Db, ctx: AuditContext, input: CreateUserInput): Promise<UserView> {
  return db.transaction((tx) => insertUser(tx, ctx, input));
}

export interface UpdateUserInput {
  name?: string;
  roles?: Role[];
  teamIds?: string[];
  locale?: 'zh-CN' | 'en-US';
  active?: boolean;
}

const auditSnapshot = (u: UserView) => ({
  email: u.email,
  name: u.name,
  roles: u.roles,
  teamIds: u.teams.map((t) => t.id),
  locale: u.locale,
  active: u.active,
});

/**
 * Updates a user. Deactivation ends the user's sessions at once. An administrator cannot
 * deactivate or demote themselves, so a workspace always keeps someone able to administer it.
 */
export async function updateUser(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  patch: UpdateUserInput,
): Promise<UserView> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!current) throw problems.notFound('User', 'id');
    if (
      id === actor.userId &&
      (patch.active === false ||
        (patch.roles && !patch.roles.includes('admin') && current.roles.includes('admin')))
    ) {
      throw new HttpProblem({
        status: 409,
        code: 'cannot_lock_out_self',
        detail: 'You cannot deactivate yourself or remove your own administrator role.',
        errors: [
          {
            path: patch.active === false ? 'active' : 'roles',
            message: 'not allowed on your own account',
            code: 'not_allowed_on_self',
          },
        ],
      });
    }
    const before = (await presentUsers(tx, [current]))[0]!;
    if (patch.teamIds) await assertTeamsExist(tx, patch.teamIds);
    const [row] = await tx
      .update(users)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.roles && { roles: [...new Set(patch.roles)] }),
        ...(patch.locale && { locale: patch.locale }),
        ...(patch.active !== undefined && { active: patch.active }),
        updatedAt: ctx.at,
      })
      .where(eq(users.id, id))
      .returning();
    if (patch.teamIds) {
      await tx.delete(teamMembers).where(eq(teamMembers.userId, id));
      const teamIds = [...new Set(patch.teamIds)];
      if (teamIds.length)
        await tx.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId: id })));
    }
    if (patch.active === false) await endUserSessions(tx, id);
    principalCache.forgetUser(id);
    const after = (await presentUsers(tx, [row!]))[0]!;
    const action =
      patch.active === false && before.active
        ? 'user.deactivate'
        : patch.active === true && !before.active
          ? 'user.reactivate'
          : 'user.update';
    await recordAudit(tx, ctx, {
      action,
      targetType: 'user',
      targetId: id,
      before: auditSnapshot(before),
      after: auditSnapshot(after),
    });
    return after;
  });
}
