/**
 * A query's rows in batches through a server-side cursor (PostgreSQL): one dedicated connection
 * holds a read-only transaction with `DECLARE … CURSOR`, and each batch is a `FETCH`. The query
 * runs once, however many rows it yields, and memory holds one batch plus the one being read
 * ahead — the next batch is fetched only when the consumer takes the previous one (backpressure).
 * Stopping early (`return()` on the generator, e.g. a client that went away) closes the cursor
 * and frees the connection.
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from './client.js';

const dialect = new PgDialect();

export async function* cursorBatches<T>(
  database: Database,
  query: SQL,
  batch = 1000,
): AsyncGenerator<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // A one-slot hand-off between the transaction (producer) and the generator (consumer).
  let offered: { rows: T[]; taken: (more: boolean) => void } | null = null;
  let waiting: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  let stopped = false;
  const wake = () => {
    const w = waiting;
    waiting = null;
    w?.();
  };
  const run = database
    .rawTransaction(async (x) => {
      await x.exec('SET TRANSACTION READ ONLY');
      await x.query(`DECLARE kefu_export NO SCROLL CURSOR FOR ${text}`, params);
      for (;;) {
        const rows = await x.query<T>(`FETCH ${Math.trunc(batch)} FROM kefu_export`);
        if (rows.length === 0 || stopped) break;
        const more = await new Promise<boolean>((taken) => {
          offered = { rows, taken };
          wake();
        });
        if (!more || rows.length < batch) break;
      }
      await x.exec('CLOSE kefu_export');
    })
    .catch((err: unknown) => void (failure = err))
    .finally(() => {
      finished = true;
      wake();
    });
  try {
    for (;;) {
      while (!offered && !finished) await new Promise<void>((r) => (waiting = r));
      // TypeScript cannot see the assignments made inside the producer's closures.
      const next = offered as { rows: T[]; taken: (more: boolean) => void } | null;
      if (!next) break;
      offered = null;
      next.taken(true);
      yield next.rows;
    }
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  } finally {
    stopped = true;
    const pending = offered as { taken: (more: boolean) => void } | null;
    pending?.taken(false);
    await run;
  }
}
