/**
 * A sweeper in a process of its own, for the multi-process tests and the bench:
 *   node --import tsx sweep-process.ts <postgres-url> <now-iso> <batch-size> [pause-ms-per-batch]
 * Connects (its own pool), prints `ready`, waits for a `go` line on stdin, then sweeps until
 * nothing due is left, printing `in batch N` inside each batch's transaction, before its commit
 * (then pausing, when asked: a window to kill it in), and finally one JSON line with its totals.
 */
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../../../db/client.js';
import { sweepDueClocks, type SweepResult } from '../sweep.js';

const [url, nowIso, batchArg, pauseArg] = process.argv.slice(2);
if (!url || !nowIso || !batchArg)
  throw new Error('usage: sweep-process.ts URL NOW BATCH [PAUSE_MS]');
const now = new Date(nowIso);
const pauseMs = Number(pauseArg ?? 0);
const database = await openDatabase({ url, poolSize: 2 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log('ready');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();

const total: SweepResult = { warnings: 0, breaches: 0, notifications: 0, batches: 0 };
let inBatch = 0;
for (let round = 0; round < 100; round++) {
  const r = await sweepDueClocks(database.db, now, Number(batchArg), {
    onFired: async () => {
      console.log(`in batch ${++inBatch}`);
      if (pauseMs) await sleep(pauseMs);
    },
  });
  for (const k of ['warnings', 'breaches', 'notifications', 'batches'] as const) total[k] += r[k];
  // Rows another sweeper held (SKIP LOCKED) are fired by it; stop once none is due.
  const [left] = rowsOf<{ n: string | number }>(
    await database.db.execute(
      sql`SELECT count(*) AS n FROM sla_timers WHERE fire_at <= ${nowIso}::timestamptz`,
    ),
  );
  if (Number(left!.n) === 0) break;
  await sleep(20);
}
console.log(JSON.stringify(total));
await database.close();
