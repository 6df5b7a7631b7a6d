import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { answerFeedback, createFeedback, feedbackToRevision, listFeedback } from './feedback.js';
import { livePhrases, phraseCheck } from './phrase-check.js';
import { kbPolicy } from './policy.js';
import { idParams, revisionRequestBody } from './schemas.js';
import {
  answerBody,
  feedbackBody,
  feedbackSchema,
  listFeedbackQuery,
  phraseCheckBody,
  phraseCheckSchema,
  searchHitSchema,
  searchQuery,
} from './schemas-search.js';
import { searchArticles, suggestArticles } from './search/service.js';

const phraseList = z.object({
  forbidden: z.array(
    z.object({
      phrase: z.string(),
      suggestion: z.string().optional(),
      articleId: z.string().optional(),
      articleTitle: z.string(),
    }),
  ),
  required: z.array(
    z.object({ phrase: z.string(), articleId: z.string().optional(), articleTitle: z.string() }),
  ),
});

export async function searchRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['kb'];

  r.get('/kb/search', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Search live articles (all audiences, internal included)',
      querystring: searchQuery,
      response: { 200: dataOf(z.array(searchHitSchema)) },
    },
    handler: async (req) => ({ data: await searchArticles(db, req.query) }),
  });

  r.get('/kb/suggestions', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Articles that may answer a ticket, from its subject and description',
      querystring: z.object({
        text: z.string().trim().min(1).max(5000),
        limit: z.coerce.number().int().min(1).max(20).default(5),
      }),
      response: { 200: dataOf(z.array(searchHitSchema)) },
    },
    handler: async (req) => ({ data: await suggestArticles(db, req.query.text, req.query.limit) }),
  });

  r.get('/kb/phrases', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Forbidden and required phrases of every live script',
      response: { 200: dataOf(phraseList) },
    },
    handler: async () => ({ data: await livePhrases(db) }),
  });

  r.post('/kb/phrase-check', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Forbidden phrases (禁用语) in a reply, with positions; required phrases missing',
      body: phraseCheckBody,
      response: { 200: dataOf(phraseCheckSchema) },
    },
    handler: async (req) => ({ data: await phraseCheck(db, req.body.text) }),
  });

  r.post('/kb/articles/:id/feedback', {
    config: { permission: kbPolicy.feedback },
    schema: {
      tags,
      summary: 'Rate a live article as an agent (helpful?, comment, classification)',
      params: idParams,
      body: feedbackBody,
      response: { 201: dataOf(feedbackSchema) },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const data = await createFeedback(db, req.auditContext(), req.params.id, req.body, {
        source: 'agent',
        userId: actor.userId,
      });
      return reply.code(201).send({ data });
    },
  });

  r.get('/kb/feedback', {
    config: { permission: kbPolicy.feedbackQueue },
    schema: {
      tags,
      summary: "Editors' feedback queue, oldest first, with reply deadlines",
      querystring: listFeedbackQuery,
      response: { 200: pageOf(feedbackSchema) },
    },
    handler: async (req) => {
      const { limit, cursor, overdue, ...f } = req.query;
      const filter = { ...f, overdue: overdue === 'true' };
      const { rows, views } = await listFeedback(
        db,
        filter,
        limit,
        decodeCursor(cursor),
        clock.now(),
      );
      const page = toPage(rows, limit, (x) => ({ at: x.createdAt.toISOString(), id: x.id }));
      return { data: views, nextCursor: page.nextCursor };
    },
  });

  r.post('/kb/feedback/:id/answer', {
    config: { permission: kbPolicy.feedbackQueue },
    schema: {
      tags,
      summary: 'Answer feedback',
      params: idParams,
      body: answerBody,
      response: { 200: dataOf(feedbackSchema) },
    },
    handler: async (req) => ({
      data: await answerFeedback(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.answer,
      ),
    }),
  });

  r.post('/kb/feedback/:id/revision-request', {
    config: { permission: kbPolicy.feedbackQueue },
    schema: {
      tags,
      summary: 'Turn feedback into a revision request (a new draft version)',
      params: idParams,
      body: revisionRequestBody,
      response: { 200: dataOf(feedbackSchema) },
    },
    handler: async (req) => ({
      data: await feedbackToRevision(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });
}
