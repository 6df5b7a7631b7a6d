import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { idempotencyKeys } from '../db/schema/index.js';
import { sha256 } from '../lib/crypto.js';
import { HttpProblem } from '../lib/problem.js';

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
 * is still running is refused (409). Server errors release the key so the client may retry.
 */
export function registerIdempotency(app: FastifyInstance): void {
  const { db, clock } = app.deps;

  app.addHook('preHandler', async (request, reply) => {
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
    const owner = request.actor?.userId ?? `ip:${request.ip}`;
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
    const [prior] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
    if (!prior) return; // released between our insert and select: proceed without a claim
    if (prior.requestHash !== requestHash) {
      throw new HttpProblem({
        status: 422,
        code: 'idempotency_key_reused',
        detail: 'This Idempotency-Key was used for a different request.',
      });
    }
    if (prior.statusCode === null) {
      throw new HttpProblem({
        status: 409,
        code: 'idempotency_in_progress',
        detail: 'A request with this Idempotency-Key is still being processed.',
      });
    }
    return reply
      .code(prior.statusCode)
      .header('idempotent-replayed', 'true')
      .type(prior.contentType ?? 'application/json')
      .send(prior.responseBody ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
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
  });
}
