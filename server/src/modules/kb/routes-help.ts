import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf } from '../../lib/http.js';
import { createFeedback } from './feedback.js';
import { helpArticle, helpArticles, helpCategories, PUBLIC_AUDIENCES } from './help.js';
import { idParams, languageSchema } from './schemas.js';
import {
  feedbackBody,
  helpArticleSchema,
  helpCategorySchema,
  helpListItemSchema,
} from './schemas-search.js';

/**
 * The public help centre: no sign-in, rate-limited per IP, and only articles published for all
 * customers — internal articles are never listed, searched, read or rated here.
 */
export async function helpRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['help centre'];
  const rateLimit = { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' };

  r.get('/help/categories', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Categories with public articles',
      querystring: z.object({ language: languageSchema.optional() }),
      response: { 200: dataOf(z.array(helpCategorySchema)) },
    },
    handler: async (req) => ({
      data: await helpCategories(db, PUBLIC_AUDIENCES, req.query.language),
    }),
  });

  r.get('/help/articles', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Browse a category or search public articles',
      querystring: z.object({
        q: z.string().trim().max(200).optional(),
        categoryId: z.uuid().optional(),
        language: languageSchema.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      response: { 200: dataOf(z.array(helpListItemSchema)) },
    },
    handler: async (req) => ({ data: await helpArticles(db, PUBLIC_AUDIENCES, req.query) }),
  });

  r.get('/help/articles/:id', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Read a public article',
      params: idParams,
      response: { 200: dataOf(helpArticleSchema) },
    },
    handler: async (req) => ({ data: await helpArticle(db, PUBLIC_AUDIENCES, req.params.id) }),
  });

  r.post('/help/articles/:id/feedback', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Was this article helpful? (customer feedback)',
      params: idParams,
      body: feedbackBody,
      response: { 201: z.object({ data: z.object({ id: z.uuid(), dueAt: z.iso.datetime() }) }) },
    },
    handler: async (req, reply) => {
      const fb = await createFeedback(db, req.auditContext(), req.params.id, req.body, {
        source: 'customer',
        audiences: PUBLIC_AUDIENCES,
      });
      return reply.code(201).send({ data: { id: fb.id, dueAt: fb.dueAt } });
    },
  });
}
