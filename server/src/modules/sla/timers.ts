/**
 * Wake-ups for the sweeper (`sla_timers`): every running clock has one at its due time and, until
 * it has warned, one at its warning time. They are hints, never the truth — the sweeper fires only
 * what the clock row itself says is due — so a stale timer is harmless and is consumed; a missing
 * one would be a lost breach, which is why each function here runs in the transaction that
 * changes the clock.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { slaTimers } from '../../db/schema/index.js';
import type { ClockRow } from './clock-views.js';

export type Timed = Pick<ClockRow, 'id' | 'state' | 'warnAt' | 'dueAt' | 'warnedAt'>;

/** The timer rows of the clocks that are running. */
export const timerRows = (clocks: readonly Timed[]) =>
  clocks
    .filter((c) => c.state === 'running')
    .flatMap((c) => [
      { clockId: c.id, kind: 'breach' as const, fireAt: c.dueAt },
      ...(c.warnedAt || c.warnAt >= c.dueAt
        ? []
        : [{ clockId: c.id, kind: 'warning' as const, fireAt: c.warnAt }]),
    ]);

/** Timers for the clocks that are running. */
export async function scheduleTimers(tx: Executor, clocks: readonly Timed[]): Promise<void> {
  const rows = timerRows(clocks);
  for (let i = 0; i < rows.length; i += 5000) {
    await tx.insert(slaTimers).values(rows.slice(i, i + 5000));
  }
}

/**
 * Removes the clocks' timers. Timers a sweeper holds at this moment are skipped (never waited
 * for, so a clock command and a sweep cannot deadlock): that sweeper deletes them itself, and
 * finds the clock no longer running.
 */
export async function unscheduleTimers(tx: Executor, clockIds: readonly string[]): Promise<void> {
  if (clockIds.length === 0) return;
  const ids = sql.join(
    clockIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await tx.execute(sql`DELETE FROM sla_timers WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM sla_timers WHERE clock_id IN (${ids}) FOR UPDATE SKIP LOCKED))`);
}
