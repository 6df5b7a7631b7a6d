import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allScopes } from '../../access/permissions.js';
import { ROLES } from '../../access/roles.js';
import { dataOf } from '../../lib/http.js';
import { metaPolicy } from './policy.js';

export const VERSION = '0.1.0';

export async function metaRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get('/meta', {
    config: { permission: metaPolicy.read },
    schema: {
      tags: ['meta'],
      summary: 'Roles, API-token scopes and version',
      response: {
        200: dataOf(
          z.object({
            roles: z.array(z.string()),
            scopes: z.array(z.string()),
            version: z.string(),
          }),
        ),
      },
    },
    handler: async () => ({ data: { roles: [...ROLES], scopes: allScopes(), version: VERSION } }),
  });
}
