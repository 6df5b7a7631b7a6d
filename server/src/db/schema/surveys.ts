// Survey answers (migration 0018_survey_responses.sql): what the KPI engine counts.
import { boolean, date, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const surveyResponses = pgTable('survey_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  ticketId: uuid('ticket_id'),
  customerId: uuid('customer_id').notNull(),
  agentId: uuid('agent_id'),
  teamId: uuid('team_id'),
  periodMonth: date('period_month', { mode: 'string' }).notNull(),
  sentAt: at('sent_at').notNull(),
  answeredAt: at('answered_at'),
  solved: boolean('solved'),
  score100: numeric('score100', { precision: 5, scale: 2, mode: 'number' }),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});
