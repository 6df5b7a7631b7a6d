// Customer portal: accounts, one-time sign-in codes, sessions, settings (migration 0006).
import { boolean, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const portalSettings = pgTable('portal_settings', {
  id: boolean('id').primaryKey().default(true),
  codeTtlMinutes: integer('code_ttl_minutes').notNull(),
  codeMaxAttempts: integer('code_max_attempts').notNull(),
  sessionTtlHours: integer('session_ttl_hours').notNull(),
  intakeUserId: uuid('intake_user_id'),
  updatedAt: at('updated_at'),
});

export const portalAccounts = pgTable('portal_accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  customerId: uuid('customer_id').notNull(),
  passwordHash: text('password_hash'),
  locale: text('locale').notNull().default('zh-CN'),
  failedSignIns: integer('failed_sign_ins').notNull().default(0),
  lockedUntil: at('locked_until'),
  lastSignInAt: at('last_sign_in_at'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const portalSignInCodes = pgTable('portal_sign_in_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  createdAt: at('created_at').notNull(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
});

export const portalSessions = pgTable('portal_sessions', {
  id: text('id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  csrfToken: text('csrf_token').notNull(),
  method: text('method').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  createdAt: at('created_at').notNull(),
  lastSeenAt: at('last_seen_at').notNull(),
  expiresAt: at('expires_at').notNull(),
});
