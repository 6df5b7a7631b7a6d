import { boolean, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

/** Web chat (migration 0025_chat.sql, docs/chat.md). */
export const chatSettings = pgTable('chat_settings', {
  id: boolean('id').primaryKey().default(true),
  enabled: boolean('enabled').notNull(),
  agentConcurrency: integer('agent_concurrency').notNull(),
  botEnabled: boolean('bot_enabled').notNull(),
  botAnswers: integer('bot_answers').notNull(),
  botMaxMisses: integer('bot_max_misses').notNull(),
  ticketCategory: text('ticket_category').notNull(),
  visitorCookieDays: integer('visitor_cookie_days').notNull(),
  idleCloseMinutes: integer('idle_close_minutes').notNull().default(15),
  updatedAt: at('updated_at').notNull(),
});

export const chatSites = pgTable('chat_sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  publicKey: text('public_key').notNull(),
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const chatConversations = pgTable('chat_conversations', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull(),
  visitorKey: text('visitor_key').notNull(),
  identified: boolean('identified').notNull().default(false),
  state: text('state').notNull(),
  botMisses: integer('bot_misses').notNull().default(0),
  ticketId: uuid('ticket_id'),
  customerId: uuid('customer_id'),
  agentId: uuid('agent_id'),
  teamId: uuid('team_id'),
  lastSeq: integer('last_seq').notNull().default(0),
  visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
  agentReadSeq: integer('agent_read_seq').notNull().default(0),
  queuedAt: at('queued_at'),
  acceptedAt: at('accepted_at'),
  firstResponseAt: at('first_response_at'),
  closedAt: at('closed_at'),
  rating: integer('rating'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const chatMessages = pgTable(
  'chat_messages',
  {
    conversationId: uuid('conversation_id').notNull(),
    seq: integer('seq').notNull(),
    author: text('author').notNull(),
    agentId: uuid('agent_id'),
    clientId: text('client_id'),
    body: text('body').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
);
