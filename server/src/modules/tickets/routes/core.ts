import { clockSchema, listClocks } from '../../sla/clock-views.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf, pageOf } from '../../../lib/http.js';
import { servedCompiled } from '../../../lib/serializer.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../../lib/pagination.js';
import { problems } from '../../../lib/problem.js';
import { duplicateHintSchema } from '../../customers/schemas.js';
import { findCustomerRow } from '../../customers/service.js';
import { customersPolicy } from '../../customers/policy.js';
import { findVisibleTicket } from '../access.js';
import { expectedVersion, withEtag } from './versioning.js';
import { ticketsPolicy } from '../policy.js';
import { presentTicket, presentTickets } from '../present.js';
import { countQueues, listTickets, sortKey } from '../queries.js';
import {
  countsSchema,
  createTicketBody,
  listTicketsQuery,
  patchTicketBody,
  ticketParams,
  ticketSchema,
} from '../schemas.js';
import { createTicket, patchTicket } from '../service.js';

/** Pages of 50 full views: written by a compiled serializer, not a Zod parse (lib/serializer.ts). */
const ticketPage = servedCompiled(pageOf(ticketSchema));

export async function ticketCoreRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['tickets'];

  r.get('/tickets', {
    config: { permission: ticketsPolicy.list },
    schema: {
      tags,
      summary: 'List tickets of a queue, filtered and sorted (comma-separated multi-values)',
      querystring: listTicketsQuery,
      response: { 200: ticketPage },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const { cursor, ...q } = req.query;
      const after = decodeCursor(cursor);
      // The read's audit row (which queue was read) commits while the page is queried and
      // presented — its commit is no longer a step after the query's; both before the answer.
      const [, { page, data, rows }] = await Promise.all([
        req.auditRead('ticket', null, { queue: q.queue ?? 'all' }),
        listTickets(db, actor, q, after).then(async (rows) => {
          const page = rows.slice(0, q.limit);
          return { page, rows, data: await presentTickets(db, page, actor, clock.now()) };
        }),
      ]);
      const last = page[page.length - 1];
      return {
        data,
        nextCursor: rows.length > q.limit && last ? encodeCursor(sortKey(q.sort, last)) : null,
      };
    },
  });

  r.get('/tickets/counts', {
    config: { permission: ticketsPolicy.list },
    schema: {
      tags,
      summary: 'Live counts of every queue',
      response: { 200: dataOf(countsSchema) },
    },
    handler: async (req) => ({ data: await countQueues(db, requireActor(req.actor)) }),
  });

  r.post('/tickets', {
    config: { permission: ticketsPolicy.create },
    schema: {
      tags,
      summary: 'Register a ticket (the caller is the receiving agent and owner)',
      body: createTicketBody,
      response: {
        201: z.object({ data: ticketSchema, duplicates: duplicateHintSchema }),
      },
    },
    handler: async (req, reply) => {
      const created = await createTicket(db, req.auditContext(), requireActor(req.actor), req.body);
      return reply.code(201).header('etag', `"${created.data.version}"`).send(created);
    },
  });

  r.get('/tickets/:id', {
    config: { permission: ticketsPolicy.read },
    schema: {
      tags,
      summary: 'Get a ticket (ETag: "<version>")',
      params: ticketParams,
      response: { 200: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const row = await findVisibleTicket(db, req.params.id, actor);
      await req.auditRead('ticket', row.id);
      const view = await presentTicket(db, row, actor, clock.now());
      return withEtag(reply, view);
    },
  });

  r.get('/tickets/:id/sla', {
    config: { permission: ticketsPolicy.read },
    schema: {
      tags,
      summary: "The ticket's SLA clocks: due, warning, paused, met or breached (business time)",
      params: ticketParams,
      response: { 200: z.object({ data: z.array(clockSchema) }) },
    },
    handler: async (req) => {
      const row = await findVisibleTicket(db, req.params.id, requireActor(req.actor));
      return { data: await listClocks(db, row.id, clock.now()) };
    },
  });

  r.patch('/tickets/:id', {
    config: { permission: ticketsPolicy.update },
    schema: {
      tags,
      summary: 'Edit subject, description, category, tier, priority, tags (If-Match)',
      params: ticketParams,
      body: patchTicketBody,
      response: { 200: dataOf(ticketSchema) },
    },
    handler: async (req, reply) => {
      const view = await patchTicket(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
        expectedVersion(req),
      );
      return withEtag(reply, view);
    },
  });

  r.get('/customers/:id/tickets', {
    config: { permission: customersPolicy.read },
    schema: {
      tags: ['customers'],
      summary: "A customer's tickets, newest first",
      params: ticketParams,
      querystring: pageQuery,
      response: { 200: ticketPage },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      if (!(await findCustomerRow(db, req.params.id))) throw problems.notFound('Customer', 'id');
      const { limit, cursor } = req.query;
      const rows = await listTickets(
        db,
        actor,
        { customerId: req.params.id, sort: 'received_desc', limit },
        decodeCursor(cursor),
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      await req.auditRead('customer', req.params.id);
      return {
        data: await presentTickets(db, page, actor, clock.now()),
        nextCursor:
          rows.length > limit && last ? encodeCursor(sortKey('received_desc', last)) : null,
      };
    },
  });
}
