import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { z } from 'zod';
import { pollUnderLease } from '../../jobs/mail-intake.js';
import { HttpProblem } from '../../lib/problem.js';
import { acceptHeld, getInboundRaw, listInbound, presentInbound } from './inbound.js';
import {
  createMailbox,
  deleteMailbox,
  findMailbox,
  listMailboxes,
  readInboundSettings,
  updateInboundSettings,
  updateMailbox,
} from './mailboxes.js';
import {
  discardMail,
  listOutbox,
  outboxCounts,
  presentOutbox,
  retryMail,
  ticketDeliveries,
} from './outbox.js';
import { listTemplates, previewTemplate, resetTemplate, saveTemplate } from './template-admin.js';
import { requireActor } from '../../context.js';
import { findVisibleTicket } from '../tickets/access.js';
import { mailPolicy } from './policy.js';
import { createSmtpReceiver } from './receiver.js';
import {
  createMailboxBody,
  inboundEntrySchema,
  inboundRawSchema,
  inboundSettingsSchema,
  listInboundQuery,
  listOutboxQuery,
  mailboxSchema,
  mailParams,
  mailStatusAnswer,
  deadLetterQuery,
  deliveriesQuery,
  deliverySchema,
  mailTemplateSchema,
  templateBody,
  templateParams,
  templatePreviewSchema,
  outboxEntrySchema,
  patchInboundSettingsBody,
  patchMailboxBody,
  pollResultSchema,
} from './schemas.js';
import { mailConfigured, publicUrlOf } from './sender.js';
import { encryptStoredPasswords, secretKeyFor } from './secret-box.js';
import { storageFor } from '../attachments/storage.js';

