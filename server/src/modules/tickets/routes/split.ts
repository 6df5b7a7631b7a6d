import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf } from '../../../lib/http.js';
import { ticketsPolicy } from '../policy.js';
import {
  categoryKey,
  customFieldValues,
  prioritySchema,
  ticketParams,
  ticketSchema,
  tierSchema,
} from '../schemas.js';
import { splitTicket } from '../split.js';

const splitBody = z.strictObject({
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().max(20000).default(''),
  category: categoryKey.optional().describe('Default: the source ticket’s category'),
  tier: tierSchema.optional().describe('Default: the category default'),
  priority: prioritySchema.optional().describe('Default: the source ticket’s priority'),
  customFields: customFieldValues.optional(),
  eventIds: z
    .array(z.uuid())
    .max(50)
    .default([])
    .describe('Timeline entries of the source to copy onto the new ticket as references'),
});

export async function ticketSplitRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  r.post('/tickets/:id/split', {
    config: { permission: ticketsPolicy.split },
    schema: {
      tags: ['tickets'],
      summary:
        'Split a second request into a new ticket (same customer and owner; linked split_from/split_into)',
      params: ticketParams,
      body: splitBody,
      response: { 201: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const view = await splitTicket(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      );
      return reply.code(201).header('etag', `"${view.version}"`).send({ data: view });
    },
  });
}
