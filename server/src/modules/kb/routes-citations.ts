import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf } from '../../lib/http.js';
import { ticketsPolicy } from '../tickets/policy.js';
import { articleCitations, citeArticle, listTicketCitations } from './citations.js';
import { kbPolicy } from './policy.js';
import { idParams } from './schemas.js';

const modeSchema = z.enum(['link', 'excerpt']);
const person = z.object({ id: z.uuid(), name: z.string() });

export const citeBody = z.strictObject({
  articleId: z.uuid(),
  mode: modeSchema.default('link').describe('link: a link to the article; excerpt: its text'),
});

export const citationSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    articleId: z.uuid(),
    articleTitle: z.string().describe('Title of the cited version'),
    versionId: z.uuid(),
    versionNumber: z.number().int(),
    current: z.boolean().describe('The cited version is still the live one'),
    mode: modeSchema,
    citedBy: person,
    at: z.iso.datetime(),
  })
  .meta({ id: 'TicketArticleCitation' });

export const articleCitationsSchema = z
  .object({
    ticketCount: z.number().int(),
    citationCount: z.number().int(),
    recent: z.array(
      z.object({
        ticketId: z.uuid(),
        ticketNumber: z.string(),
        subject: z.string(),
        status: z.string(),
        versionNumber: z.number().int(),
        mode: modeSchema,
        citedBy: person,
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'KbArticleCitations' });

/** Tickets citing the manual: which article version a reply relied on (SPEC 5). */
export async function citationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  r.post('/tickets/:id/citations', {
    // Citing happens while replying: whoever may reply to the ticket.
    config: { permission: ticketsPolicy.reply },
    schema: {
      tags: ['tickets', 'kb'],
      summary: 'Record that the ticket cites the live version of an article',
      params: idParams,
      body: citeBody,
      response: { 201: dataOf(citationSchema) },
    },
    handler: async (req, reply) => {
      const data = await citeArticle(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      );
      return reply.status(201).send({ data });
    },
  });

  r.get('/tickets/:id/citations', {
    config: { permission: ticketsPolicy.read },
    schema: {
      tags: ['tickets', 'kb'],
      summary: 'Articles (and their versions) the ticket cited, oldest first',
      params: idParams,
      response: { 200: dataOf(z.array(citationSchema)) },
    },
    handler: async (req) => ({
      data: await listTicketCitations(db, requireActor(req.actor), req.params.id),
    }),
  });

  r.get('/kb/articles/:id/citations', {
    config: { permission: kbPolicy.read },
    schema: {
      tags: ['kb'],
      summary: 'Tickets citing an article: counts and the most recent citations',
      params: idParams,
      response: { 200: dataOf(articleCitationsSchema) },
    },
    handler: async (req) => ({
      data: await articleCitations(db, requireActor(req.actor), req.params.id),
    }),
  });
}
