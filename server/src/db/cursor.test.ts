import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import type { Database } from './client.js';
import { cursorBatches } from './cursor.js';

/** The cursor needs a connection of its own: PostgreSQL only (the exports use keyset on PGlite). */
describe.skipIf(!process.env.DATABASE_URL)('cursorBatches', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ database, drop } = await createTestDatabase()));
  afterAll(() => drop());

  const series = (n: number) => sql`SELECT g AS n FROM generate_series(1, ${n}::int) g ORDER BY g`;
  const open = async () =>
    Number(
      (
        (await database.db.execute(
          sql`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction'`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]!.n,
    );

  it('reads every row once, in batches, with parameters', async () => {
    const sizes: number[] = [];
    let sum = 0;
    for await (const rows of cursorBatches<{ n: number }>(database, series(2500), 1000)) {
      sizes.push(rows.length);
      for (const r of rows) sum += r.n;
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(sum).toBe((2500 * 2501) / 2);
  });

  it('closes the cursor and frees the connection when the reader stops early', async () => {
    for await (const rows of cursorBatches<{ n: number }>(database, series(10_000), 100)) {
      expect(rows).toHaveLength(100);
      break;
    }
    expect(await open()).toBe(0);
  });

  it('passes a failing query on to the reader', async () => {
    const read = async () => {
      for await (const _ of cursorBatches(database, sql`SELECT 1 / 0`)) void _;
    };
    await expect(read()).rejects.toThrow(/division by zero/);
  });
});