export async function mailRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['mail'];
  const key = secretKeyFor(config, app.log);
  const storage = storageFor(config);

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

  // ── Replies by mail: dead letters, deliveries, templates (issue 13) ─────────────────────
  r.get('/mail/dead-letters', {
    config: { permission: mailPolicy.deadLetters },
    schema: {
      tags,
      summary: 'Mail that could not be delivered after all its attempts, newest first',
      querystring: deadLetterQuery,
      response: { 200: pageOf(outboxEntrySchema) },
    },
    handler: async (req) => {
      const { ticketId, limit, cursor } = req.query;
      const rows = await listOutbox(
        db,
        { status: 'failed', ticketId },
        limit,
        decodeCursor(cursor),
      );
      const page = toPage(rows, limit, (m) => ({ at: m.createdAt.toISOString(), id: m.id }));
      await req.auditRead('mail', null, { deadLetters: true, count: page.data.length });
      return { data: page.data.map(presentOutbox), nextCursor: page.nextCursor };
    },
  });

  r.post('/mail/outbox/:id/discard', {
    config: { permission: mailPolicy.retry },
    schema: {
      tags,
      summary: 'Discard a failed mail (kept, marked discarded; the reply stays on its ticket)',
      params: mailParams,
      response: { 200: dataOf(outboxEntrySchema) },
    },
    handler: async (req) => ({ data: await discardMail(db, req.auditContext(), req.params.id) }),
  });

  r.get('/mail/deliveries', {
    config: { permission: mailPolicy.deliveries },
    schema: {
      tags,
      summary: "How a ticket's public replies fared by mail (queued, sent, not delivered)",
      querystring: deliveriesQuery,
      response: { 200: dataOf(z.array(deliverySchema)) },
    },
    handler: async (req) => {
      await findVisibleTicket(db, req.query.ticketId, requireActor(req.actor));
      return { data: await ticketDeliveries(db, req.query.ticketId) };
    },
  });

  r.get('/mail/templates', {
    config: { permission: mailPolicy.templates },
    schema: {
      tags,
      summary: 'Editable mail templates in each language (built-in text unless customized)',
      response: { 200: dataOf(z.array(mailTemplateSchema)) },
    },
    handler: async () => ({ data: await listTemplates(db) }),
  });

  r.put('/mail/templates/:template/:locale', {
    config: { permission: mailPolicy.templates },
    schema: {
      tags,
      summary:
        'Save a template (placeholders checked: unknown ones and missing required ones are 422)',
      params: templateParams,
      body: templateBody,
      response: { 200: dataOf(mailTemplateSchema) },
    },
    handler: async (req) => ({
      data: await saveTemplate(
        db,
        req.auditContext(),
        req.params.template,
        req.params.locale,
        req.body,
      ),
    }),
  });

  r.delete('/mail/templates/:template/:locale', {
    config: { permission: mailPolicy.templates },
    schema: {
      tags,
      summary: 'Back to the built-in text',
      params: templateParams,
      response: { 200: dataOf(mailTemplateSchema) },
    },
    handler: async (req) => ({
      data: await resetTemplate(db, req.auditContext(), req.params.template, req.params.locale),
    }),
  });

  r.post('/mail/templates/:template/:locale/preview', {
    config: { permission: mailPolicy.templates },
    schema: {
      tags,
      summary: 'The mail a template makes, with sample values (nothing is saved)',
      params: templateParams,
      body: templateBody,
      response: { 200: dataOf(templatePreviewSchema) },
    },
    handler: async (req) => ({
      data: previewTemplate(req.params.template, req.params.locale, req.body, publicUrlOf(config)),
    }),
  });

  // ── Inbound (issue 13) ──────────────────────────────────────────────────────────────────
  const receiver = createSmtpReceiver({ db, clock: app.deps.clock, log: app.log, storage });
  app.addHook('onReady', async () => {
    const n = await encryptStoredPasswords(db, key);
    if (n > 0) app.log.info({ mailboxes: n }, 'mailbox passwords encrypted at rest');
    await receiver.reconcile();
  });
  app.addHook('onClose', async () => receiver.stop());

  r.get('/mail/inbound/settings', {
    config: { permission: mailPolicy.configure },
    schema: {
      tags,
      summary: 'Inbound mail settings: the SMTP receiver, default category, limits, blocklist',
      response: { 200: dataOf(inboundSettingsSchema) },
    },
    handler: async () => ({
      data: { ...(await readInboundSettings(db)), receiver: receiver.state() },
    }),
  });

  r.patch('/mail/inbound/settings', {
    config: { permission: mailPolicy.configure },
    schema: {
      tags,
      summary: 'Change inbound mail settings (the SMTP receiver starts or stops to match)',
      body: patchInboundSettingsBody,
      response: { 200: dataOf(inboundSettingsSchema) },
    },
    handler: async (req) => {
      const saved = await updateInboundSettings(db, req.auditContext(), req.body);
      const state = await receiver.reconcile();
      return { data: { ...saved, receiver: state } };
    },
  });

  r.get('/mail/mailboxes', {
    config: { permission: mailPolicy.configure },
    schema: {
      tags,
      summary: 'IMAP mailboxes (passwords are never returned)',
      response: { 200: dataOf(z.array(mailboxSchema)) },
    },
    handler: async () => ({ data: await listMailboxes(db) }),
  });

  r.post('/mail/mailboxes', {
    config: { permission: mailPolicy.configure },
    schema: {
      tags,
      summary: 'Add an IMAP mailbox',
      body: createMailboxBody,
      response: { 201: dataOf(mailboxSchema) },
    },
    handler: async (req, reply) => {
      const data = await createMailbox(db, req.auditContext(), req.body, key);
      return reply.code(201).send({ data });
    },
  });

  r.patch('/mail/mailboxes/:id', {
    config: { permission: mailPolicy.configure },
    schema: {
      tags,
      summary: 'Change an IMAP mailbox (omit the password to keep it)',
      params: mailParams,
      body: patchMailboxBody,
      response: { 200: dataOf(mailboxSchema) },
    },
    handler: async (req) => ({
      data: await updateMailbox(db, req.auditContext(), req.params.id, req.body, key),
    }),
  });

  r.delete('/mail/mailboxes/:id', {
    config: { permission: mailPolicy.configure },
    schema: { tags, summary: 'Remove an IMAP mailbox', params: mailParams },
    handler: async (req, reply) => {
      await deleteMailbox(db, req.auditContext(), req.params.id);
      return reply.code(204).send();
    },
  });

  r.post('/mail/mailboxes/:id/poll', {
    config: { permission: mailPolicy.configure },
    schema: {
      tags,
      summary: 'Poll a mailbox now (also a connection test)',
      params: mailParams,
      response: { 200: dataOf(pollResultSchema) },
    },
    handler: async (req) => {
      await findMailbox(db, req.params.id);
      const result = await pollUnderLease(db, app.deps.clock, req.params.id, { key, storage });
      if (!result)
        throw new HttpProblem({
          status: 409,
          code: 'mailbox_busy',
          detail: 'Another process is polling this mailbox now; try again shortly.',
        });
      await req.auditRead('mailbox', req.params.id, { poll: true, fetched: result.fetched });
      return { data: result };
    },
  });

  r.get('/mail/inbound', {
    config: { permission: mailPolicy.inboundRead },
    schema: {
      tags,
      summary: 'Received mail, newest first, with what became of each message',
      querystring: listInboundQuery,
      response: { 200: pageOf(inboundEntrySchema) },
    },
    handler: async (req) => {
      const { outcome, ticketId, limit, cursor } = req.query;
      const rows = await listInbound(db, { outcome, ticketId }, limit, decodeCursor(cursor));
      const page = toPage(rows, limit, (m) => ({ at: m.createdAt.toISOString(), id: m.id }));
      await req.auditRead('mail_inbound', null, { outcome, ticketId, count: page.data.length });
      return { data: page.data.map(presentInbound), nextCursor: page.nextCursor };
    },
  });

  r.get('/mail/inbound/:id/raw', {
    config: { permission: mailPolicy.inboundRead },
    schema: {
      tags,
      summary: 'The raw message as received',
      params: mailParams,
      response: { 200: dataOf(inboundRawSchema) },
    },
    handler: async (req) => {
      const row = await getInboundRaw(db, req.params.id);
      await req.auditRead('mail_inbound', row.id, { raw: true });
      return { data: { id: row.id, raw: row.raw } };
    },
  });

  r.post('/mail/inbound/:id/accept', {
    config: { permission: mailPolicy.inboundAccept },
    schema: {
      tags,
      summary: 'Accept a held reply (unknown sender on a known thread) onto its ticket',
      params: mailParams,
      response: { 200: dataOf(inboundEntrySchema) },
    },
    handler: async (req) => ({
      data: await acceptHeld(db, req.auditContext(), req.params.id),
    }),
  });
}
