import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { usersPolicy } from './policy.js';
import { createUserBody, idParams, listUsersQuery, updateUserBody, userSchema } from './schemas.js';
import { createUser, findUser, listUsers, updateUser } from './service.js';

export async function usersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['users'];

  r.get('/users', {
    config: { permission: usersPolicy.list },
    schema: {
      tags,
      summary: 'List users',
      querystring: listUsersQuery,
      response: { 200: pageOf(userSchema) },
    },
    handler: async (req) => {
      const { q, role, active, limit, cursor } = req.query;
      const filter = { q, role, active: active === undefined ? undefined : active === 'true' };
      const { rows, views } = await listUsers(db, filter, limit, decodeCursor(cursor));
      await req.auditRead('user', null, { ...filter, count: views.length });
      const page = toPage(rows, limit, (u) => ({ at: u.createdAt.toISOString(), id: u.id }));
      return { data: views, nextCursor: page.nextCursor };
    },
  });

  r.post('/users', {
    config: { permission: usersPolicy.create },
    schema: {
      tags,
      summary: 'Create a user',
      body: createUserBody,
      response: { 201: dataOf(userSchema) },
    },
    handler: async (req, reply) => {
      const user = await createUser(db, req.auditContext(), req.body);
      return reply.code(201).send({ data: user });
    },
  });

  r.get('/users/:id', {
    config: { permission: usersPolicy.read },
    schema: {
      tags,
      summary: 'Get a user',
      params: idParams,
      response: { 200: dataOf(userSchema) },
    },
    handler: async (req) => {
      const user = await findUser(db, req.params.id);
      if (!user) throw problems.notFound('User', 'id');
      await req.auditRead('user', user.id);
      return { data: user };
    },
  });

  r.patch('/users/:id', {
    config: { permission: usersPolicy.update },
    schema: {
      tags,
      summary: 'Update, deactivate or reactivate a user',
      params: idParams,
      body: updateUserBody,
      response: { 200: dataOf(userSchema) },
    },
    handler: async (req) => {
      const user = await updateUser(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      );
      return { data: user };
    },
  });
}
