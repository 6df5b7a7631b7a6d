import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { idParams } from '../users/schemas.js';
import { customersPolicy } from './policy.js';
import {
  createCustomerBody,
  customerSchema,
  duplicateHintSchema,
  listCustomersQuery,
  matchCustomersQuery,
  mergeCustomerBody,
  mergeResultSchema,
  updateCustomerBody,
} from './schemas.js';
import {
  createCustomer,
  findCustomerRow,
  listCustomers,
  matchCustomers,
  mergeCustomers,
  presentCustomer,
  updateCustomer,
} from './service.js';

export async function customersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['customers'];

  r.get('/customers', {
    config: { permission: customersPolicy.list },
    schema: {
      tags,
      summary: 'Search customers (phone prefix for look-up as you type)',
      querystring: listCustomersQuery,
      response: { 200: pageOf(customerSchema) },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const { q, phone, email, limit, cursor } = req.query;
      const rows = await listCustomers(db, { q, phone, email }, limit, decodeCursor(cursor));
      const page = toPage(rows, limit, (c) => ({ at: c.createdAt.toISOString(), id: c.id }));
      // Which filters were used, not their values: a searched phone or email is personal too.
      await req.auditRead('customer', null, {
        count: page.data.length,
        filters: [q && 'q', phone && 'phone', email && 'email'].filter(Boolean).join(',') || 'none',
      });
      return {
        data: page.data.map((c) => presentCustomer(c, actor.roles)),
        nextCursor: page.nextCursor,
      };
    },
  });

  r.get('/customers/match', {
    config: { permission: customersPolicy.list },
    schema: {
      tags,
      summary: 'Known customers with this whole phone number (any form, +86 or not) or email',
      querystring: matchCustomersQuery,
      response: { 200: z.object({ data: z.array(customerSchema) }) },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const rows = await matchCustomers(db, req.query);
      await req.auditRead('customer', null, { match: true, count: rows.length });
      return { data: rows.map((c) => presentCustomer(c, actor.roles)) };
    },
  });

  r.post('/customers/:id/merge', {
    config: { permission: customersPolicy.merge },
    schema: {
      tags,
      summary: 'Merge this (duplicate) customer into another: tickets and accounts move over',
      params: idParams,
      body: mergeCustomerBody,
      response: { 200: mergeResultSchema },
    },
    handler: async (req) =>
      mergeCustomers(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body.intoId,
      ),
  });

  r.post('/customers', {
    config: { permission: customersPolicy.create },
    schema: {
      tags,
      summary: 'Register a customer (answers de-duplication hints beside the customer)',
      body: createCustomerBody,
      response: { 201: z.object({ data: customerSchema, duplicates: duplicateHintSchema }) },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(await createCustomer(db, req.auditContext(), requireActor(req.actor), req.body)),
  });

  r.get('/customers/:id', {
    config: { permission: customersPolicy.read },
    schema: {
      tags,
      summary: 'Get a customer',
      params: idParams,
      response: { 200: dataOf(customerSchema) },
    },
    handler: async (req) => {
      const row = await findCustomerRow(db, req.params.id);
      if (!row) throw problems.notFound('Customer', 'id');
      await req.auditRead('customer', row.id);
      return { data: presentCustomer(row, requireActor(req.actor).roles) };
    },
  });

  r.patch('/customers/:id', {
    config: { permission: customersPolicy.update },
    schema: {
      tags,
      summary: 'Update a customer',
      params: idParams,
      body: updateCustomerBody,
      response: { 200: dataOf(customerSchema) },
    },
    handler: async (req) => ({
      data: await updateCustomer(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });
}
