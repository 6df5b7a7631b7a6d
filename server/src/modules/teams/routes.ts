import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, pageQuery, toPage } from '../../lib/pagination.js';
import { idParams } from '../users/schemas.js';
import { teamsPolicy } from './policy.js';
import { createTeam, listTeams, updateTeam } from './service.js';

const teamSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    memberCount: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Team' });

const teamBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('e.g. 一线客服, 技术支持, 售后, 投诉处理, 质检组'),
  description: z.string().trim().max(500).default(''),
});

const teamPatchBody = z.strictObject({
  name: teamBody.shape.name.optional(),
  description: z.string().trim().max(500).optional(),
});

export async function teamsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['teams'];

  r.get('/teams', {
    config: { permission: teamsPolicy.list },
    schema: {
      tags,
      summary: 'List teams',
      querystring: pageQuery,
      response: { 200: pageOf(teamSchema) },
    },
    handler: async (req) => {
      const rows = await listTeams(db, req.query.limit, decodeCursor(req.query.cursor));
      return toPage(rows, req.query.limit, (t) => ({ at: t.createdAt, id: t.id }));
    },
  });

  r.post('/teams', {
    config: { permission: teamsPolicy.create },
    schema: {
      tags,
      summary: 'Create a team',
      body: teamBody,
      response: { 201: dataOf(teamSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await createTeam(db, req.auditContext(), req.body) }),
  });

  r.patch('/teams/:id', {
    config: { permission: teamsPolicy.update },
    schema: {
      tags,
      summary: 'Rename or describe a team',
      params: idParams,
      body: teamPatchBody,
      response: { 200: dataOf(teamSchema) },
    },
    handler: async (req) => ({
      data: await updateTeam(db, req.auditContext(), req.params.id, req.body),
    }),
  });
}
