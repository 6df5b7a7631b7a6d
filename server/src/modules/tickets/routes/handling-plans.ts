import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf } from '../../../lib/http.js';
import {
  createHandlingPlan,
  handlingPlanBody,
  handlingPlanParams,
  handlingPlanPatch,
  handlingPlanPermission,
  handlingPlanSchema,
  listHandlingPlans,
  updateHandlingPlan,
} from '../handling-plans.js';
import { ticketsPolicy } from '../policy.js';
import { ticketParams } from '../schemas.js';

/** The handling plans of a ticket (处理方案; docs/sla.md, "The handling plan"). */
export async function handlingPlanRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['tickets'];

  r.get('/tickets/:id/handling-plans', {
    config: { permission: ticketsPolicy.read },
    schema: {
      tags,
      summary: "The ticket's handling plans, oldest first",
      params: ticketParams,
      response: { 200: z.object({ data: z.array(handlingPlanSchema) }) },
    },
    handler: async (req) => ({
      data: await listHandlingPlans(db, requireActor(req.actor), req.params.id),
    }),
  });

  r.post('/tickets/:id/handling-plans', {
    config: { permission: handlingPlanPermission },
    schema: {
      tags,
      summary: 'Record a handling plan (what, who, by when; public = the customer sees it)',
      description:
        'Meets the `handling_plan` and `complaint_plan` SLA targets. 409 ticket_finished on a ' +
        'closed ticket; 422 when the owner cannot work tickets or `dueAt` is not in the future.',
      params: ticketParams,
      body: handlingPlanBody,
      response: { 201: dataOf(handlingPlanSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await createHandlingPlan(
          db,
          req.auditContext(),
          requireActor(req.actor),
          req.params.id,
          req.body,
        ),
      }),
  });

  r.patch('/tickets/:id/handling-plans/:planId', {
    config: { permission: handlingPlanPermission },
    schema: {
      tags,
      summary: 'Revise a handling plan (send `revision` to guard against a concurrent change)',
      params: handlingPlanParams,
      body: handlingPlanPatch,
      response: { 200: dataOf(handlingPlanSchema) },
    },
    handler: async (req) => ({
      data: await updateHandlingPlan(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.params.planId,
        req.body,
      ),
    }),
  });
}
