import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf, noContent } from '../../../lib/http.js';
import { ticketsPolicy } from '../policy.js';
import {
  createSavedView,
  deleteSavedView,
  listSavedViews,
  updateSavedView,
} from '../saved-views.js';
import { ticketParams } from '../schemas.js';

const ref = z.object({ id: z.uuid(), name: z.string() });

const viewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    search: z.string().describe('The console query string, e.g. queue=team&tier=L2'),
    owner: ref,
    team: ref.nullable().describe('Shared with this team (set by a supervisor)'),
    mine: z.boolean(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SavedTicketView' });

const name = z.string().trim().min(1).max(40);
const search = z
  .string()
  .trim()
  .max(2000)
  .transform((s) => s.replace(/^\?/, ''));
const teamId = z.uuid().nullable().describe('Share with a team you supervise; null: private');

export async function savedViewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['tickets'];

  r.get('/ticket-views', {
    config: { permission: ticketsPolicy.savedViews },
    schema: {
      tags,
      summary: 'Saved console views: your own, then those shared with your teams',
      response: { 200: z.object({ data: z.array(viewSchema) }) },
    },
    handler: async (req) => ({ data: await listSavedViews(db, requireActor(req.actor)) }),
  });

  r.post('/ticket-views', {
    config: { permission: ticketsPolicy.savedViews },
    schema: {
      tags,
      summary: 'Save the console filters under a name (409 when the name is taken)',
      body: z.strictObject({ name, search, teamId: teamId.optional() }),
      response: { 201: dataOf(viewSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await createSavedView(db, req.auditContext(), requireActor(req.actor), req.body),
      }),
  });

  r.patch('/ticket-views/:id', {
    config: { permission: ticketsPolicy.savedViews },
    schema: {
      tags,
      summary: 'Rename, overwrite or (un)share one of your saved views',
      params: ticketParams,
      body: z.strictObject({
        name: name.optional(),
        search: search.optional(),
        teamId: teamId.optional(),
      }),
      response: { 200: dataOf(viewSchema) },
    },
    handler: async (req) => ({
      data: await updateSavedView(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });

  r.delete('/ticket-views/:id', {
    config: { permission: ticketsPolicy.savedViews },
    schema: {
      tags,
      summary: 'Delete one of your saved views',
      params: ticketParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await deleteSavedView(db, req.auditContext(), requireActor(req.actor), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
