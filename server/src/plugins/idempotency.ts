import { and, eq, gt } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { idempotencyKeys, portalSessions } from '../db/schema/index.js';
import { sha256 } from '../lib/crypto.js';
import { HttpProblem } from '../lib/problem.js';
import { PORTAL_COOKIE } from '../modules/portal/session.js';

const HEADER = 'idempotency-key';

interface Claim {
  owner: string;
  key: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

/**
 * `Idempotency-Key` for POSTs: the first request claims the key (a row with no answer yet), its
 * answer is stored, and a retry with the same key and body gets that answer again — never a
 * second creation. The same key with a different body is refused (422); a retry while the first
 * is still running waits for the first's answer (409 only if it never comes). Server errors
 * release the key so the client may retry.
 */
export function registerIdempotency(app: FastifyInstance): void {
  const { db, clock } = app.deps;

  const claimKey = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || typeof key !== 'string') return;
    if (key.length < 8 || key.length > 200) {
      throw new HttpProblem({
        status: 400,
        code: 'invalid_idempotency_key',
        detail: 'Idempotency-Key must be 8 to 200 characters.',
        errors: [{ path: 'Idempotency-Key', message: 'must be 8 to 200 characters' }],
      });
    }
    const owner = await ownerOf(request);
    const path = request.url;
    const requestHash = sha256(`${request.method} ${path} ${JSON.stringify(request.body ?? null)}`);
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ owner, key, method: request.method, path, requestHash, createdAt: clock.now() })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      claims.set(request, { owner, key });
      return;
    }
    const prior = await settledPrior(owner, key, requestHash);
    if (!prior) {
      throw new HttpProblem({
        status: 409,
        code: 'idempotency_in_progress',
        detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
      });
    }
    if (prior.requestHash !== requestHash) {
      throw new HttpProblem({
        status: 422,
        code: 'idempotency_key_reused',
        detail: 'This Idempotency-Key was used for a different request.',
      });
    }
    return reply
      .code(prior.statusCode ?? 200)
      .header('idempotent-replayed', 'true')
      .type(prior.contentType ?? 'application/json')
      .send(prior.responseBody ?? '');
  };

  /**
   * Whose key it is: a staff user, a signed-in customer (by portal account, never by address —
   * two customers behind one NAT must not get each other's answers), else the address.
   */
  async function ownerOf(request: FastifyRequest): Promise<string> {
    if (request.actor) return request.actor.userId;
    const portal = request.cookies[PORTAL_COOKIE];
    if (portal) {
      const [session] = await db
        .select({ accountId: portalSessions.accountId })
        .from(portalSessions)
        .where(
          and(eq(portalSessions.id, sha256(portal)), gt(portalSessions.expiresAt, clock.now())),
        );
      // An unknown or ended portal session: its own scope, so it shares nothing with anyone.
      return session ? `portal:${session.accountId}` : `portal-session:${sha256(portal)}`;
    }
    return `ip:${request.ip}`;
  }

  /**
   * The first request's stored answer. A double-click sends the retry while the first is still
   * running: wait for it (up to ~10 s) so both get the same answer. Undefined if it never settles.
   */
  async function settledPrior(owner: string, key: string, requestHash: string) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [prior] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
      if (!prior) return undefined; // released after a server error: the client may retry
      // A different request under the same key is refused at once, without waiting.
      if (prior.statusCode !== null || prior.requestHash !== requestHash) return prior;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  }

  const storeAnswer = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    const where = and(eq(idempotencyKeys.owner, claim.owner), eq(idempotencyKeys.key, claim.key));
    if (reply.statusCode >= 500) {
      await db.delete(idempotencyKeys).where(where);
    } else {
      await db
        .update(idempotencyKeys)
        .set({
          statusCode: reply.statusCode,
          responseBody: typeof payload === 'string' ? payload : '',
          contentType: String(reply.getHeader('content-type') ?? 'application/json'),
        })
        .where(where);
    }
    return payload;
  };

  // Only POST routes carry the hooks: every other request skips two async hooks (bench/me).
  // Route hooks run after the application's, as these did: the actor is known by then.
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('POST')) return;
    route.preHandler = [claimKey, ...[route.preHandler ?? []].flat()];
    route.onSend = [storeAnswer, ...[route.onSend ?? []].flat()];
  });
}
