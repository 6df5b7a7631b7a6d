import type { FastifyInstance } from 'fastify';
import { migrationsApplied } from '../../db/migrate.js';

/** Liveness and readiness for process managers and load balancers (outside /api/v1). */
export async function opsRoutes(app: FastifyInstance) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      const migrated = await migrationsApplied(app.deps.database);
      if (!migrated) return reply.code(503).send({ status: 'migrations pending' });
      return { status: 'ready', engine: app.deps.database.engine };
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
}
