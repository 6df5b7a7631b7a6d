import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { isRole } from '../../access/roles.js';
import type { Db, Executor } from '../../db/client.js';
import { apiTokens, sessions, users } from '../../db/schema/index.js';
import { randomSecret, sha256 } from '../../lib/crypto.js';
import { publishNotifications } from '../notifications/bus.js';
import { principalCache } from './principal-cache.js';

export const SESSION_COOKIE = 'kefu_session';
/** Sliding expiry is refreshed at most this often, to keep reads free of writes. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

export interface NewSession {
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  ex: Executor,
  userId: string,
  now: Date,
  ttlHours: number,
  meta: { ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const secret = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await ex.insert(sessions).values({
    id: sha256(secret),
    userId,
    csrfToken,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { secret, csrfToken, expiresAt };
}

export async function endSession(ex: Executor, sessionId: string): Promise<void> {
  const ended = await ex
    .delete(sessions)
    .where(eq(sessions.id, sessionId))
    .returning({ userId: sessions.userId });
  principalCache.forget(sessionId);
  // Wake the user's open notification streams: each rechecks its session and ends.
  await publishNotifications(
    ex,
    ended.map((s) => s.userId),
  );
}

/** Ends every session of a user (deactivation, password change), optionally sparing one. */
export async function endUserSessions(
  ex: Executor,
  userId: string,
  except?: string,
): Promise<void> {
  await ex
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), except ? ne(sessions.id, except) : undefined));
  principalCache.forgetUser(userId);
  await publishNotifications(ex, [userId]);
}

/**
 * Whether the session or API token behind `actor` still stands right now (read from the
 * database, not the cache): long-lived answers such as the notification stream ask this
 * before they send anything more.
 */
export async function principalStillValid(db: Db, actor: Actor, now: Date): Promise<boolean> {
  if (actor.via === 'session') {
    if (!actor.sessionId) return false;
    const [row] = await db
      .select({ id: sessions.id })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(eq(sessions.id, actor.sessionId), gt(sessions.expiresAt, now), eq(users.active, true)),
      );
    return Boolean(row);
  }
  const [row] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, actor.principalKey),
        sql`${apiTokens.revokedAt} IS NULL`,
        gt(apiTokens.expiresAt, now),
        eq(users.active, true),
      ),
    );
  return Boolean(row);
}

const actorColumns = {
  userId: users.id,
  name: users.name,
  email: users.email,
  roles: users.roles,
  teamIds: sql<string[]>`array(select team_id::text from team_members where user_id = ${users.id})`,
};

function toActor(row: {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  teamIds: string[];
}) {
  return {
    userId: row.userId,
    name: row.name,
    email: row.email,
    roles: row.roles.filter(isRole),
    teamIds: row.teamIds,
  };
}

/**
 * The actor the principal cache holds for this session secret or API token, if any — no
 * database, no promise. `via` keeps the two apart: a session secret sent as a bearer token
 * is not a session.
 */
export function cachedActor(secret: string, via: Actor['via'], now: Date): Actor | null {
  return cachedByKey(sha256(secret), via, now);
}

function cachedByKey(key: string, via: Actor['via'], now: Date): Actor | null {
  const actor = principalCache.get(key, now)?.actor;
  return actor?.via === via ? actor : null;
}

/** The actor behind a session cookie, or null when unknown, expired or deactivated. */
export async function actorFromSession(
  db: Db,
  secret: string,
  now: Date,
  ttlHours: number,
): Promise<Actor | null> {
  const id = sha256(secret);
  const cached = cachedByKey(id, 'session', now);
  if (cached) return cached;
  const [row] = await db
    .select({
      ...actorColumns,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now), eq(users.active, true)));
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + ttlHours * 3_600_000) })
      .where(eq(sessions.id, id));
  }
  const actor: Actor = {
    ...toActor(row),
    via: 'session',
    sessionId: id,
    principalKey: id,
    csrfToken: row.csrfToken,
  };
  principalCache.set(id, actor, row.expiresAt);
  return actor;
}

/** The actor behind an API token, or null when unknown, revoked, expired or deactivated. */
export async function actorFromToken(db: Db, secret: string, now: Date): Promise<Actor | null> {
  const key = sha256(secret);
  const cached = cachedByKey(key, 'token', now);
  if (cached) return cached;
  const [row] = await db
    .select({
      ...actorColumns,
      tokenId: apiTokens.id,
      scopes: apiTokens.scopes,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, key),
        sql`${apiTokens.revokedAt} IS NULL`,
        gt(apiTokens.expiresAt, now),
        eq(users.active, true),
      ),
    );
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  const actor: Actor = { ...toActor(row), via: 'token', scopes: row.scopes, principalKey: key };
  principalCache.set(key, actor, row.expiresAt);
  return actor;
}

export async function purgeExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
