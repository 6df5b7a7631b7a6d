// Tickets area: customers, tickets, timeline, confirmations, return visits, links, categories,
// settings, per-year number sequences, notifications (migration 0002_tickets.sql).
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  phone: text('phone'),
  email: text('email'),
  wechat: text('wechat'),
  organisation: text('organisation'),
  tier: text('tier').notNull().default('regular'),
  notes: text('notes').notNull().default(''),
  consentContact: boolean('consent_contact').notNull().default(false),
  consentMarketing: boolean('consent_marketing').notNull().default(false),
  /** Agent replies go out by mail even on tickets that came by another channel (migration 0040). */
  prefersEmail: boolean('prefers_email').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  /** Set when this (duplicate) customer was merged into another (migration 0016). */
  mergedInto: uuid('merged_into'),
  mergedAt: at('merged_at'),
});

export const ticketSettings = pgTable('ticket_settings', {
  id: boolean('id').primaryKey().default(true),
  autoCloseDays: integer('auto_close_days').notNull(),
  reopenWindowDays: integer('reopen_window_days').notNull(),
  archiveAfterDays: integer('archive_after_days').notNull(),
  confirmationLinkDays: integer('confirmation_link_days').notNull(),
  timeZone: text('time_zone').notNull(),
  updatedAt: at('updated_at'),
});

export const ticketCategories = pgTable('ticket_categories', {
  key: text('key').primaryKey(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en').notNull(),
  defaultTier: text('default_tier').notNull(),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const ticketNumberSequences = pgTable('ticket_number_sequences', {
  year: integer('year').primaryKey(),
  lastValue: integer('last_value').notNull(),
});

// Not mapped: `search_terms` (tsvector, generated from number, subject and description; migration
// 0039), read only by the text search of tickets/queries.ts, never selected into a row.
export const tickets = pgTable('tickets', {
  id: uuid('id').primaryKey().defaultRandom(),
  number: text('number').notNull(),
  channel: text('channel').notNull(),
  category: text('category').notNull(),
  tier: text('tier').notNull(),
  priority: text('priority').notNull(),
  subject: text('subject').notNull(),
  description: text('description').notNull().default(''),
  customerId: uuid('customer_id').notNull(),
  receivedAt: at('received_at').notNull(),
  registeredAt: at('registered_at').notNull(),
  registeredBy: uuid('registered_by').notNull(),
  receivingAgentId: uuid('receiving_agent_id').notNull(),
  ownerId: uuid('owner_id').notNull(),
  teamId: uuid('team_id'),
  handlerId: uuid('handler_id'),
  status: text('status').notNull().default('new'),
  greenChannel: boolean('green_channel').notNull().default(false),
  tags: text('tags').array().notNull().default([]),
  version: integer('version').notNull().default(1),
  firstResponseAt: at('first_response_at'),
  acceptedAt: at('accepted_at'),
  resolvedAt: at('resolved_at'),
  confirmedAt: at('confirmed_at'),
  closedAt: at('closed_at'),
  closeKind: text('close_kind'),
  archivedAt: at('archived_at'),
  followUpReason: text('follow_up_reason'),
  followUpPlan: text('follow_up_plan'),
  followUpDueAt: at('follow_up_due_at'),
  followUpDoneAt: at('follow_up_done_at'),
  mergedIntoId: uuid('merged_into_id'),
  // Custom field values by definition key (0007_ticket_rules.sql).
  customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
  // Earliest due / warning time of the counting SLA clocks (0008_ticket_queue_indexes.sql).
  slaDueAt: at('sla_due_at'),
  slaWarnAt: at('sla_warn_at'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const ticketEvents = pgTable('ticket_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  ticketId: uuid('ticket_id').notNull(),
  kind: text('kind').notNull(),
  at: at('at').notNull(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  visibility: text('visibility').notNull(),
  body: text('body'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
});

export const ticketReturnVisits = pgTable('ticket_return_visits', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketId: uuid('ticket_id').notNull(),
  visitedAt: at('visited_at').notNull(),
  byId: uuid('by_id').notNull(),
  outcome: text('outcome').notNull(),
  customerAccepted: boolean('customer_accepted').notNull(),
  createdAt: at('created_at').notNull(),
});

/** Migration 0013: the handling plan (处理方案) of a complaint or L3 ticket. */
export const ticketHandlingPlans = pgTable('ticket_handling_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketId: uuid('ticket_id').notNull(),
  body: text('body').notNull(),
  ownerId: uuid('owner_id').notNull(),
  dueAt: at('due_at').notNull(),
  public: boolean('public').notNull().default(false),
  revision: integer('revision').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: at('updated_at').notNull(),
});

export const ticketConfirmations = pgTable('ticket_confirmations', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketId: uuid('ticket_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  sentTo: text('sent_to'),
  createdAt: at('created_at').notNull(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  decision: text('decision'),
  reason: text('reason'),
  revokedAt: at('revoked_at'),
});

export const ticketLinks = pgTable(
  'ticket_links',
  {
    ticketA: uuid('ticket_a').notNull(),
    ticketB: uuid('ticket_b').notNull(),
    kind: text('kind').notNull().default('related'),
    // The ticket that was split, for kind 'split' (0007_ticket_rules.sql).
    sourceId: uuid('source_id'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketA, t.ticketB] })],
);

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  kind: text('kind').notNull(),
  ticketId: uuid('ticket_id'),
  title: text('title').notNull(),
  createdAt: at('created_at').notNull(),
  readAt: at('read_at'),
});
