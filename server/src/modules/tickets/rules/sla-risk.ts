/**
 * A ticket's SLA risk in the queues (issue 4), from its due-soonest summary: the earliest due
 * and warning times among its counting clocks (running, or breached and not yet met). Pure.
 *
 * The same thing as reading the clock states — a clock is breached once due, warned once past
 * its warning time — except that it does not wait for the sweeper to mark them, like the
 * supervisors' risk board.
 */
export const SLA_RISKS = ['ok', 'warning', 'breached'] as const;
export type SlaRisk = (typeof SLA_RISKS)[number];

/** null: no clock counts (no policy matched, or every clock is paused, met or cancelled). */
export function slaRisk(dueAt: Date | null, warnAt: Date | null, now: Date): SlaRisk | null {
  if (!dueAt) return null;
  if (dueAt.getTime() <= now.getTime()) return 'breached';
  if (warnAt && warnAt.getTime() <= now.getTime()) return 'warning';
  return 'ok';
}
