// KPI engine (migration 0021_kpi.sql): target versions, monthly snapshots, job runs, training items.
import { date, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const kpiTargetVersions = pgTable('kpi_target_versions', {
  version: integer('version').primaryKey(),
  targets: jsonb('targets').notNull(),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdByName: text('created_by_name'),
  createdAt: at('created_at').notNull(),
});

export const kpiSnapshots = pgTable('kpi_snapshots', {
  id: uuid('id').primaryKey().defaultRandom(),
  periodMonth: date('period_month', { mode: 'string' }).notNull(),
  targetVersion: integer('target_version').notNull(),
  results: jsonb('results').notNull(),
  source: text('source').notNull(),
  computedAt: at('computed_at').notNull(),
  computedBy: uuid('computed_by'),
  computedByName: text('computed_by_name'),
  supersedesId: uuid('supersedes_id'),
  correctionReason: text('correction_reason'),
  signedAt: at('signed_at'),
  signedBy: uuid('signed_by'),
  signedByName: text('signed_by_name'),
  signNote: text('sign_note'),
  revision: integer('revision').notNull().default(1),
  createdAt: at('created_at').notNull(),
});

export const kpiJobRuns = pgTable('kpi_job_runs', {
  periodMonth: date('period_month', { mode: 'string' }).primaryKey(),
  snapshotId: uuid('snapshot_id'),
  holder: text('holder').notNull(),
  ranAt: at('ran_at').notNull(),
});

export const kpiTrainingItems = pgTable('kpi_training_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  periodMonth: date('period_month', { mode: 'string' }).notNull(),
  snapshotId: uuid('snapshot_id').notNull(),
  kpis: text('kpis').array().notNull(),
  status: text('status').notNull().default('open'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});
