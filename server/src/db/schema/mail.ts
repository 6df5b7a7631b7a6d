// Mail outbox (migrations 0006_mail_portal.sql, 0016_ops_customers.sql).
import { integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const mailOutbox = pgTable('mail_outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body'),
  template: text('template').notNull(),
  locale: text('locale').notNull().default('zh-CN'),
  ticketId: uuid('ticket_id'),
  status: text('status').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: at('next_attempt_at').notNull(),
  lastError: text('last_error'),
  sentAt: at('sent_at'),
  /** After this, a queued mail is marked `expired` instead of sent (migration 0016). */
  expiresAt: at('expires_at'),
  /** Threading and sender of a reply by mail (migration 0032). */
  messageId: text('message_id'),
  inReplyTo: text('in_reply_to'),
  referenceIds: text('reference_ids').array().notNull().default([]),
  fromHeader: text('from_header'),
  replyTo: text('reply_to'),
  /** The timeline entry (public reply) this mail carries. */
  eventId: uuid('event_id'),
  attachmentIds: uuid('attachment_ids').array().notNull().default([]),
  discardedAt: at('discarded_at'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** Administrators' versions of mail templates (migration 0032); no row = built-in text. */
export const mailTemplates = pgTable(
  'mail_templates',
  {
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.template, t.locale] })],
);
