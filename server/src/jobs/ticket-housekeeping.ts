/**
 * Closed-loop housekeeping every `intervalMs` (KEFU_HOUSEKEEPING_MS): resolved tickets the
 * customer never answered close as "auto-closed, no reply" after the workspace's auto-close
 * days, and closed tickets whose follow-up is done are archived after its archive days
 * (modules/tickets/automation.ts). Runs never overlap within a process; across processes a lease
 * row (job_leases) lets one run at a time, and each ticket is still locked and re-checked in its
 * own transaction, so a ticket never closes twice. `stop()` lets the run in hand finish.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rowsOf, type Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
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

/** Takes the lease when it is free, expired or already ours; true when we hold it. */
async function acquire(db: Db, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const rows = rowsOf<{ holder: string }>(
    await db.execute(sql`
      INSERT INTO job_leases (name, holder, expires_at)
      VALUES (${HOUSEKEEPING_LEASE}, ${holder}, ${until}::timestamptz)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE job_leases.holder = excluded.holder
           OR job_leases.expires_at <= ${now.toISOString()}::timestamptz
      RETURNING holder`),
  );
  return rows.length === 1;
}

async function release(db: Db, holder: string) {
  await db.execute(
    sql`DELETE FROM job_leases WHERE name = ${HOUSEKEEPING_LEASE} AND holder = ${holder}`,
  );
}

export function startTicketHousekeeping(opts: HousekeepingOptions): TicketHousekeeping {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<HousekeepingResult> | undefined;

  const work = async (): Promise<HousekeepingResult> => {
    if (!(await acquire(db, holder, clock.now(), leaseMs)))
      return { ran: false, closed: [], archived: [] };
    try {
      const closed = await autoCloseUnconfirmed(db, clock);
      const archived = stopped ? [] : await archiveClosedTickets(db, clock);
      return { ran: true, closed, archived };
    } finally {
      await release(db, holder);
    }
  };

  const run = async (): Promise<HousekeepingResult> => {
    if (running) await running.catch(() => undefined);
    running = work();
    try {
      const result = await running;
      if (result.closed.length + result.archived.length > 0)
        log?.info(
          { closed: result.closed.length, archived: result.archived.length },
          'ticket housekeeping',
        );
      return result;
    } finally {
      running = undefined;
    }
  };

  const tick = () => {
    timer = undefined;
    run()
      .catch((err: unknown) => log?.error({ err }, 'ticket housekeeping failed; retrying later'))
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };

  if (intervalMs > 0) schedule();

  return {
    runOnce: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
