import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, noContent, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { recordAudit } from '../audit/service.js';
import { multipartNote } from '../attachments/schemas.js';
import { getAttachmentSettings } from '../attachments/settings.js';
import { spoolDirFor, storageFor } from '../attachments/storage.js';
import { receiveUpload, requireMultipart } from '../attachments/upload.js';
import { listCategories } from '../tickets/categories.js';
import {
  accountView,
  passwordSignIn,
  requestCode,
  setPassword,
  signOut,
  updateAccount,
  verifyCode,
} from './accounts.js';
import {
  attachToMyRequest,
  checkUploadTarget,
  openMyAttachment,
  sendPortalFile,
} from './attachments.js';
import { portalPolicy } from './policy.js';
import {
  decideRequest,
  getMyRequest,
  listMyRequests,
  replyToRequest,
  submitRequest,
} from './requests.js';
import {
  accountSchema,
  attachmentParams,
  decisionBody,
  listRequestsQuery,
  passwordSignInBody,
  patchPortalSettingsBody,
  portalAttachmentSchema,
  portalCategorySchema,
  portalSessionAnswer,
  portalSettingsSchema,
  replyRequestBody,
  requestCodeBody,
  requestDetailSchema,
  requestParams,
  requestSummarySchema,
  setPasswordBody,
  submitRequestBody,
  verifyCodeBody,
} from './schemas.js';
import {
  clearPortalCookie,
  customerContext,
  requirePortal,
  setPortalCookie,
  type PortalPrincipal,
} from './session.js';
import { getPortalSettings, updatePortalSettings } from './settings.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in customer on portal routes (set by the route's onRequest hook). */
    portal: PortalPrincipal | null;
  }
}

const security = [{ portal: [] }];

/**
 * The signed-in customer side of the portal (docs/portal.md): sign-in by mailed code or
 * password, then the customer's own requests. Routes are `public` for the staff policy and
 * check the portal session themselves.
 */
