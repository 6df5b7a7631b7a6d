// Quality inspection (migration 0023_qa.sql): settings, scorecards, samples, items, evaluations,
// appeals, training needs.
import { boolean, date, integer, jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const qaSettings = pgTable('qa_settings', {
  id: boolean('id').primaryKey().default(true),
  samplePercent: numeric('sample_percent').notNull(),
  minPerAgent: integer('min_per_agent').notNull(),
  samplingWeekday: integer('sampling_weekday').notNull(),
  samplingHour: integer('sampling_hour').notNull(),
  appealWorkingDays: integer('appeal_working_days').notNull(),
  lowCsatBelow: integer('low_csat_below').notNull(),
  failRatio: numeric('fail_ratio').notNull(),
  trainingFailures: integer('training_failures').notNull(),
  trainingWeeks: integer('training_weeks').notNull(),
  updatedAt: at('updated_at'),
});

export const qaScorecardVersions = pgTable('qa_scorecard_versions', {
  version: integer('version').primaryKey(),
  criteria: jsonb('criteria').notNull(),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdByName: text('created_by_name'),
  createdAt: at('created_at').notNull(),
});

export const qaSampleRuns = pgTable('qa_sample_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  weekStart: date('week_start', { mode: 'string' }).notNull(),
  seed: text('seed').notNull(),
  percent: numeric('percent').notNull(),
  minPerAgent: integer('min_per_agent').notNull(),
  source: text('source').notNull(),
  candidates: integer('candidates').notNull(),
  sampled: integer('sampled').notNull(),
  /** 'md5' for runs drawn before migration 0041, 'hash64' since (rules/sampling.ts). */
  orderKey: text('order_key').notNull().default('hash64'),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
});

export const qaItems = pgTable('qa_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  runId: uuid('run_id'),
  ticketId: uuid('ticket_id').notNull(),
  agentId: uuid('agent_id').notNull(),
  inspectorId: uuid('inspector_id'),
  channel: text('channel').notNull(),
  category: text('category').notNull(),
  reason: text('reason').notNull(),
  weekStart: date('week_start', { mode: 'string' }).notNull(),
  calibration: boolean('calibration').notNull().default(false),
  status: text('status').notNull().default('open'),
  addedBy: uuid('added_by'),
  createdAt: at('created_at').notNull(),
});

export const qaEvaluations = pgTable('qa_evaluations', {
  id: uuid('id').primaryKey().defaultRandom(),
  itemId: uuid('item_id').notNull(),
  inspectorId: uuid('inspector_id').notNull(),
  scorecardVersion: integer('scorecard_version').notNull(),
  scores: jsonb('scores').notNull(),
  comments: jsonb('comments').notNull(),
  summary: text('summary').notNull().default(''),
  total: numeric('total'),
  criticalFailed: boolean('critical_failed').notNull().default(false),
  failedCriteria: text('failed_criteria').array().notNull(),
  status: text('status').notNull().default('draft'),
  submittedAt: at('submitted_at'),
  appealDeadline: at('appeal_deadline'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const qaAppeals = pgTable('qa_appeals', {
  id: uuid('id').primaryKey().defaultRandom(),
  evaluationId: uuid('evaluation_id').notNull(),
  agentId: uuid('agent_id').notNull(),
  reason: text('reason').notNull(),
  status: text('status').notNull().default('pending'),
  revisedTotal: numeric('revised_total'),
  decisionNote: text('decision_note'),
  decidedBy: uuid('decided_by'),
  decidedByName: text('decided_by_name'),
  decidedAt: at('decided_at'),
  createdAt: at('created_at').notNull(),
});

export const qaTrainingNeeds = pgTable('qa_training_needs', {
  id: uuid('id').primaryKey().defaultRandom(),
  agentId: uuid('agent_id').notNull(),
  criterionKey: text('criterion_key').notNull(),
  failures: integer('failures').notNull(),
  status: text('status').notNull().default('open'),
  createdAt: at('created_at').notNull(),
});
