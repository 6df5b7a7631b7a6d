import { and, desc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { allScopes } from '../../access/permissions.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { apiTokens, users } from '../../db/schema/index.js';
import { randomSecret, sha256 } from '../../lib/crypto.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { findUser } from '../users/service.js';
import type { UserView } from '../users/schemas.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { principalCache } from './principal-cache.js';
import { createSession, endUserSessions, type NewSession } from './sessions.js';

/**
 * The one answer to every failed sign-in — unknown email, wrong password or locked account — so
 * the answer never tells whether an account exists.
 */
const invalidCredentials = () =>
  new HttpProblem({
    status: 401,
    code: 'invalid_credentials',
    detail: 'Wrong email or password. After repeated failures, sign-in is paused for a while.',
  });

/** Not locked at `now` (SQL). */
const unlocked = (now: Date) => or(isNull(users.lockedUntil), lte(users.lockedUntil, now));

/**
 * Signs in with email and password. Repeated failures lock the account for a while (the
 * per-IP rate limit sits in front of this); every attempt is audited. Failures are counted by
 * one atomic UPDATE, so parallel guesses each count; a locked account, an unknown email and a
 * wrong password get the same answer.
 */
export async function signIn(
  db: Db,
  config: Config,
  ctx: AuditContext,
  email: string,
  password: string,
): Promise<{ user: UserView; session: NewSession }> {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  const now = ctx.at;
  const wasLocked = Boolean(row?.lockedUntil && row.lockedUntil > now);
  // Verify even for unknown or locked accounts, so timing tells nothing.
  const ok = await verifyPassword(row?.passwordHash ?? null, password);
  if (!row || !ok || wasLocked) {
    await recordFailure(db, config, ctx, email, row?.id ?? null, wasLocked);
    throw invalidCredentials();
  }
  if (!row.active) {
    throw new HttpProblem({
      status: 403,
      code: 'account_deactivated',
      detail: 'This account has been deactivated.',
    });
  }
  const outcome = await db.transaction(async (tx) => {
    // Only while still unlocked: parallel failures may have locked it since the read above.
    const [opened] = await tx
      .update(users)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: now })
      .where(and(eq(users.id, row.id), unlocked(now)))
      .returning({ id: users.id });
    if (!opened) return null;
    const session = await createSession(tx, row.id, now, config.KEFU_SESSION_TTL_HOURS, ctx);
    const actorCtx = { ...ctx, actorId: row.id, actorName: row.name };
    await recordAudit(tx, actorCtx, {
      action: 'auth.sign_in',
      targetType: 'user',
      targetId: row.id,
    });
    return { user: (await findUser(tx, row.id))!, session };
  });
  if (!outcome) {
    await recordFailure(db, config, ctx, email, row.id, true);
    throw invalidCredentials();
  }
  return outcome;
}

/** Counts a failed sign-in in one UPDATE (no lost counts under parallel guesses) and audits it. */
async function recordFailure(
  db: Db,
  config: Config,
  ctx: AuditContext,
  email: string,
  userId: string | null,
  locked: boolean,
) {
  const now = ctx.at;
  await db.transaction(async (tx) => {
    if (userId && !locked) {
      const reached = sql`${users.failedSignIns} + 1 >= ${config.KEFU_LOGIN_MAX_FAILURES}`;
      const until = new Date(now.getTime() + config.KEFU_LOGIN_LOCK_MINUTES * 60_000);
      const [counted] = await tx
        .update(users)
        .set({
          failedSignIns: sql`CASE WHEN ${reached} THEN 0 ELSE ${users.failedSignIns} + 1 END`,
          lockedUntil: sql`CASE WHEN ${reached} THEN ${until.toISOString()}::timestamptz ELSE ${users.lockedUntil} END`,
        })
        .where(and(eq(users.id, userId), unlocked(now)))
        .returning({ lockedUntil: users.lockedUntil });
      if (counted?.lockedUntil && counted.lockedUntil > now)
        await recordAudit(tx, ctx, { action: 'user.lock', targetType: 'user', targetId: userId });
    }
    await recordAudit(tx, ctx, {
      action: 'auth.sign_in_failed',
      targetType: 'user',
      targetId: userId,
      after: { email, ...(locked && { locked: true }) },
    });
  });
}

