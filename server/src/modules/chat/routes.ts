import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { kbArticles, kbVersions } from '../../db/schema/index.js';
import { dataOf, noContent } from '../../lib/http.js';
import { problems } from '../../lib/problem.js';
import { storeTicketAttachment } from '../attachments/service.js';
import { getAttachmentSettings } from '../attachments/settings.js';
import { spoolDirFor, storageFor } from '../attachments/storage.js';
import { receiveUpload, requireMultipart } from '../attachments/upload.js';
import { systemContext } from '../tickets/access.js';
import { chatPolicy, seesQueueStats } from './policy.js';
import {
  agentMessageBody,
  cannedSchema,
  conversationSchema,
  createSiteBody,
  messageSchema,
  queueSchema,
  settingsPatch,
  settingsSchema,
  siteSchema,
  transferBody,
  visitBody,
  visitSchema,
  visitorFileSchema,
} from './schemas.js';
import { getChatSettings, updateChatSettings } from './settings.js';

const idParams = z.object({ id: z.uuid() });

/** Plain text of a script's HTML body, for a canned reply. */
const plain = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The chat REST routes, under /api/v1 (the WebSocket endpoints are in ws.ts). */
export async function chatRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock, config } = app.deps;
  const chat = app.chat;

  // The widget runs on the customer's own site, another origin: its two public endpoints answer
  // cross-origin requests. No credentials are involved (the site key and visitor token travel in the
  // body and headers, never cookies), so any origin may call them; everything else stays same-origin.
  const PUBLIC_CHAT = '/api/v1/public/chat/';
  r.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith(PUBLIC_CHAT)) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header(
      'access-control-allow-headers',
      'content-type, x-kefu-chat-key, x-kefu-chat-token',
    );
    reply.header('access-control-max-age', '600');
  });
  r.options('/public/chat/*', {
    config: { public: true },
    schema: { hide: true },
    handler: async (_req, reply) => reply.code(204).send(),
  });
  const tags = ['chat'];
  const rateLimit = { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' };

  r.post('/public/chat/visit', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'The widget starts or resumes a visit: visitor token, conversation, open or not',
      body: visitBody,
      response: { 200: dataOf(visitSchema) },
      security: [],
    },
    handler: async (req) => ({ data: await chat.visit(req.body, clock.now()) }),
  });

  const uploadDeps = { db, storage: storageFor(config) };
  const spoolDir = spoolDirFor(config);
  r.post('/public/chat/conversations/:id/files', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary:
        "The visitor sends a file (multipart, part `file`, optional field `clientId`): stored on the conversation's ticket with the ticket attachments' limits and type checks",
      description:
        'Authenticated by the headers `x-kefu-chat-key` (site key) and `x-kefu-chat-token` (visitor token). 409 `no_person_yet` while the FAQ assistant has the conversation.',
      consumes: ['multipart/form-data'],
      params: idParams,
      response: { 201: dataOf(visitorFileSchema) },
      security: [],
    },
    handler: async (req, reply) => {
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : '';
      };
      requireMultipart(req);
      // Refused before a byte is read: wrong site, token or conversation; no ticket yet.
      const conv = await chat.authorizeVisitor(
        header('x-kefu-chat-key'),
        header('x-kefu-chat-token'),
        req.params.id,
      );
      if (!conv) throw problems.notFound('Conversation', 'id');
      const target = await chat.uploadTarget(conv);
      const settings = await getAttachmentSettings(db);
      const { file, fields } = await receiveUpload(req, {
        maxBytes: settings.maxFileBytes,
        spoolDir,
      });
      try {
        const now = clock.now();
        const stored = await storeTicketAttachment(
          uploadDeps,
          { ...systemContext(now, 'customer:portal'), ip: req.ip },
          {
            ticketId: target.ticketId,
            by: { kind: 'customer', customerId: target.customerId },
            visibility: 'public',
            file,
          },
        );
        const attachment = {
          id: stored.id,
          filename: stored.filename,
          mimeType: stored.mimeType,
          size: stored.size,
        };
        const clientId = /^[\w-]{1,64}$/.test(fields.clientId ?? '')
          ? fields.clientId!
          : `file-${stored.id}`;
        const sent = await chat.visitorFile(req.params.id, { clientId, attachment }, now);
        reply.code(201);
        return { data: { seq: sent.seq, attachment } };
      } finally {
        await file.discard();
      }
    },
  });

  r.get('/chat/queue', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: 'Waiting conversations (with waiting time) and mine; queue stats for supervisors',
      response: { 200: dataOf(queueSchema) },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      return { data: await chat.queue(actor, clock.now(), seesQueueStats(actor.roles)) };
    },
  });

  r.get('/chat/conversations/:id', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: 'A conversation with its messages',
      params: idParams,
      response: { 200: dataOf(conversationSchema) },
    },
    handler: async (req) => ({
      data: await chat.conversation(requireActor(req.actor), req.params.id),
    }),
  });

  r.post('/chat/conversations/:id/accept', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: 'Take a waiting conversation (409 not_waiting, 409 concurrency_limit)',
      params: idParams,
      response: { 200: dataOf(conversationSchema) },
    },
    handler: async (req) => ({
      data: await chat.accept(req.auditContext(), requireActor(req.actor), req.params.id),
    }),
  });

  r.post('/chat/conversations/:id/messages', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: 'Reply in a conversation you handle (the same clientId twice is one message)',
      params: idParams,
      body: agentMessageBody,
      response: { 201: dataOf(messageSchema) },
    },
    handler: async (req, reply) => {
      const data = await chat.agentMessage(
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      );
      return reply.code(201).send({ data });
    },
  });

  r.post('/chat/conversations/:id/transfer', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: 'Hand a conversation to another agent or back to the queue of a team',
      params: idParams,
      body: transferBody,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await chat.transfer(req.auditContext(), requireActor(req.actor), req.params.id, req.body);
      return reply.code(204).send(null);
    },
  });

  r.post('/chat/conversations/:id/close', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: 'End a conversation you handle (the visitor is asked to rate it)',
      params: idParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await chat.close(req.auditContext(), requireActor(req.actor), req.params.id);
      return reply.code(204).send(null);
    },
  });

  r.get('/chat/canned-replies', {
    config: { permission: chatPolicy.work },
    schema: {
      tags,
      summary: "Canned replies: the service manual's live scripts",
      response: { 200: dataOf(z.array(cannedSchema)) },
    },
    handler: async () => {
      const rows = await db
        .select({ id: kbArticles.id, title: kbArticles.title, body: kbVersions.body })
        .from(kbArticles)
        .innerJoin(kbVersions, eq(kbVersions.id, kbArticles.liveVersionId))
        .where(and(eq(kbArticles.type, 'script'), isNotNull(kbArticles.liveVersionId)))
        .orderBy(asc(kbArticles.title))
        .limit(200);
      return { data: rows.map((x) => ({ ...x, body: plain(x.body).slice(0, 2000) })) };
    },
  });

  r.get('/chat/settings', {
    config: { permission: chatPolicy.settingsRead },
    schema: { tags, summary: 'Chat settings', response: { 200: dataOf(settingsSchema) } },
    handler: async () => ({ data: await getChatSettings(db) }),
  });

  r.patch('/chat/settings', {
    config: { permission: chatPolicy.settingsManage },
    schema: {
      tags,
      summary: 'Change chat settings (concurrency per agent, FAQ assistant, ticket category)',
      body: settingsPatch,
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) => updateChatSettings(tx, req.auditContext(), req.body)),
    }),
  });

  r.get('/chat/sites', {
    config: { permission: chatPolicy.settingsRead },
    schema: {
      tags,
      summary: 'Sites that embed the widget (key and HMAC secret)',
      response: { 200: dataOf(z.array(siteSchema)) },
    },
    handler: async () => ({ data: await chat.listSites() }),
  });

  r.post('/chat/sites', {
    config: { permission: chatPolicy.settingsManage },
    schema: {
      tags,
      summary: 'Register a site: a public key for data-kefu-key and a secret for user HMACs',
      body: createSiteBody,
      response: { 201: dataOf(siteSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await chat.createSite(req.auditContext(), req.body) }),
  });
}
