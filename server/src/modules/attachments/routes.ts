import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { permits } from '../../access/permissions.js';
import type { Actor } from '../../access/actor.js';
import { requireActor } from '../../context.js';
import { kbArticles } from '../../db/schema/index.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { actorFromSession, actorFromToken, SESSION_COOKIE } from '../auth/sessions.js';
import { kbPolicy } from '../kb/policy.js';
import { findVisibleTicket } from '../tickets/access.js';
import { attachmentsPolicy } from './policy.js';
import { contentDisposition } from './rules/filename.js';
import { INLINE_TYPES, servedType } from './rules/content-type.js';
import {
  articleImageSchema,
  attachmentSchema,
  idParams,
  listQuery,
  multipartNote,
  settingsPatch,
  settingsSchema,
  ticketUploadFields,
} from './schemas.js';
import {
  listTicketAttachments,
  openArticleImage,
  openTicketAttachment,
  storeArticleImage,
  storeTicketAttachment,
  type OpenedFile,
} from './service.js';
import { getAttachmentSettings, updateAttachmentSettings } from './settings.js';
import { spoolDirFor, storageFor } from './storage.js';
import { receiveUpload, requireMultipart } from './upload.js';

const fileResponse = z.unknown().describe('The file bytes with their detected Content-Type');

