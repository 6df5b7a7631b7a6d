// Ticket rules: custom field definitions, assignment rules, saved views, job leases
// (migration 0007_ticket_rules.sql). The ticket's `custom_fields` column and the split columns of
// `ticket_links` are mirrored in tickets.ts beside their tables.
import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export interface FieldOption {
  value: string;
  labelZh: string;
  labelEn: string;
}

export const ticketFieldDefinitions = pgTable('ticket_field_definitions', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en').notNull(),
  type: text('type').notNull(),
  options: jsonb('options').$type<FieldOption[]>().notNull().default([]),
  required: boolean('required').notNull().default(false),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull().default(0),
  categories: text('categories').array().notNull().default([]),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const ticketAssignmentRules = pgTable('ticket_assignment_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  active: boolean('active').notNull().default(true),
  categories: text('categories').array().notNull().default([]),
  channels: text('channels').array().notNull().default([]),
  customerTiers: text('customer_tiers').array().notNull().default([]),
  keywords: text('keywords').array().notNull().default([]),
  teamId: uuid('team_id').notNull(),
  strategy: text('strategy').notNull().default('least_loaded'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const ticketSavedViews = pgTable('ticket_saved_views', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerId: uuid('owner_id').notNull(),
  name: text('name').notNull(),
  search: text('search').notNull(),
  teamId: uuid('team_id'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const jobLeases = pgTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: at('expires_at').notNull(),
});
