import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf } from '../../../lib/http.js';
import {
  createFieldDefinition,
  listFieldDefinitions,
  updateFieldDefinition,
} from '../custom-fields.js';
import { ticketsPolicy } from '../policy.js';
import { FIELD_TYPES } from '../rules/custom-fields.js';
import { categoryKey, ticketParams } from '../schemas.js';

const label = z.string().trim().min(1).max(50);

const optionSchema = z.strictObject({
  value: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - (at most 40)')
    .describe('Stored on tickets and used in filters (key:value)'),
  labelZh: label,
  labelEn: label,
});

const fieldSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    labelZh: z.string(),
    labelEn: z.string(),
    type: z.enum(FIELD_TYPES),
    options: z.array(z.object({ value: z.string(), labelZh: z.string(), labelEn: z.string() })),
    required: z.boolean(),
    active: z.boolean(),
    position: z.number().int(),
    categories: z.array(z.string()).describe('Empty: every category'),
  })
  .meta({ id: 'TicketField' });

const options = z.array(optionSchema).max(100);
const categories = z.array(categoryKey).max(50);
const position = z.number().int().min(0).max(100_000);

export async function ticketFieldRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['ticket settings'];

  r.get('/ticket-fields', {
    config: { permission: ticketsPolicy.fieldsRead },
    schema: {
      tags,
      summary: 'Custom ticket fields (typed, admin-defined), in display order',
      querystring: z.object({ active: z.enum(['true', 'false']).optional() }),
      response: { 200: z.object({ data: z.array(fieldSchema) }) },
    },
    handler: async (req) => {
      const all = await listFieldDefinitions(db);
      const active = req.query.active;
      return { data: active ? all.filter((f) => String(f.active) === active) : all };
    },
  });

  r.post('/ticket-fields', {
    config: { permission: ticketsPolicy.fieldsManage },
    schema: {
      tags,
      summary: 'Define a custom ticket field (key and type are fixed afterwards)',
      body: z.strictObject({
        key: z
          .string()
          .trim()
          .regex(/^[a-z][a-z0-9_]{1,39}$/, 'a key such as product_model'),
        labelZh: label,
        labelEn: label,
        type: z.enum(FIELD_TYPES),
        options: options.default([]),
        required: z.boolean().default(false),
        active: z.boolean().default(true),
        position: position.optional(),
        categories: categories.default([]).describe('Limit to these categories; empty: all'),
      }),
      response: { 201: dataOf(fieldSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await createFieldDefinition(db, req.auditContext(), req.body) }),
  });

  r.patch('/ticket-fields/:id', {
    config: { permission: ticketsPolicy.fieldsManage },
    schema: {
      tags,
      summary: 'Relabel, reorder, require, limit, deactivate a custom field or change its options',
      params: ticketParams,
      body: z.strictObject({
        labelZh: label.optional(),
        labelEn: label.optional(),
        options: options.optional(),
        required: z.boolean().optional(),
        active: z.boolean().optional(),
        position: position.optional(),
        categories: categories.optional(),
      }),
      response: { 200: dataOf(fieldSchema) },
    },
    handler: async (req) => ({
      data: await updateFieldDefinition(db, req.auditContext(), req.params.id, req.body),
    }),
  });
}
