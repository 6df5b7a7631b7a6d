/**
 * The monthly assessment job (docs/kpi.md): every `intervalMs` it asks which month is due — the
 * previous one, from the first working day of the month on, by the default SLA business calendar
 * (modules/kpi/rules/schedule.ts) — and assesses it unless it already did. Exactly once across
 * instances: a lease row (job_leases) lets one process run at a time, and the month's row in
 * kpi_job_runs (primary key) is written in the same transaction as the snapshot, so a month is
 * assessed once whatever runs, crashes or restarts. A month whose snapshot was already signed (a
 * supervisor ran it by hand) is only recorded. `stop()` lets the run in hand finish.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rowsOf, type Db, type Executor } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';
import type { AuditContext } from '../modules/audit/service.js';
import { runAssessment } from '../modules/kpi/snapshots.js';
import { monthDueAt } from '../modules/kpi/rules/schedule.js';
import { defaultCalendarId, loadCalendar } from '../modules/sla/calendar-store.js';
import { alwaysOpen, type BusinessCalendar } from '../modules/sla/rules/calendar.js';

export const MONTHLY_ASSESSMENT_LEASE = 'kpi-monthly-assessment';

export interface MonthlyAssessmentOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  /** How long a lease holds if its process dies mid-run (default: 10 minutes). */
  leaseMs?: number;
  /** Names this process in the lease and in kpi_job_runs (default: random). */
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}

export interface MonthlyAssessmentResult {
  /** False when another process held the lease: nothing was done. */
  ran: boolean;
  /** The month due at the time of the run. */
  month: string | null;
  /** The snapshot this run wrote (null: the month was already assessed, or not run). */
  snapshotId: string | null;
}

export interface MonthlyAssessment {
  runOnce(): Promise<MonthlyAssessmentResult>;
  stop(): Promise<void>;
}

/** The default business calendar (Monday–Friday in Asia/Shanghai when there is none yet). */
async function assessmentCalendar(ex: Executor): Promise<BusinessCalendar> {
  const id = await defaultCalendarId(ex);
  const loaded = id ? await loadCalendar(ex, id) : null;
  return loaded?.cal ?? alwaysOpen('Asia/Shanghai');
}

/** One check: assesses the month due unless kpi_job_runs already has it. */
export async function assessDueMonth(
  db: Db,
  now: Date,
  holder: string,
): Promise<Omit<MonthlyAssessmentResult, 'ran'>> {
  const month = monthDueAt(now.getTime(), await assessmentCalendar(db));
  if (!month) return { month: null, snapshotId: null };
  return db.transaction(async (tx) => {
    const claimed = rowsOf<{ period_month: string }>(
      await tx.execute(sql`INSERT INTO kpi_job_runs (period_month, holder, ran_at)
        VALUES (${`${month}-01`}::date, ${holder}, ${now.toISOString()}::timestamptz)
        ON CONFLICT (period_month) DO NOTHING RETURNING period_month`),
    );
    if (claimed.length === 0) return { month, snapshotId: null };
    const [signed] = rowsOf<{ id: string }>(
      await tx.execute(sql`SELECT id FROM kpi_snapshots s WHERE period_month = ${`${month}-01`}::date
        AND signed_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM kpi_snapshots n WHERE n.supersedes_id = s.id)`),
    );
    let snapshotId: string | null = null;
    if (!signed) {
      const ctx: AuditContext = {
        actorId: null,
        actorName: 'monthly assessment',
        ip: null,
        userAgent: null,
        requestId: null,
        at: now,
      };
      snapshotId = (await runAssessment(tx, ctx, null, month, 'job')).snapshot.id;
    }
    await tx.execute(sql`UPDATE kpi_job_runs SET snapshot_id = ${snapshotId ?? signed?.id ?? null}::uuid
      WHERE period_month = ${`${month}-01`}::date`);
    return { month, snapshotId };
  });
}

export function startMonthlyAssessment(opts: MonthlyAssessmentOptions): MonthlyAssessment {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async (): Promise<MonthlyAssessmentResult> => {
    if (!(await acquireLease(db, MONTHLY_ASSESSMENT_LEASE, holder, clock.now(), leaseMs)))
      return { ran: false, month: null, snapshotId: null };
    try {
      return { ran: true, ...(await assessDueMonth(db, clock.now(), holder)) };
    } finally {
      await releaseLease(db, MONTHLY_ASSESSMENT_LEASE, holder);
    }
  };

  return periodicJob({
    intervalMs,
    work,
    done: (result) => {
      if (result.snapshotId) log?.info(result, 'monthly KPI assessment written');
    },
    failed: (err) => log?.error({ err }, 'monthly KPI assessment failed; retrying later'),
  });
}
