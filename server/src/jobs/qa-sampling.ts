/**
 * The weekly QA sampling job (docs/qa.md): every `intervalMs` it asks whether last week's sample
 * is due — from the configured weekday and hour (qa_settings) in the workspace time zone — and
 * draws it unless the week was already drawn. Exactly once across instances: a lease row
 * (job_leases) lets one process run at a time, and qa_sample_runs.week_start is unique, written
 * in the same transaction as the items, so a week is drawn once whatever runs, crashes or
 * restarts (a week a supervisor drew by hand is not drawn again). `stop()` lets the run finish.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rowsOf, type Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';
import type { AuditContext } from '../modules/audit/service.js';
import { workspaceTimeZone } from '../modules/kpi/snapshots.js';
import { jobDueAt, previousWeekAt } from '../modules/qa/rules/week.js';
import { drawWeek } from '../modules/qa/sampling.js';
import { getQaSettings } from '../modules/qa/settings.js';

export const QA_SAMPLING_LEASE = 'qa-weekly-sampling';

export interface QaSamplingOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  leaseMs?: number;
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}

export interface QaSamplingResult {
  ran: boolean;
  week: string | null;
  runId: string | null;
}

/** One check: draws last week's sample when due and not drawn yet. */
export async function sampleDueWeek(db: Db, now: Date): Promise<Omit<QaSamplingResult, 'ran'>> {
  const tz = await workspaceTimeZone(db);
  const settings = await getQaSettings(db);
  if (!jobDueAt(now.getTime(), tz, settings.samplingWeekday, settings.samplingHour))
    return { week: null, runId: null };
  const week = previousWeekAt(now.getTime(), tz);
  return db.transaction(async (tx) => {
    const [done] = rowsOf(
      await tx.execute(sql`SELECT 1 FROM qa_sample_runs WHERE week_start = ${week}::date`),
    );
    if (done) return { week, runId: null };
    const ctx: AuditContext = {
      actorId: null,
      actorName: 'weekly QA sampling',
      ip: null,
      userAgent: null,
      requestId: null,
      at: now,
    };
    const run = await drawWeek(tx, ctx, null, { weekStart: week, source: 'job' });
    return { week, runId: run.id };
  });
}

export function startQaSampling(opts: QaSamplingOptions) {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async (): Promise<QaSamplingResult> => {
    if (!(await acquireLease(db, QA_SAMPLING_LEASE, holder, clock.now(), leaseMs)))
      return { ran: false, week: null, runId: null };
    try {
      return { ran: true, ...(await sampleDueWeek(db, clock.now())) };
    } finally {
      await releaseLease(db, QA_SAMPLING_LEASE, holder);
    }
  };

  return periodicJob({
    intervalMs,
    work,
    done: (result) => {
      if (result.runId) log?.info(result, 'weekly QA sample drawn');
    },
    failed: (err) => log?.error({ err }, 'weekly QA sampling failed; retrying later'),
  });
}
