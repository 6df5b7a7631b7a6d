// Phone / CTI (migration 0026_calls.sql).
import { bigint, boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export interface CtiProvider {
  key: string;
  name: string;
  secret: string;
  /** Outbound dialling (migration 0034's feature; jsonb, no column): where Kefu posts a signed
   * dial request (`http`), or the built-in simulator (`simulator`); absent: cannot dial. */
  dial?: { kind: 'http'; url: string } | { kind: 'simulator' } | null;
}
export interface PeakWindow {
  start: string;
  end: string;
}

export const callSettings = pgTable('call_settings', {
  id: boolean('id').primaryKey().default(true),
  providers: jsonb('providers').$type<CtiProvider[]>().notNull(),
  replayWindowSeconds: integer('replay_window_seconds').notNull(),
  peakWindows: jsonb('peak_windows').$type<PeakWindow[]>().notNull(),
  callbackDueMinutes: integer('callback_due_minutes').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const calls = pgTable('calls', {
  id: uuid('id').primaryKey().defaultRandom(),
  provider: text('provider').notNull(),
  externalId: text('external_id').notNull(),
  state: text('state').notNull(),
  callerNumber: text('caller_number').notNull(),
  agentId: uuid('agent_id'),
  teamId: uuid('team_id'),
  queue: text('queue'),
  customerId: uuid('customer_id'),
  ticketId: uuid('ticket_id'),
  ringAt: at('ring_at').notNull(),
  answeredAt: at('answered_at'),
  endedAt: at('ended_at'),
  answerMs: bigint('answer_ms', { mode: 'number' }),
  transfers: integer('transfers').notNull(),
  recordingUrl: text('recording_url'),
  /** inbound | outbound (click-to-call, migration 0034). */
  direction: text('direction').notNull().default('inbound'),
  dialledBy: uuid('dialled_by'),
  callbackId: uuid('callback_id'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const callEvents = pgTable('call_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  callId: uuid('call_id').notNull(),
  provider: text('provider').notNull(),
  eventId: text('event_id').notNull(),
  kind: text('kind').notNull(),
  at: at('at').notNull(),
  agent: text('agent'),
  agentId: uuid('agent_id'),
  queue: text('queue'),
  recordingUrl: text('recording_url'),
  receivedAt: at('received_at').notNull(),
});

export const callCallbacks = pgTable('call_callbacks', {
  id: uuid('id').primaryKey().defaultRandom(),
  callId: uuid('call_id').notNull(),
  agentId: uuid('agent_id'),
  status: text('status').notNull(),
  dueAt: at('due_at').notNull(),
  outcome: text('outcome'),
  note: text('note').notNull(),
  attemptedAt: at('attempted_at'),
  attemptedBy: uuid('attempted_by'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});
