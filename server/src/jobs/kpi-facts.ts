/**
 * The daily-facts job (docs/kpi.md, "Scale"): every `intervalMs` it consumes the dirty log of
 * the KPI daily facts (kpi/facts.ts refreshDirtyFacts), so the log stays short and a dashboard
 * or an assessment finds its months up to date. One process at a time (jobs/lease.ts); reads
 * stay exact without it — they refresh what is dirty themselves.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { refreshDirtyFacts } from '../modules/kpi/facts.js';
import { workspaceTimeZone } from '../modules/kpi/snapshots.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';

export const KPI_FACTS_LEASE = 'kpi-daily-facts';

export interface KpiFactsJob {
  /** The months refreshed, or null when another process held the lease. */
  runOnce(): Promise<string[] | null>;
  stop(): Promise<void>;
}

export function startKpiFactsJob(opts: {
  db: Db;
  clock: Clock;
  intervalMs: number;
  leaseMs?: number;
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'error'>;
}): KpiFactsJob {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async () => {
    if (!(await acquireLease(db, KPI_FACTS_LEASE, holder, clock.now(), leaseMs))) return null;
    try {
      return await refreshDirtyFacts(db, await workspaceTimeZone(db));
    } finally {
      await releaseLease(db, KPI_FACTS_LEASE, holder);
    }
  };
  return periodicJob({
    intervalMs,
    work,
    failed: (err) => log?.error({ err }, 'KPI daily facts refresh failed; retrying later'),
  });
}
