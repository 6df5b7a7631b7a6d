/**
 * Report periods: a month `YYYY-MM` or a quarter `YYYY-Qn`. Pure functions (docs/reports.md).
 */
import { monthsEnding } from './drill.js';

export type PeriodKind = 'month' | 'quarter';
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/;

export function periodKind(period: string): PeriodKind {
  return period.includes('Q') ? 'quarter' : 'month';
}

/** The months of a period, oldest first. */
export function monthsOfPeriod(period: string): string[] {
  if (periodKind(period) === 'month') return [period];
  const [y, q] = period.split('-Q').map(Number) as [number, number];
  return monthsEnding(`${y}-${String(q * 3).padStart(2, '0')}`, 3);
}

/** The quarter a month belongs to. */
export function quarterOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}-Q${Math.ceil(m / 3)}`;
}

/**
 * The last complete period of `kind` before the local date `today` (YYYY-MM-DD): the previous
 * month, or the previous quarter. A schedule mails it once.
 */
export function lastCompletePeriod(kind: PeriodKind, today: string): string {
  const [prev] = monthsEnding(today.slice(0, 7), 2);
  if (kind === 'month') return prev!;
  const [y, m] = today.slice(0, 7).split('-').map(Number) as [number, number];
  const q = Math.ceil(m / 3);
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}