/** Safe download headers: the stored (detected) type, no sniffing, no script ever running. */
function sendFile(req: FastifyRequest, reply: FastifyReply, file: OpenedFile, cache: string) {
  const { row } = file;
  const etag = `"${row.sha256}"`;
  const inline = INLINE_TYPES.includes(row.mimeType);
  reply
    .header('content-type', servedType(row.mimeType))
    .header(
      'content-disposition',
      contentDisposition(inline ? 'inline' : 'attachment', row.filename),
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', 'sandbox')
    .header('cache-control', cache)
    .header('etag', etag);
  if (req.headers['if-none-match'] === etag) {
    file.body.destroy();
    return reply.code(304).send();
  }
  reply.header('content-length', row.sizeBytes);
  return reply.send(file.body);
}

export async function attachmentsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock, config } = app.deps;
  const deps = { db, storage: storageFor(config) };
  const spoolDir = spoolDirFor(config);
  const tags = ['attachments'];

  r.post('/tickets/:id/attachments', {
    config: { permission: attachmentsPolicy.upload },
    schema: {
      tags,
      summary: 'Attach a file to a ticket (multipart; field `visibility`: public | internal)',
      description: `${multipartNote} Default visibility: internal. Each upload is an \`attachment\` timeline entry.`,
      consumes: ['multipart/form-data'],
      params: idParams,
      response: { 201: dataOf(attachmentSchema) },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      requireMultipart(req);
      // An invisible or unknown ticket is refused before a byte is read.
      await findVisibleTicket(db, req.params.id, actor);
      const settings = await getAttachmentSettings(db);
      const { file, fields } = await receiveUpload(req, {
        maxBytes: settings.maxFileBytes,
        spoolDir,
      });
      try {
        const parsed = ticketUploadFields.safeParse(fields);
        if (!parsed.success) {
          throw new HttpProblem({
            status: 400,
            code: 'invalid_request',
            detail: 'The form fields are invalid.',
            errors: parsed.error.issues.map((i) => ({
              path: i.path.join('.') || 'visibility',
              message: i.message,
              code: i.code,
            })),
          });
        }
        const data = await storeTicketAttachment(deps, req.auditContext(), {
          ticketId: req.params.id,
          by: { kind: 'staff', actor },
          visibility: parsed.data.visibility,
          file,
        });
        // Returned, not sent: the answer goes out after `finally` has removed the spooled file.
        reply.code(201);
        return { data };
      } finally {
        await file.discard();
      }
    },
  });

  r.get('/tickets/:id/attachments', {
    config: { permission: attachmentsPolicy.read },
    schema: {
      tags,
      summary: "A ticket's files, oldest first",
      params: idParams,
      querystring: listQuery,
      response: { 200: pageOf(attachmentSchema) },
    },
    handler: async (req) =>
      listTicketAttachments(db, requireActor(req.actor), req.params.id, req.query),
  });

  r.get('/attachments/:id/content', {
    config: { permission: attachmentsPolicy.read },
    schema: {
      tags,
      summary: 'Download a ticket file (whoever may read the ticket; audited)',
      description:
        'Served as an attachment (raster images inline) with `X-Content-Type-Options: nosniff` ' +
        'and `Content-Security-Policy: sandbox`.',
      params: idParams,
      response: { 200: fileResponse },
    },
    handler: async (req, reply) => {
      const file = await openTicketAttachment(deps, requireActor(req.actor), req.params.id);
      await req.auditRead('attachment', req.params.id);
      return sendFile(req, reply, file, 'private, no-cache');
    },
  });

  r.post('/kb/articles/:id/images', {
    config: { permission: attachmentsPolicy.kbImageUpload },
    schema: {
      tags: ['kb'],
      summary: 'Upload an image for an article body; answers its URL and Markdown',
      description: `${multipartNote} Images only, up to the image size limit.`,
      consumes: ['multipart/form-data'],
      params: idParams,
      response: { 201: dataOf(articleImageSchema) },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      requireMultipart(req);
      const [article] = await db
        .select({ id: kbArticles.id })
        .from(kbArticles)
        .where(eq(kbArticles.id, req.params.id));
      if (!article) throw problems.notFound('Article', 'id');
      const settings = await getAttachmentSettings(db);
      const { file } = await receiveUpload(req, { maxBytes: settings.maxImageBytes, spoolDir });
      try {
        const data = await storeArticleImage(deps, req.auditContext(), actor, req.params.id, file);
        // Returned, not sent: the answer goes out after `finally` has removed the spooled file.
        reply.code(201);
        return { data };
      } finally {
        await file.discard();
      }
    },
  });

  /** Staff behind a session or token, for the one route that is public for some images. */
  async function staffReader(req: FastifyRequest): Promise<boolean> {
    const now = clock.now();
    const auth = req.headers.authorization;
    const secret = req.cookies[SESSION_COOKIE];
    let actor: Actor | null = null;
    if (auth?.startsWith('Bearer ')) actor = await actorFromToken(db, auth.slice(7).trim(), now);
    else if (secret) actor = await actorFromSession(db, secret, now, config.KEFU_SESSION_TTL_HOURS);
    return actor !== null && permits(actor, kbPolicy.read);
  }

  r.get('/kb/images/:id', {
    config: {
      public: true,
      rateLimit: { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' },
    },
    schema: {
      tags: ['kb'],
      summary: 'An article image (staff: any; public: images used by a live public article)',
      description:
        'One URL for the editor and the help centre. Without a staff session or token the ' +
        'image is served only when a live article for all customers uses it; else 404.',
      params: idParams,
      response: { 200: fileResponse },
    },
    handler: async (req, reply) => {
      const isStaff = await staffReader(req);
      const file = await openArticleImage(deps, req.params.id, { staff: isStaff });
      return sendFile(req, reply, file, isStaff ? 'private, no-cache' : 'public, max-age=300');
    },
  });

  r.get('/attachment-settings', {
    config: { permission: attachmentsPolicy.settingsRead },
    schema: {
      tags,
      summary: 'Upload limits and allowed types',
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async () => ({ data: await getAttachmentSettings(db) }),
  });

  r.patch('/attachment-settings', {
    config: { permission: attachmentsPolicy.settingsManage },
    schema: {
      tags,
      summary: 'Change upload limits and allowed types (administrators; audited)',
      body: settingsPatch,
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) =>
        updateAttachmentSettings(tx, req.auditContext(), req.body),
      ),
    }),
  });
}
