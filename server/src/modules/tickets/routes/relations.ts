import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf } from '../../../lib/http.js';
import { expectedVersion, withEtag } from './versioning.js';
import { bulkTickets } from '../bulk.js';
import { ticketsPolicy } from '../policy.js';
import { linkTickets, listLinks, mergeTicket } from '../relations.js';
import {
  bulkBody,
  linkBody,
  mergeBody,
  statusSchema,
  ticketParams,
  ticketSchema,
} from '../schemas.js';

const linkedTicketSchema = ticketSchema
  .extend({
    link: z.object({
      kind: z.enum(['related', 'merged', 'split_from', 'split_into']),
      createdAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'LinkedTicket' });

const bulkResultSchema = z
  .object({
    id: z.uuid(),
    ok: z.boolean(),
    status: statusSchema.optional(),
    version: z.number().int().optional(),
    error: z
      .object({
        type: z.string(),
        title: z.string(),
        status: z.number().int(),
        code: z.string(),
        detail: z.string(),
        errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
        allowed: z.unknown().optional(),
      })
      .optional()
      .describe('The problem document of a refused ticket'),
  })
  .meta({ id: 'BulkResult' });

export async function ticketRelationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['tickets'];

  r.post('/tickets/:id/merge', {
    config: { permission: ticketsPolicy.merge },
    schema: {
      tags,
      summary: 'Merge this duplicate into another ticket (closed as merged; timeline kept; linked)',
      params: ticketParams,
      body: mergeBody,
      response: { 200: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const view = await mergeTicket(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.intoId,
        expectedVersion(req, req.body.version),
      );
      return withEtag(reply, view);
    },
  });

  r.get('/tickets/:id/links', {
    config: { permission: ticketsPolicy.read },
    schema: {
      tags,
      summary: 'Related and merged tickets',
      params: ticketParams,
      response: { 200: z.object({ data: z.array(linkedTicketSchema) }) },
    },
    handler: async (req) => ({
      data: await listLinks(db, requireActor(req.actor), req.params.id, clock.now()),
    }),
  });

  r.post('/tickets/:id/links', {
    config: { permission: ticketsPolicy.link },
    schema: {
      tags,
      summary: 'Link a related ticket',
      params: ticketParams,
      body: linkBody,
      response: { 201: dataOf(linkedTicketSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await linkTickets(
          db,
          req.auditContext(),
          requireActor(req.actor),
          req.params.id,
          req.body.otherId,
        ),
      }),
  });

  r.post('/tickets/bulk', {
    config: { permission: ticketsPolicy.bulk },
    schema: {
      tags,
      summary: 'Assign or move many tickets; one result per ticket',
      body: bulkBody,
      response: { 200: z.object({ data: z.array(bulkResultSchema) }) },
    },
    handler: async (req) => ({
      data: await bulkTickets(db, req.auditContext(), requireActor(req.actor), req.body, (err) =>
        req.log.error({ err }, 'bulk ticket action failed'),
      ),
    }),
  });
}
