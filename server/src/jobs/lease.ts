/**
 * Named leases (`job_leases`): how a scheduled job runs in one process at a time across
 * instances. A lease is taken when it is free, expired or already ours, and given back after the
 * run; a process that dies mid-run blocks the others only until its lease expires. Work inside a
 * run must still be idempotent (claimed rows, unique keys): a lease alone is not exactly-once.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';

/** Takes lease `name` for `holder` until `now + leaseMs`; true when `holder` now holds it. */
export async function acquireLease(
  db: Db,
  name: string,
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const rows = rowsOf<{ holder: string }>(
    await db.execute(sql`
      INSERT INTO job_leases (name, holder, expires_at)
      VALUES (${name}, ${holder}, ${until}::timestamptz)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE job_leases.holder = excluded.holder
           OR job_leases.expires_at <= ${now.toISOString()}::timestamptz
      RETURNING holder`),
  );
  return rows.length === 1;
}

/** Gives lease `name` back, if `holder` still holds it. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.execute(sql`DELETE FROM job_leases WHERE name = ${name} AND holder = ${holder}`);
}
