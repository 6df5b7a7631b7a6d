import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permits, type Permission } from '../access/permissions.js';
import type { ApiRoute } from '../context.js';
import { safeEqual } from '../lib/crypto.js';
import { HttpProblem, problems } from '../lib/problem.js';
import {
  actorFromSession,
  actorFromToken,
  cachedActor,
  SESSION_COOKIE,
} from '../modules/auth/sessions.js';
import { recordReadAudit } from '../modules/audit/group-commit.js';
import type { AuditContext } from '../modules/audit/service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling (session cookie or `Authorization: Bearer` API token) and enforces
 * the route's declared permission before the body is even validated: unauthenticated → 401,
 * wrong role or scope → 403, cookie write without the session's CSRF token → 403.
 */
export function registerAuth(app: FastifyInstance): void {
  const { db, clock, config } = app.deps;

  app.decorateRequest('actor', null);
  app.decorateRequest('auditContext', function (this: FastifyRequest): AuditContext {
    return {
      actorId: this.actor?.userId ?? null,
      actorName: this.actor?.name ?? null,
      ip: this.ip,
      userAgent: this.headers['user-agent']?.slice(0, 500) ?? null,
      requestId: this.id,
      at: clock.now(),
    };
  });
  app.decorateRequest(
    'auditRead',
    async function (
      this: FastifyRequest,
      targetType: string,
      targetId: string | null,
      details?: Record<string, unknown>,
    ) {
      // Committed before the answer; concurrent reads share one commit (group-commit.ts).
      await recordReadAudit(db, this.auditContext(), {
        action: targetId ? `${targetType}.read` : `${targetType}.list`,
        targetType,
        targetId,
        ...(details ? { after: details } : {}),
      });
    },
  );

  // Every /api/v1 route must say who may call it; a forgotten policy stops the server starting.
  app.decorate('apiRoutes', [] as ApiRoute[]);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const cfg = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!cfg?.permission && cfg?.public !== true) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} declares no permission (config.permission or config.public)`,
      );
    }
    for (const method of [route.method].flat()) {
      // HEAD mirrors GET; OPTIONS answers CORS preflights (the chat widget's) — neither is an operation.
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      app.apiRoutes.push({
        method,
        url: route.url,
        permission: cfg.permission,
        public: cfg.public === true,
      });
    }
  });

  // A callback hook: when the principal cache knows the caller (nearly every request) it
  // answers without a promise; only a lookup in the database waits.
  app.addHook('onRequest', (request, _reply, done) => {
    // Only routes that declare a permission look at credentials: static files, health checks
    // and public endpoints cost no session lookup.
    const { permission } = request.routeOptions.config;
    if (!permission) return done();
    const now = clock.now();
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : null;
    const bearer = token !== null;
    const secret = token ?? request.cookies[SESSION_COOKIE];
    const cached = secret ? cachedActor(secret, bearer ? 'token' : 'session', now) : null;
    if (cached || !secret) {
      request.actor = cached;
      return done(refusal(request, permission, bearer));
    }
    const lookup = bearer
      ? actorFromToken(db, secret, now)
      : actorFromSession(db, secret, now, config.KEFU_SESSION_TTL_HOURS);
    lookup.then((actor) => {
      request.actor = actor;
      done(refusal(request, permission, bearer));
    }, done);
  });
}

/** Why the request may not go on, or undefined when it may. */
function refusal(
  request: FastifyRequest,
  permission: Permission,
  bearer: boolean,
): HttpProblem | undefined {
  const actor = request.actor;
  if (!actor) {
    if (bearer)
      return new HttpProblem({
        status: 401,
        code: 'invalid_token',
        detail: 'The API token is unknown, revoked or expired.',
      });
    return secretWasSent(request)
      ? new HttpProblem({
          status: 401,
          code: 'session_expired',
          detail: 'Your session has ended; sign in again.',
        })
      : problems.unauthorized();
  }
  if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
      return new HttpProblem({
        status: 403,
        code: 'csrf_failed',
        detail: 'Missing or wrong x-csrf-token header.',
      });
    }
  }
  if (!permits(actor, permission)) {
    return actor.via === 'token' && !actor.scopes?.includes(permission.scope)
      ? new HttpProblem({
          status: 403,
          code: 'insufficient_scope',
          detail: `This API token lacks the scope ${permission.scope}.`,
        })
      : problems.forbidden();
  }
  return undefined;
}

function secretWasSent(request: FastifyRequest): boolean {
  return Boolean(request.cookies[SESSION_COOKIE]);
}
