// Email as a channel, inbound: settings, IMAP mailboxes, received messages (migration 0024).
import { boolean, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const mailInboundSettings = pgTable('mail_inbound_settings', {
  id: boolean('id').primaryKey().default(true),
  smtpEnabled: boolean('smtp_enabled').notNull(),
  smtpHost: text('smtp_host').notNull(),
  smtpPort: integer('smtp_port').notNull(),
  smtpTeamId: uuid('smtp_team_id'),
  defaultCategory: text('default_category').notNull(),
  senderLimit: integer('sender_limit').notNull(),
  senderWindowMinutes: integer('sender_window_minutes').notNull(),
  maxMessageBytes: integer('max_message_bytes').notNull(),
  blocklist: text('blocklist').array().notNull(),
  updatedAt: at('updated_at'),
});

export const mailMailboxes = pgTable('mail_mailboxes', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  host: text('host').notNull(),
  port: integer('port').notNull(),
  tls: boolean('tls').notNull(),
  username: text('username').notNull(),
  /** Never returned by the API. */
  password: text('password').notNull(),
  folder: text('folder').notNull(),
  teamId: uuid('team_id'),
  category: text('category'),
  pollSeconds: integer('poll_seconds').notNull(),
  active: boolean('active').notNull(),
  lastPolledAt: at('last_polled_at'),
  lastError: text('last_error'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const mailInbound = pgTable('mail_inbound', {
  id: uuid('id').primaryKey().defaultRandom(),
  messageId: text('message_id').notNull(),
  source: text('source').notNull(),
  mailboxId: uuid('mailbox_id'),
  fromAddress: text('from_address'),
  subject: text('subject').notNull(),
  inReplyTo: text('in_reply_to').array().notNull(),
  arrivedAt: at('arrived_at').notNull(),
  outcome: text('outcome').notNull(),
  reason: text('reason'),
  ticketId: uuid('ticket_id'),
  sizeBytes: integer('size_bytes').notNull(),
  raw: text('raw').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});
