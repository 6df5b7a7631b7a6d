// Mail outbox (migrations 0006_mail_portal.sql, 0016_ops_customers.sql).
import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});