export async function updateProfile(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  patch: { name?: string; locale?: 'zh-CN' | 'en-US' },
): Promise<UserView> {
  return db.transaction(async (tx) => {
    const before = await findUser(tx, actor.userId);
    await tx
      .update(users)
      .set({ ...patch, updatedAt: ctx.at })
      .where(eq(users.id, actor.userId));
    const after = (await findUser(tx, actor.userId))!;
    principalCache.forgetUser(actor.userId);
    await recordAudit(tx, ctx, {
      action: 'user.update_profile',
      targetType: 'user',
      targetId: actor.userId,
      before: { name: before?.name, locale: before?.locale },
      after: { name: after.name, locale: after.locale },
    });
    return after;
  });
}

/** Changes the actor's password, ends their other sessions and revokes their API tokens. */
export async function changePassword(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const [row] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) {
    throw problems.invalid([
      { path: 'currentPassword', message: 'is not your current password', code: 'wrong_password' },
    ]);
  }
  const policy = checkPasswordPolicy(newPassword, row.email, 'newPassword');
  if (policy.length) throw problems.invalid(policy);
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: ctx.at })
      .where(eq(users.id, actor.userId));
    await endUserSessions(tx, actor.userId, actor.sessionId);
    // A password change is what a user does when they fear a leak: their API tokens go too.
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.at })
      .where(and(eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, tokenHash: apiTokens.tokenHash });
    for (const token of revoked) principalCache.forget(token.tokenHash);
    await recordAudit(tx, ctx, {
      action: 'user.change_password',
      targetType: 'user',
      targetId: actor.userId,
      ...(revoked.length > 0 && { after: { revokedApiTokens: revoked.map((r) => r.id) } }),
    });
  });
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string;
  lastUsedAt: string | null;
  createdAt: string;
}

const presentToken = (t: typeof apiTokens.$inferSelect): TokenView => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  expiresAt: t.expiresAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});

export async function listTokens(db: Db, userId: string): Promise<TokenView[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), sql`${apiTokens.revokedAt} IS NULL`))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(presentToken);
}

/** Mints an API token; the secret is returned this once and stored only as a hash. */
export async function createToken(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: { name: string; scopes: string[]; expiresInDays: number },
): Promise<{ token: TokenView; secret: string }> {
  const known = allScopes();
  const unknown = input.scopes.filter((s) => !known.includes(s));
  if (unknown.length) {
    throw problems.invalid([
      { path: 'scopes', message: `unknown scope(s): ${unknown.join(', ')}`, code: 'unknown_scope' },
    ]);
  }
  const secret = `kefu_${randomSecret(30)}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.userId,
        name: input.name,
        prefix: secret.slice(0, 12),
        tokenHash: sha256(secret),
        scopes: [...new Set(input.scopes)].sort(),
        expiresAt: new Date(ctx.at.getTime() + input.expiresInDays * 86_400_000),
        createdAt: ctx.at,
      })
      .returning();
    const token = presentToken(row!);
    await recordAudit(tx, ctx, {
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: token.id,
      before: null,
      after: { name: token.name, scopes: token.scopes, expiresAt: token.expiresAt },
    });
    return { token, secret };
  });
}

export async function revokeToken(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.at })
      .where(
        and(
          eq(apiTokens.id, id),
          eq(apiTokens.userId, actor.userId),
          sql`${apiTokens.revokedAt} IS NULL`,
        ),
      )
      .returning({ id: apiTokens.id, tokenHash: apiTokens.tokenHash });
    if (!row) throw problems.notFound('API token', 'id');
    principalCache.forget(row.tokenHash);
    await recordAudit(tx, ctx, {
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: id,
    });
  });
}