export async function portalAccountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock, config } = app.deps;
  const tags = ['portal'];
  const signInLimit = { max: config.KEFU_LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' };
  const publicLimit = { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' };
  const files = { db, storage: storageFor(config) };
  const spoolDir = spoolDirFor(config);

  app.decorateRequest('portal', null);
  /** Route hook: 401 without a portal session, 403 on a write without its CSRF token. */
  const signedIn = async (req: FastifyRequest) => {
    const settings = await getPortalSettings(db);
    req.portal = await requirePortal(req, db, clock.now(), settings.sessionTtlHours);
  };
  const who = (req: FastifyRequest) => req.portal!;
  const ctxOf = (req: FastifyRequest) => customerContext(req.auditContext(), who(req));
  const session = (
    reply: FastifyReply,
    out: Awaited<ReturnType<typeof verifyCode>>,
  ): z.infer<typeof portalSessionAnswer> => {
    setPortalCookie(reply, out.session, config.KEFU_SECURE_COOKIES);
    return { data: { account: out.account, csrfToken: out.session.csrfToken } };
  };

  r.post('/portal/auth/request-code', {
    config: { public: true, rateLimit: signInLimit },
    schema: {
      tags,
      summary: 'Mail a one-time sign-in code (the answer is the same for every address)',
      body: requestCodeBody,
      response: { 202: dataOf(z.object({ sent: z.literal(true) })) },
      security: [],
    },
    handler: async (req, reply) => {
      await requestCode(db, req.auditContext(), req.body);
      return reply.code(202).send({ data: { sent: true as const } });
    },
  });

  r.post('/portal/auth/verify-code', {
    config: { public: true, rateLimit: signInLimit },
    schema: {
      tags,
      summary: 'Sign in with the mailed code (sets the kefu_portal cookie)',
      description: '401 invalid_code for a wrong, expired, used or exhausted code.',
      body: verifyCodeBody,
      response: { 200: portalSessionAnswer },
      security: [],
    },
    handler: async (req, reply) =>
      session(reply, await verifyCode(db, req.auditContext(), req.body)),
  });

  r.post('/portal/auth/sign-in', {
    config: { public: true, rateLimit: signInLimit },
    schema: {
      tags,
      summary: 'Sign in with email and password (sets the kefu_portal cookie)',
      body: passwordSignInBody,
      response: { 200: portalSessionAnswer },
      security: [],
    },
    handler: async (req, reply) =>
      session(reply, await passwordSignIn(db, config, req.auditContext(), req.body)),
  });

  r.post('/portal/auth/sign-out', {
    config: { public: true },
    onRequest: signedIn,
    schema: { tags, summary: 'End this portal session', response: { 204: noContent }, security },
    handler: async (req, reply) => {
      await signOut(db, ctxOf(req), who(req));
      clearPortalCookie(reply);
      return reply.code(204).send(null);
    },
  });

  r.get('/portal/me', {
    config: { public: true },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'The signed-in customer and the CSRF token for writes',
      response: { 200: portalSessionAnswer },
      security,
    },
    handler: async (req) => ({
      data: { account: await accountView(db, who(req)), csrfToken: who(req).csrfToken },
    }),
  });

  r.patch('/portal/me', {
    config: { public: true },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Change my language (also the language of mail to me)',
      body: z.strictObject({ locale: z.enum(['zh-CN', 'en-US']).optional() }),
      response: { 200: dataOf(accountSchema) },
      security,
    },
    handler: async (req) => ({ data: await updateAccount(db, ctxOf(req), who(req), req.body) }),
  });

  r.post('/portal/me/password', {
    config: { public: true, rateLimit: signInLimit },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Set my password (ends my other portal sessions)',
      body: setPasswordBody,
      response: { 204: noContent },
      security,
    },
    handler: async (req, reply) => {
      await setPassword(db, ctxOf(req), who(req), req.body);
      return reply.code(204).send(null);
    },
  });

  r.get('/portal/categories', {
    config: { public: true, rateLimit: publicLimit },
    schema: {
      tags,
      summary: 'Categories a customer may file a request under',
      response: { 200: z.object({ data: z.array(portalCategorySchema) }) },
      security: [],
    },
    handler: async () => ({
      data: (await listCategories(db, false)).map((c) => ({
        key: c.key,
        labelZh: c.labelZh,
        labelEn: c.labelEn,
      })),
    }),
  });

  r.get('/portal/requests', {
    config: { public: true },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'My requests, newest first',
      querystring: listRequestsQuery,
      response: { 200: pageOf(requestSummarySchema) },
      security,
    },
    handler: async (req) => {
      const { limit, cursor } = req.query;
      const { rows, views } = await listMyRequests(db, who(req), limit, decodeCursor(cursor));
      await recordAudit(db, ctxOf(req), {
        action: 'ticket.list',
        targetType: 'ticket',
        targetId: null,
        after: { via: 'portal', count: views.length },
      });
      const page = toPage(rows, limit, (t) => ({ at: t.createdAt.toISOString(), id: t.id }));
      return { data: views, nextCursor: page.nextCursor };
    },
  });

  r.post('/portal/requests', {
    config: { public: true, rateLimit: publicLimit },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Submit a new request (channel portal)',
      body: submitRequestBody,
      response: { 201: dataOf(requestDetailSchema) },
      security,
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await submitRequest(db, ctxOf(req), who(req), req.body) }),
  });

  r.get('/portal/requests/:id', {
    config: { public: true },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'One of my requests with its public timeline',
      params: requestParams,
      response: { 200: dataOf(requestDetailSchema) },
      security,
    },
    handler: async (req) => {
      const data = await getMyRequest(db, who(req), req.params.id);
      await recordAudit(db, ctxOf(req), {
        action: 'ticket.read',
        targetType: 'ticket',
        targetId: data.id,
        after: { via: 'portal' },
      });
      return { data };
    },
  });

  r.post('/portal/requests/:id/replies', {
    config: { public: true, rateLimit: publicLimit },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Add my message to a request (a waiting request goes back to work)',
      params: requestParams,
      body: replyRequestBody,
      response: { 200: dataOf(requestDetailSchema) },
      security,
    },
    handler: async (req) => ({
      data: await replyToRequest(db, ctxOf(req), who(req), req.params.id, req.body),
    }),
  });

  r.post('/portal/requests/:id/attachments', {
    config: { public: true, rateLimit: publicLimit },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Attach a file to my request (always visible to the service)',
      description: `${multipartNote} The file is public on the request's timeline; name it in a reply's \`attachmentIds\` to send it with the message. 409 \`ticket_closed\` on a closed request.`,
      consumes: ['multipart/form-data'],
      params: requestParams,
      response: { 201: dataOf(portalAttachmentSchema) },
      security,
    },
    handler: async (req, reply) => {
      requireMultipart(req);
      // Someone else's or a closed request is refused before a byte is read.
      await checkUploadTarget(db, who(req), req.params.id);
      const settings = await getAttachmentSettings(db);
      const { file } = await receiveUpload(req, { maxBytes: settings.maxFileBytes, spoolDir });
      try {
        const data = await attachToMyRequest(files, ctxOf(req), who(req), req.params.id, file);
        // Returned, not sent: the answer goes out after `finally` has removed the spooled file.
        reply.code(201);
        return { data };
      } finally {
        await file.discard();
      }
    },
  });

  r.get('/portal/attachments/:id/content', {
    config: { public: true, rateLimit: publicLimit },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Download a public file of one of my requests (audited)',
      description:
        'Internal files and other customers’ files answer 404 like an unknown id. Served with ' +
        '`X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`.',
      params: attachmentParams,
      response: { 200: z.unknown().describe('The file bytes with their detected Content-Type') },
      security,
    },
    handler: async (req, reply) => {
      const file = await openMyAttachment(files, who(req), req.params.id);
      await recordAudit(db, ctxOf(req), {
        action: 'attachment.read',
        targetType: 'attachment',
        targetId: file.row.id,
        after: { via: 'portal', ticketId: file.row.ticketId },
      });
      return sendPortalFile(req, reply, file);
    },
  });

  r.post('/portal/requests/:id/decision', {
    config: { public: true },
    onRequest: signedIn,
    schema: {
      tags,
      summary: 'Confirm (closes) or reject (reopens, reason required) a resolution',
      params: requestParams,
      body: decisionBody,
      response: { 200: dataOf(requestDetailSchema) },
      security,
    },
    handler: async (req) => ({
      data: await decideRequest(db, ctxOf(req), who(req), req.params.id, req.body),
    }),
  });

  r.get('/portal/settings', {
    config: { permission: portalPolicy.readSettings },
    schema: {
      tags,
      summary: 'Portal settings: code validity, attempts, session length, intake user',
      response: { 200: dataOf(portalSettingsSchema) },
    },
    handler: async () => ({ data: await getPortalSettings(db) }),
  });

  r.patch('/portal/settings', {
    config: { permission: portalPolicy.updateSettings },
    schema: {
      tags,
      summary: 'Change portal settings',
      body: patchPortalSettingsBody,
      response: { 200: dataOf(portalSettingsSchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) => updatePortalSettings(tx, req.auditContext(), req.body)),
    }),
  });
}
