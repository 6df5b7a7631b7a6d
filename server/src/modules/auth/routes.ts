import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { abilitiesOf } from '../../access/permissions.js';
import { requireActor } from '../../context.js';
import { dataOf, noContent } from '../../lib/http.js';
import { problems } from '../../lib/problem.js';
import { servedCompiled } from '../../lib/serializer.js';
import { recordAudit } from '../audit/service.js';
import { emailSchema, idParams, localeSchema, userSchema } from '../users/schemas.js';
import { findUser } from '../users/service.js';
import { principalCache } from './principal-cache.js';
import { profilePolicy } from './policy.js';
import {
  changePassword,
  createToken,
  listTokens,
  revokeToken,
  signIn,
  updateProfile,
} from './service.js';
import { endSession, SESSION_COOKIE, type NewSession } from './sessions.js';

const sessionAnswer = dataOf(z.object({ user: userSchema, csrfToken: z.string() }));
// Asked on every page load: written by the compiled serializer (lib/serializer.ts).
const meAnswer = servedCompiled(
  dataOf(
    z.object({
      user: userSchema,
      csrfToken: z
        .string()
        .nullable()
        .describe('Send as x-csrf-token on cookie-authenticated writes'),
      abilities: z
        .record(z.string(), z.boolean())
        .describe('What the caller may do, by permission name'),
    }),
  ),
);
const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    expiresAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ApiToken' });

export function setSessionCookie(reply: FastifyReply, session: NewSession, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, session.secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: session.expiresAt,
  });
}

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['auth'];

  r.post('/auth/sign-in', {
    config: {
      public: true,
      rateLimit: { max: config.KEFU_LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' },
    },
    schema: {
      tags,
      summary: 'Sign in with email and password (sets the session cookie)',
      body: z.strictObject({ email: emailSchema, password: z.string().min(1).max(200) }),
      response: { 200: sessionAnswer },
    },
    handler: async (req, reply) => {
      const { user, session } = await signIn(
        db,
        config,
        req.auditContext(),
        req.body.email,
        req.body.password,
      );
      setSessionCookie(reply, session, config.KEFU_SECURE_COOKIES);
      return { data: { user, csrfToken: session.csrfToken } };
    },
  });

  r.post('/auth/sign-out', {
    config: { permission: profilePolicy.signOut },
    schema: { tags, summary: 'End this session', response: { 204: noContent } },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      await db.transaction(async (tx) => {
        if (actor.sessionId) await endSession(tx, actor.sessionId);
        await recordAudit(tx, req.auditContext(), {
          action: 'auth.sign_out',
          targetType: 'user',
          targetId: actor.userId,
        });
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  r.get('/me', {
    config: { permission: profilePolicy.read },
    schema: {
      tags,
      summary: 'The signed-in user, CSRF token and abilities',
      response: { 200: meAnswer },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const user = await principalCache.user(actor.principalKey, () => findUser(db, actor.userId));
      if (!user) throw problems.unauthorized();
      return { data: { user, csrfToken: actor.csrfToken ?? null, abilities: abilitiesOf(actor) } };
    },
  });

  r.patch('/me', {
    config: { permission: profilePolicy.update },
    schema: {
      tags,
      summary: 'Update my name or language',
      body: z.strictObject({
        name: z.string().trim().min(1).max(100).optional(),
        locale: localeSchema.optional(),
      }),
      response: { 200: dataOf(userSchema) },
    },
    handler: async (req) => ({
      data: await updateProfile(db, req.auditContext(), requireActor(req.actor), req.body),
    }),
  });

  r.post('/me/password', {
    config: { permission: profilePolicy.changePassword },
    schema: {
      tags,
      summary: 'Change my password (ends my other sessions)',
      body: z.strictObject({
        currentPassword: z.string().max(200),
        newPassword: z.string().max(200),
      }),
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await changePassword(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.body.currentPassword,
        req.body.newPassword,
      );
      return reply.code(204).send(null);
    },
  });

  r.get('/me/api-tokens', {
    config: { permission: profilePolicy.manageTokens },
    schema: {
      tags,
      summary: 'My API tokens',
      response: { 200: z.object({ data: z.array(tokenSchema), nextCursor: z.null() }) },
    },
    handler: async (req) => ({
      data: await listTokens(db, requireActor(req.actor).userId),
      nextCursor: null,
    }),
  });

  r.post('/me/api-tokens', {
    config: { permission: profilePolicy.manageTokens },
    schema: {
      tags,
      summary: 'Create an API token (the secret is shown once)',
      body: z.strictObject({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(z.string().max(50)).min(1).max(50),
        expiresInDays: z.number().int().min(1).max(365).default(90),
      }),
      response: { 201: dataOf(z.object({ token: tokenSchema, secret: z.string() })) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await createToken(db, req.auditContext(), requireActor(req.actor), req.body),
      }),
  });

  r.delete('/me/api-tokens/:id', {
    config: { permission: profilePolicy.manageTokens },
    schema: {
      tags,
      summary: 'Revoke an API token',
      params: idParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await revokeToken(db, req.auditContext(), requireActor(req.actor), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
