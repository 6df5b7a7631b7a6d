/**
 * Closed-loop housekeeping every `intervalMs` (KEFU_HOUSEKEEPING_MS): resolved tickets the
 * customer never answered close as "auto-closed, no reply" after the workspace's auto-close
 * days, and closed tickets whose follow-up is done are archived after its archive days
 * (modules/tickets/automation.ts). Runs never overlap within a process; across processes a lease
 * row (job_leases) lets one run at a time, and each ticket is still locked and re-checked in its
 * own transaction, so a ticket never closes twice. `stop()` lets the run in hand finish.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { periodicJob } from './periodic.js';
import { acquireLease, releaseLease } from './lease.js';
import { archiveClosedTickets, autoCloseUnconfirmed } from '../modules/tickets/automation.js';

export const HOUSEKEEPING_LEASE = 'ticket-housekeeping';

export interface HousekeepingOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  /** How long a lease holds if its process dies mid-run (default: 10 minutes). */
  leaseMs?: number;
  /** Names this process in the lease (default: random). */
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}

export interface HousekeepingResult {
  /** False when another process held the lease: nothing was done. */
  ran: boolean;
  closed: string[];
  archived: string[];
}

export interface TicketHousekeeping {
  /** Runs now (after a run already in progress); for tests and start-up. */
  runOnce(): Promise<HousekeepingResult>;
  stop(): Promise<void>;
}

export function startTicketHousekeeping(opts: HousekeepingOptions): TicketHousekeeping {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async (stopped: () => boolean): Promise<HousekeepingResult> => {
    if (!(await acquireLease(db, HOUSEKEEPING_LEASE, holder, clock.now(), leaseMs)))
      return { ran: false, closed: [], archived: [] };
    try {
      const closed = await autoCloseUnconfirmed(db, clock);
      const archived = stopped() ? [] : await archiveClosedTickets(db, clock);
      return { ran: true, closed, archived };
    } finally {
      await releaseLease(db, HOUSEKEEPING_LEASE, holder);
    }
  };

  return periodicJob({
    intervalMs,
    work,
    done: (result) => {
      if (result.closed.length + result.archived.length > 0)
        log?.info(
          { closed: result.closed.length, archived: result.archived.length },
          'ticket housekeeping',
        );
    },
    failed: (err) => log?.error({ err }, 'ticket housekeeping failed; retrying later'),
  });
}
