import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { formatTicketNumber, yearIn } from './rules/numbers.js';

/**
 * The next human number of the year, inside the creating transaction: the year's counter row
 * is bumped with UPDATE … RETURNING, which holds its row lock until commit, so concurrent
 * registrations queue and never share (or skip, on rollback) a number.
 */
export async function nextTicketNumber(tx: Executor, at: Date, timeZone: string): Promise<string> {
  const year = yearIn(at, timeZone);
  const bump = async () =>
    rowsOf<{ last_value: number }>(
      await tx.execute(
        sql`UPDATE ticket_number_sequences SET last_value = last_value + 1
            WHERE year = ${year} RETURNING last_value`,
      ),
    )[0]?.last_value;
  let n = await bump();
  if (n === undefined) {
    // First ticket of the year: create the counter (a racing creator waits on the unique key).
    await tx.execute(
      sql`INSERT INTO ticket_number_sequences (year, last_value) VALUES (${year}, 0)
          ON CONFLICT (year) DO NOTHING`,
    );
    n = await bump();
  }
  if (n === undefined) throw new Error(`ticket number sequence for ${year} unavailable`);
  return formatTicketNumber(year, Number(n));
}
