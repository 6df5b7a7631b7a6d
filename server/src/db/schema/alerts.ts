// Staff alerts (migration 0033_alerts.sql): channels, the event outbox, deliveries.
import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const alertChannels = pgTable('alert_channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  teamId: uuid('team_id'),
  eventTypes: text('event_types').array().notNull(),
  channelType: text('channel_type').notNull(),
  msgType: text('msg_type').notNull(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const alertEvents = pgTable('alert_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventType: text('event_type').notNull(),
  ticketId: uuid('ticket_id'),
  teamId: uuid('team_id'),
  occurredAt: at('occurred_at').notNull(),
  data: jsonb('data').notNull(),
  fannedOutAt: at('fanned_out_at'),
});

export const alertDeliveries = pgTable('alert_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id'),
  channelId: uuid('channel_id').notNull(),
  eventType: text('event_type').notNull(),
  payload: jsonb('payload').notNull(),
  status: text('status').notNull(),
  attempts: integer('attempts').notNull(),
  nextAttemptAt: at('next_attempt_at').notNull(),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  createdAt: at('created_at').notNull(),
  deliveredAt: at('delivered_at'),
});

/** SMS gateway and retry settings (migration 0040): NULL columns fall back to the environment. */
export const alertSettings = pgTable('alert_settings', {
  id: boolean('id').primaryKey().default(true),
  smsProvider: text('sms_provider'),
  smsAccessKeyId: text('sms_access_key_id'),
  /** Sealed (lib/secret-box.ts); never returned by the API. */
  smsAccessKeySecret: text('sms_access_key_secret'),
  smsSignName: text('sms_sign_name'),
  smsTemplate: text('sms_template'),
  smsTemplateParam: text('sms_template_param'),
  smsAppId: text('sms_app_id'),
  smsRegion: text('sms_region'),
  smsEndpoint: text('sms_endpoint'),
  maxAttempts: integer('max_attempts'),
  retrySeconds: integer('retry_seconds'),
  updatedAt: at('updated_at'),
});
