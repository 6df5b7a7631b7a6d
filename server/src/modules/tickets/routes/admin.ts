import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf } from '../../../lib/http.js';
import { createCategory, listCategories, updateCategory } from '../categories.js';
import { ticketsPolicy } from '../policy.js';
import { categoryKey, tierSchema } from '../schemas.js';
import { forgetCachedSettings, getSettings, updateSettings } from '../settings.js';

const categorySchema = z
  .object({
    key: z.string(),
    labelZh: z.string(),
    labelEn: z.string(),
    defaultTier: tierSchema,
    active: z.boolean(),
    sortOrder: z.number().int(),
  })
  .meta({ id: 'TicketCategory' });

const label = z.string().trim().min(1).max(50);

const settingsSchema = z
  .object({
    autoCloseDays: z.number().int().min(1).max(365),
    reopenWindowDays: z.number().int().min(0).max(365),
    archiveAfterDays: z.number().int().min(1).max(3650),
    confirmationLinkDays: z.number().int().min(1).max(365),
    timeZone: z.string().min(1).max(64),
  })
  .meta({ id: 'TicketSettings' });

export async function ticketAdminRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['ticket settings'];

  r.get('/ticket-categories', {
    config: { permission: ticketsPolicy.categoriesRead },
    schema: {
      tags,
      summary: 'Ticket categories (admin-configurable, zh/en labels)',
      querystring: z.object({ active: z.enum(['true', 'false']).optional() }),
      response: { 200: z.object({ data: z.array(categorySchema) }) },
    },
    handler: async (req) => {
      const all = await listCategories(db);
      const active = req.query.active;
      return { data: active ? all.filter((c) => String(c.active) === active) : all };
    },
  });

  r.post('/ticket-categories', {
    config: { permission: ticketsPolicy.categoriesManage },
    schema: {
      tags,
      summary: 'Add a category',
      body: z.strictObject({
        key: categoryKey,
        labelZh: label,
        labelEn: label,
        defaultTier: tierSchema.default('L1'),
        active: z.boolean().default(true),
        sortOrder: z.number().int().min(0).max(10000).optional(),
      }),
      response: { 201: dataOf(categorySchema) },
    },
    handler: async (req, reply) => {
      const view = await db.transaction((tx) => createCategory(tx, req.auditContext(), req.body));
      return reply.code(201).send({ data: view });
    },
  });

  r.patch('/ticket-categories/:key', {
    config: { permission: ticketsPolicy.categoriesManage },
    schema: {
      tags,
      summary: 'Relabel, re-tier, reorder or deactivate a category',
      params: z.object({ key: categoryKey }),
      body: z.strictObject({
        labelZh: label.optional(),
        labelEn: label.optional(),
        defaultTier: tierSchema.optional(),
        active: z.boolean().optional(),
        sortOrder: z.number().int().min(0).max(10000).optional(),
      }),
      response: { 200: dataOf(categorySchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) =>
        updateCategory(tx, req.auditContext(), req.params.key, req.body),
      ),
    }),
  });

  r.get('/ticket-settings', {
    config: { permission: ticketsPolicy.settingsRead },
    schema: {
      tags,
      summary: 'Closed-loop settings: auto-close, reopen window, archive delay, link validity',
      response: { 200: dataOf(settingsSchema.extend({ editable: z.boolean() })) },
    },
    handler: async (req) => ({
      data: {
        ...(await getSettings(db)),
        editable: requireActor(req.actor).roles.includes('admin'),
      },
    }),
  });

  r.patch('/ticket-settings', {
    config: { permission: ticketsPolicy.settingsManage },
    schema: {
      tags,
      summary: 'Change the closed-loop settings (administrators)',
      body: settingsSchema.partial().strict(),
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async (req) => {
      const data = await db.transaction((tx) => updateSettings(tx, req.auditContext(), req.body));
      forgetCachedSettings(); // again after COMMIT: a read meanwhile may have cached the old row
      return { data };
    },
  });
}
