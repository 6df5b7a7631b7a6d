import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, noContent } from '../../../lib/http.js';
import {
  createAssignmentRule,
  deleteAssignmentRule,
  listAssignmentRules,
  listTeamWorkers,
  reorderAssignmentRules,
  updateAssignmentRule,
} from '../assignment-rules.js';
import { ticketsPolicy } from '../policy.js';
import { STRATEGIES } from '../rules/assignment-rules.js';
import { CHANNELS, CUSTOMER_TIERS } from '../rules/vocabulary.js';
import { categoryKey, ticketParams } from '../schemas.js';

const ruleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    active: z.boolean(),
    categories: z.array(z.string()),
    channels: z.array(z.string()),
    customerTiers: z.array(z.string()),
    keywords: z.array(z.string()),
    team: z.object({ id: z.uuid(), name: z.string() }),
    strategy: z.enum(STRATEGIES),
  })
  .meta({ id: 'AssignmentRule' });

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  active: z.boolean(),
  categories: z.array(categoryKey).max(50).describe('Any of; empty: any category'),
  channels: z.array(z.enum(CHANNELS)).max(10).describe('Any of; empty: any channel'),
  customerTiers: z.array(z.enum(CUSTOMER_TIERS)).max(10).describe('Any of; empty: any tier'),
  keywords: z
    .array(z.string().trim().min(1).max(50))
    .max(50)
    .describe('Any of, in subject or description, ignoring case; empty: no keyword needed'),
  teamId: z.uuid(),
  strategy: z.enum(STRATEGIES),
};

const memberSchema = z.object({ id: z.uuid(), name: z.string() }).meta({ id: 'TeamMember' });

export async function assignmentRuleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['ticket settings'];

  r.get('/ticket-assignment-rules', {
    config: { permission: ticketsPolicy.assignmentRulesRead },
    schema: {
      tags,
      summary: 'Assignment rules for L2 tickets, in order (first match wins)',
      response: { 200: z.object({ data: z.array(ruleSchema) }) },
    },
    handler: async () => ({ data: await listAssignmentRules(db) }),
  });

  r.post('/ticket-assignment-rules', {
    config: { permission: ticketsPolicy.assignmentRulesManage },
    schema: {
      tags,
      summary: 'Add an assignment rule at the end of the list',
      body: z.strictObject({
        ...ruleFields,
        active: ruleFields.active.default(true),
        categories: ruleFields.categories.default([]),
        channels: ruleFields.channels.default([]),
        customerTiers: ruleFields.customerTiers.default([]),
        keywords: ruleFields.keywords.default([]),
        strategy: ruleFields.strategy.default('least_loaded'),
      }),
      response: { 201: dataOf(ruleSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await createAssignmentRule(db, req.auditContext(), req.body) }),
  });

  r.post('/ticket-assignment-rules/order', {
    config: { permission: ticketsPolicy.assignmentRulesManage },
    schema: {
      tags,
      summary: 'Re-order the rules: every rule id exactly once, first match first',
      body: z.strictObject({ ids: z.array(z.uuid()).max(500) }),
      response: { 200: z.object({ data: z.array(ruleSchema) }) },
    },
    handler: async (req) => ({
      data: await reorderAssignmentRules(db, req.auditContext(), req.body.ids),
    }),
  });

  r.patch('/ticket-assignment-rules/:id', {
    config: { permission: ticketsPolicy.assignmentRulesManage },
    schema: {
      tags,
      summary: 'Change an assignment rule',
      params: ticketParams,
      body: z.strictObject(
        Object.fromEntries(Object.entries(ruleFields).map(([k, v]) => [k, v.optional()])) as {
          [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]>;
        },
      ),
      response: { 200: dataOf(ruleSchema) },
    },
    handler: async (req) => ({
      data: await updateAssignmentRule(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.delete('/ticket-assignment-rules/:id', {
    config: { permission: ticketsPolicy.assignmentRulesManage },
    schema: {
      tags,
      summary: 'Delete an assignment rule',
      params: ticketParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await deleteAssignmentRule(db, req.auditContext(), req.params.id);
      return reply.code(204).send(null);
    },
  });

  r.get('/teams/:id/members', {
    config: { permission: ticketsPolicy.teamMembers },
    schema: {
      tags: ['teams'],
      summary: 'Active members of a team who work tickets (ids and names), for handler pickers',
      params: ticketParams,
      response: { 200: z.object({ data: z.array(memberSchema) }) },
    },
    handler: async (req) => ({ data: await listTeamWorkers(db, req.params.id) }),
  });
}
