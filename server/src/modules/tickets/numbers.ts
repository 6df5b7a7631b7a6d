import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { formatTicketNumber, yearIn } from './rules/numbers.js';

/**
 * The next human number of the year (`KF-2026-000123`) from the year's SEQUENCE (migration
 * 0011), inside the creating transaction. A sequence takes no lock that lasts to COMMIT, so
 * concurrent creations never queue for their numbers; a creation that rolls back leaves a gap.
 * The year is the one of `at` (the injected clock) in the workspace time zone.
 */
export async function nextTicketNumber(tx: Executor, at: Date, timeZone: string): Promise<string> {
  const year = yearIn(at, timeZone);
  const [row] = rowsOf<{ n: string | number }>(
    await tx.execute(sql`SELECT next_ticket_number(${year}::int) AS n`),
  );
  if (row === undefined) throw new Error(`ticket number sequence for ${year} unavailable`);
  return formatTicketNumber(year, Number(row.n));
}

/**
 * After a bulk load that wrote its own numbers (bench generator, imports): the API numbers the
 * year's next tickets after `last` (never moves a year's numbers back).
 */
export async function raiseTicketNumberFloor(ex: Executor, year: number, last: number) {
  await ex.execute(sql`SELECT raise_ticket_number_floor(${year}::int, ${last}::bigint)`);
}

/** The highest serial of each year among existing tickets (what a bulk load continues). */
export async function lastTicketNumbers(ex: Executor): Promise<Map<number, number>> {
  const rows = rowsOf<{ year: number; last: number }>(
    await ex.execute(sql`SELECT split_part(number, '-', 2)::int AS year,
        max(split_part(number, '-', 3)::bigint)::bigint AS last
      FROM tickets WHERE number ~ '^KF-[0-9]{4}-[0-9]+$' GROUP BY 1`),
  );
  return new Map(rows.map((r) => [Number(r.year), Number(r.last)]));
}

/** `n` numbers of the year at once (mail intake's batches), in order. */
export async function nextTicketNumbers(
  tx: Executor,
  at: Date,
  timeZone: string,
  n: number,
): Promise<string[]> {
  if (n <= 0) return [];
  const year = yearIn(at, timeZone);
  const rows = rowsOf<{ n: string | number }>(
    await tx.execute(
      sql`SELECT next_ticket_number(${year}::int) AS n FROM generate_series(1, ${n}::int)`,
    ),
  );
  if (rows.length !== n) throw new Error(`ticket number sequence for ${year} unavailable`);
  return rows
    .map((r) => Number(r.n))
    .sort((a, b) => a - b)
    .map((v) => formatTicketNumber(year, v));
}
