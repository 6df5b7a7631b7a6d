/**
 * The staff-alert job (docs/alerts.md): every `intervalMs`, under the `alerts-outbox` lease (one
 * process at a time across instances), fans new alert events out to their channels and delivers
 * what is due, with retries and back-off (modules/alerts/outbox.ts). The attempts and back-off
 * saved on the admin screen (modules/alerts/settings.ts) are read on every run; the options'
 * `maxAttempts` / `retrySeconds` (the environment) apply where none are saved. `stop()` lets a
 * run finish.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { deliverDue, fanOutEvents, type OutboxOptions } from '../modules/alerts/outbox.js';
import { alertRetrySettings } from '../modules/alerts/settings.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';

export const ALERTS_LEASE = 'alerts-outbox';

export interface AlertJobOptions extends OutboxOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  leaseMs?: number;
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}

export interface AlertJobResult {
  ran: boolean;
  events: number;
  attempted: number;
  delivered: number;
}

export function startAlertJob(opts: AlertJobOptions) {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async (): Promise<AlertJobResult> => {
    if (!(await acquireLease(db, ALERTS_LEASE, holder, clock.now(), leaseMs)))
      return { ran: false, events: 0, attempted: 0, delivered: 0 };
    try {
      let events = 0;
      for (let n = await fanOutEvents(db, clock.now(), opts); n > 0;) {
        events += n;
        n = n === (opts.batch ?? 100) ? await fanOutEvents(db, clock.now(), opts) : 0;
      }
      const retry = await alertRetrySettings(db, opts);
      const sent = await deliverDue(db, clock, { ...opts, ...retry });
      return { ran: true, events, ...sent };
    } finally {
      await releaseLease(db, ALERTS_LEASE, holder);
    }
  };

  return periodicJob({
    intervalMs,
    work,
    done: (result) => {
      if (result.attempted > 0) log?.info(result, 'staff alerts');
    },
    failed: (err) => log?.error({ err }, 'staff alerts failed; retrying later'),
  });
}
