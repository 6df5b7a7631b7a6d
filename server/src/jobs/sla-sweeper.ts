/**
 * Runs the SLA sweeper every `intervalMs` (KEFU_SLA_SWEEP_MS): fires due warnings and breaches
 * (modules/sla/sweep.ts). Sweeps never overlap within a process (the next one is scheduled when
 * the last ends); several processes may sweep one database — each due clock still fires once.
 * `stop()` lets the batch in hand commit and resolves when nothing runs, so the database can be
 * closed after it (main.ts does so on SIGTERM).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { periodicJob } from './periodic.js';
import { sweepDueClocks, type SweepOptions, type SweepResult } from '../modules/sla/sweep.js';

export interface SlaSweeperOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  batchSize?: number;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
  onFired?: SweepOptions['onFired'];
  /** Runs after each sweep with its `now` (the tickets module's pending escalations). */
  afterSweep?: (now: Date) => Promise<unknown>;
}

export interface SlaSweeper {
  /** Sweeps now (awaiting a sweep already running first); for tests and start-up. */
  runOnce(): Promise<SweepResult>;
  stop(): Promise<void>;
}

export function startSlaSweeper(opts: SlaSweeperOptions): SlaSweeper {
  const { db, clock, intervalMs, batchSize = 1000, log, onFired, afterSweep } = opts;
  return periodicJob({
    intervalMs,
    work: async (stopped) => {
      const now = clock.now();
      const result = await sweepDueClocks(db, now, batchSize, { onFired, shouldStop: stopped });
      if (afterSweep && !stopped()) await afterSweep(now);
      return result;
    },
    done: (result) => {
      if (result.breaches + result.warnings > 0) log?.info({ sla: result }, 'SLA sweep fired');
    },
    failed: (err) => log?.error({ err }, 'SLA sweep failed; retrying next interval'),
  });
}
