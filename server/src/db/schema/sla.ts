// SLA engine (migration 0004_sla.sql): calendars and their days, policy versions, clocks, events.
// `teams.calendar_id` (added by the same migration) is read with SQL in modules/sla.
import {
  bigint,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { at } from './columns.js';

const ms = (name: string) => bigint(name, { mode: 'number' });

export interface SlaInterval {
  start: string;
  end: string;
}

export const slaCalendars = pgTable('sla_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  seedKey: text('seed_key'),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  weekly: jsonb('weekly').$type<SlaInterval[][]>().notNull(),
  makeUpHours: jsonb('make_up_hours').$type<SlaInterval[] | null>(),
  isDefault: boolean('is_default').notNull().default(false),
  bundledYears: integer('bundled_years').array().notNull().default([]),
  revision: integer('revision').notNull().default(1),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const slaCalendarDays = pgTable(
  'sla_calendar_days',
  {
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => slaCalendars.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
    name: text('name').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

export const slaPolicyVersions = pgTable('sla_policy_versions', {
  version: integer('version').primaryKey(),
  policies: jsonb('policies').$type<unknown[]>().notNull(),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdByName: text('created_by_name'),
  createdAt: at('created_at').notNull(),
});

export type SlaClockState = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';
export type SlaClockOutcome = 'met' | 'missed' | 'cancelled';

export const slaClocks = pgTable('sla_clocks', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketId: uuid('ticket_id').notNull(),
  policyVersion: integer('policy_version').notNull(),
  policyKey: text('policy_key').notNull(),
  kind: text('kind').notNull(),
  occurrence: integer('occurrence').notNull().default(1),
  calendarId: uuid('calendar_id'),
  limitMs: ms('limit_ms').notNull(),
  warnAfterMs: ms('warn_after_ms').notNull(),
  pauses: boolean('pauses').notNull(),
  repeats: boolean('repeats').notNull(),
  state: text('state').$type<SlaClockState>().notNull(),
  startedAt: at('started_at').notNull(),
  warnAt: at('warn_at').notNull(),
  dueAt: at('due_at').notNull(),
  pausedSince: at('paused_since'),
  pausedMs: ms('paused_ms').notNull().default(0),
  warnedAt: at('warned_at'),
  breachedAt: at('breached_at'),
  metAt: at('met_at'),
  cancelledAt: at('cancelled_at'),
  breached: boolean('breached').notNull().default(false),
  businessMsUsed: ms('business_ms_used'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  /** Migration 0013: how the clock ended (null while open). */
  outcome: text('outcome').$type<SlaClockOutcome>(),
  /** Migration 0013: 'rework' = a resolution clock started by a reopening. */
  cause: text('cause').$type<'rework'>(),
});

export const slaTimers = pgTable('sla_timers', {
  clockId: uuid('clock_id').notNull(),
  kind: text('kind').$type<'warning' | 'breach'>().notNull(),
  fireAt: at('fire_at').notNull(),
});

export const slaEvents = pgTable(
  'sla_events',
  {
    clockId: uuid('clock_id').notNull(),
    kind: text('kind').$type<'warning' | 'breach'>().notNull(),
    occurrence: integer('occurrence').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    targetKind: text('target_kind').notNull(),
    policyVersion: integer('policy_version').notNull(),
    policyKey: text('policy_key').notNull(),
    dueAt: at('due_at').notNull(),
    at: at('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clockId, t.kind, t.occurrence] })],
);
