/** Human ticket numbers: `KF-2026-000123` (per-year sequence, six digits, more when needed). */
export function formatTicketNumber(year: number, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ticket sequence must be ≥ 1, got ${n}`);
  return `KF-${year}-${String(n).padStart(6, '0')}`;
}

export const TICKET_NUMBER = /^KF-(\d{4})-(\d{6,})$/;

export function parseTicketNumber(s: string): { year: number; n: number } | null {
  const m = TICKET_NUMBER.exec(s.trim().toUpperCase());
  return m ? { year: Number(m[1]), n: Number(m[2]) } : null;
}

/** The calendar year of `at` in the workspace's time zone (a ticket at 23:30 on 31 Dec UTC is
 * already next year in Beijing). */
export function yearIn(at: Date, timeZone: string): number {
  return Number(yearFormat(timeZone).format(at));
}

/** Building an Intl formatter costs ≈ 0.3 ms; one per time zone is kept. */
const yearFormats = new Map<string, Intl.DateTimeFormat>();
function yearFormat(timeZone: string): Intl.DateTimeFormat {
  let f = yearFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' });
    yearFormats.set(timeZone, f);
  }
  return f;
}
