// The surveys area's tables (migration 0019_surveys.sql). `surveyInvitations` is the full view
// of survey_responses with the surveys area's own columns; the KPI engine reads the contract
// columns through `surveyResponses` (./surveys.ts).
import {
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export interface SurveyQuestion {
  key: string;
  type: 'solved' | 'rating5' | 'score100';
  zh: string;
  en: string;
  overall?: boolean;
}

export const surveyTemplates = pgTable('survey_templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  version: integer('version').notNull(),
  questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
  allowComment: boolean('allow_comment').notNull(),
  active: boolean('active').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const surveyTemplateVersions = pgTable(
  'survey_template_versions',
  {
    templateId: uuid('template_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
    allowComment: boolean('allow_comment').notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

export const surveySettings = pgTable('survey_settings', {
  id: boolean('id').primaryKey().default(true),
  enabled: boolean('enabled').notNull(),
  sendOn: text('send_on').notNull(),
  delayMinutes: integer('delay_minutes').notNull(),
  channels: text('channels').array().notNull(),
  linkDays: integer('link_days').notNull(),
  reminderAfterHours: integer('reminder_after_hours').notNull(),
  lowScoreThreshold: integer('low_score_threshold').notNull(),
  followUpDays: integer('follow_up_days').notNull(),
  templateId: uuid('template_id').notNull(),
  updatedAt: at('updated_at'),
});

export const surveyOptOuts = pgTable('survey_opt_outs', {
  customerId: uuid('customer_id').primaryKey(),
  via: text('via').notNull(),
  createdAt: at('created_at').notNull(),
});

export const surveyCampaigns = pgTable('survey_campaigns', {
  id: uuid('id').primaryKey().defaultRandom(),
  periodMonth: date('period_month', { mode: 'string' }).notNull(),
  templateId: uuid('template_id').notNull(),
  templateVersion: integer('template_version').notNull(),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  lastRunAt: at('last_run_at'),
  skipped: integer('skipped').notNull().default(0),
});

export const surveyInvitations = pgTable('survey_responses', {
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
  templateId: uuid('template_id'),
  templateVersion: integer('template_version'),
  campaignId: uuid('campaign_id'),
  channels: text('channels').array().notNull().default([]),
  locale: text('locale').notNull().default('zh-CN'),
  expiresAt: at('expires_at'),
  reminderSentAt: at('reminder_sent_at'),
  smsSentAt: at('sms_sent_at'),
  answers: jsonb('answers').$type<Record<string, boolean | number>>(),
  comment: text('comment'),
  answeredVia: text('answered_via'),
  followUpAt: at('follow_up_at'),
});

export const surveyTokens = pgTable('survey_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  responseId: uuid('response_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  channel: text('channel').notNull(),
  createdAt: at('created_at').notNull(),
});

export const surveyDispatches = pgTable('survey_dispatches', {
  ticketId: uuid('ticket_id').primaryKey(),
  dueAt: at('due_at').notNull(),
  createdAt: at('created_at').notNull(),
});
