// SLA escalation (migration 0009_sla_escalation.sql): the engine's workspace settings and what
// the tickets module did for each fired warning or breach.
import { boolean, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const slaSettings = pgTable('sla_settings', {
  id: boolean('id').primaryKey().default(true),
  offHoursAckEnabled: boolean('off_hours_ack_enabled').notNull(),
  offHoursAckChannels: text('off_hours_ack_channels').array().notNull(),
  offHoursAckZh: text('off_hours_ack_zh').notNull(),
  offHoursAckEn: text('off_hours_ack_en').notNull(),
  emailOnBreach: boolean('email_on_breach').notNull(),
  /** Warn when a calendar's holiday data ends within this many days (migration 0014). */
  calendarWarningDays: integer('calendar_warning_days').notNull().default(60),
  updatedAt: at('updated_at'),
});

export const slaEventActions = pgTable(
  'sla_event_actions',
  {
    clockId: uuid('clock_id').notNull(),
    kind: text('kind').$type<'warning' | 'breach'>().notNull(),
    occurrence: integer('occurrence').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    targetKind: text('target_kind').notNull(),
    policyVersion: integer('policy_version').notNull(),
    policyKey: text('policy_key').notNull(),
    dueAt: at('due_at').notNull(),
    escalation: jsonb('escalation').$type<Record<string, unknown>>().notNull(),
    notified: integer('notified').notNull().default(0),
    actions: jsonb('actions').$type<Record<string, unknown> | null>(),
    firedAt: at('fired_at').notNull(),
    appliedAt: at('applied_at'),
  },
  (t) => [primaryKey({ columns: [t.clockId, t.kind, t.occurrence] })],
);
