import { and, eq, gt, ne } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Executor } from '../../db/client.js';
import { portalAccounts, portalSessions } from '../../db/schema/index.js';
import { randomSecret, safeEqual, sha256 } from '../../lib/crypto.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';

/** The portal's own cookie: a customer session is never a staff session, and vice versa. */
export const PORTAL_COOKIE = 'kefu_portal';
const TOUCH_INTERVAL_MS = 5 * 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type SignInMethod = 'code' | 'password';

/** The signed-in customer behind a portal request. */
export interface PortalPrincipal {
  sessionId: string;
  accountId: string;
  email: string;
  customerId: string;
  locale: 'zh-CN' | 'en-US';
  hasPassword: boolean;
  method: SignInMethod;
  csrfToken: string;
}

export interface NewPortalSession {
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createPortalSession(
  tx: Executor,
  accountId: string,
  method: SignInMethod,
  ctx: AuditContext,
  ttlHours: number,
): Promise<NewPortalSession> {
  const secret = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(ctx.at.getTime() + ttlHours * 3_600_000);
  await tx.insert(portalSessions).values({
    id: sha256(secret),
    accountId,
    csrfToken,
    method,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    createdAt: ctx.at,
    lastSeenAt: ctx.at,
    expiresAt,
  });
  return { secret, csrfToken, expiresAt };
}

export async function endPortalSession(ex: Executor, sessionId: string) {
  await ex.delete(portalSessions).where(eq(portalSessions.id, sessionId));
}

/** Ends an account's other sessions (a password was set or changed). */
export async function endOtherPortalSessions(ex: Executor, accountId: string, keep: string) {
  await ex
    .delete(portalSessions)
    .where(and(eq(portalSessions.accountId, accountId), ne(portalSessions.id, keep)));
}

export async function principalFromCookie(
  db: Db,
  secret: string,
  now: Date,
  ttlHours: number,
): Promise<PortalPrincipal | null> {
  const id = sha256(secret);
  const [row] = await db
    .select({ s: portalSessions, a: portalAccounts })
    .from(portalSessions)
    .innerJoin(portalAccounts, eq(portalAccounts.id, portalSessions.accountId))
    .where(and(eq(portalSessions.id, id), gt(portalSessions.expiresAt, now)));
  if (!row) return null;
  if (now.getTime() - row.s.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(portalSessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + ttlHours * 3_600_000) })
      .where(eq(portalSessions.id, id));
  }
  return {
    sessionId: id,
    accountId: row.a.id,
    email: row.a.email,
    customerId: row.a.customerId,
    locale: row.a.locale === 'en-US' ? 'en-US' : 'zh-CN',
    hasPassword: row.a.passwordHash !== null,
    method: row.s.method === 'password' ? 'password' : 'code',
    csrfToken: row.s.csrfToken,
  };
}

export function setPortalCookie(reply: FastifyReply, s: NewPortalSession, secure: boolean) {
  reply.setCookie(PORTAL_COOKIE, s.secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: s.expiresAt,
  });
}

export const clearPortalCookie = (reply: FastifyReply) =>
  reply.clearCookie(PORTAL_COOKIE, { path: '/' });

/**
 * The signed-in customer, or 401; cookie writes must carry the session's x-csrf-token (403),
 * exactly like the staff API.
 */
export async function requirePortal(
  req: FastifyRequest,
  db: Db,
  now: Date,
  ttlHours: number,
): Promise<PortalPrincipal> {
  const secret = req.cookies[PORTAL_COOKIE];
  const principal = secret ? await principalFromCookie(db, secret, now, ttlHours) : null;
  if (!principal)
    throw secret
      ? new HttpProblem({
          status: 401,
          code: 'session_expired',
          detail: 'Your session has ended; sign in again.',
        })
      : problems.unauthorized();
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken))
      throw new HttpProblem({
        status: 403,
        code: 'csrf_failed',
        detail: 'Missing or wrong x-csrf-token header.',
      });
  }
  return principal;
}

/** Audit rows written for a customer name the portal account (no personal data). */
export const customerContext = (ctx: AuditContext, p: { accountId: string }): AuditContext => ({
  ...ctx,
  actorName: `customer:${p.accountId}`,
});
