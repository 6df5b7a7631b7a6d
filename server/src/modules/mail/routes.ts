import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { listOutbox, outboxCounts, presentOutbox, retryMail } from './outbox.js';
import { mailPolicy } from './policy.js';
import { listOutboxQuery, mailParams, mailStatusAnswer, outboxEntrySchema } from './schemas.js';
import { mailConfigured } from './sender.js';

export async function mailRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['mail'];

  r.get('/mail/status', {
    config: { permission: mailPolicy.read },
    schema: {
      tags,
      summary: 'Whether mail is configured, and how many mails are queued, sent, failed',
      response: { 200: dataOf(mailStatusAnswer) },
    },
    handler: async () => ({
      data: {
        configured: mailConfigured(config),
        from: config.KEFU_MAIL_FROM ?? null,
        counts: await outboxCounts(db),
      },
    }),
  });

  r.get('/mail/outbox', {
    config: { permission: mailPolicy.read },
    schema: {
      tags,
      summary: 'The mail outbox, newest first (bodies are never shown)',
      querystring: listOutboxQuery,
      response: { 200: pageOf(outboxEntrySchema) },
    },
    handler: async (req) => {
      const { status, ticketId, limit, cursor } = req.query;
      const rows = await listOutbox(db, { status, ticketId }, limit, decodeCursor(cursor));
      const page = toPage(rows, limit, (m) => ({ at: m.createdAt.toISOString(), id: m.id }));
      await req.auditRead('mail', null, { status, ticketId, count: page.data.length });
      return { data: page.data.map(presentOutbox), nextCursor: page.nextCursor };
    },
  });

  r.post('/mail/outbox/:id/retry', {
    config: { permission: mailPolicy.retry },
    schema: {
      tags,
      summary: 'Queue a failed mail again (a fresh set of attempts)',
      params: mailParams,
      response: { 200: dataOf(outboxEntrySchema) },
    },
    handler: async (req) => ({ data: await retryMail(db, req.auditContext(), req.params.id) }),
  });
}
