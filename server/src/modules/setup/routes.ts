import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf } from '../../lib/http.js';
import { setSessionCookie } from '../auth/routes.js';
import { emailSchema, localeSchema, userSchema } from '../users/schemas.js';
import { needsSetup, setUpFirstAdmin } from './service.js';

export async function setupRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['setup'];

  r.get('/setup', {
    config: {
      public: true,
      rateLimit: { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' },
    },
    schema: {
      tags,
      summary: 'Whether first-run setup is needed',
      response: { 200: dataOf(z.object({ needsSetup: z.boolean() })) },
    },
    handler: async () => ({ data: { needsSetup: await needsSetup(db) } }),
  });

  r.post('/setup', {
    config: {
      public: true,
      rateLimit: { max: config.KEFU_LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' },
    },
    schema: {
      tags,
      summary: 'Create the first administrator (only on an empty workspace)',
      body: z.strictObject({
        name: z.string().trim().min(1).max(100),
        email: emailSchema,
        password: z.string().max(200),
        locale: localeSchema.default('zh-CN'),
      }),
      response: { 201: dataOf(z.object({ user: userSchema, csrfToken: z.string() })) },
    },
    handler: async (req, reply) => {
      const { user, session } = await setUpFirstAdmin(db, config, req.auditContext(), req.body);
      setSessionCookie(reply, session, config.KEFU_SECURE_COOKIES);
      return reply.code(201).send({ data: { user, csrfToken: session.csrfToken } });
    },
  });
}
