import type { Db } from '../../db/client.js';
import { auditEvents } from '../../db/schema/index.js';
import { auditRowOf, type AuditContext, type AuditEntry, type AuditRow } from './service.js';

/** At most this many rows in one INSERT (a burst is split; a few kB of parameters each). */
const MAX_BATCH = 200;

interface Waiting {
  row: AuditRow;
  done(err?: unknown): void;
}

interface Queue {
  waiting: Waiting[];
  busy: boolean;
}

/** One queue per database (process-wide, like its pool). */
const queues = new WeakMap<Db, Queue>();

/**
 * Writes the audit row of a read and resolves once it is COMMITTED — group commit: the rows of
 * concurrent reads that arrive while a commit is under way are written together by the next
 * single INSERT (one statement, one commit, one fsync) instead of one commit each. A request
 * alone goes straight through (no waiting for company), and every request still answers only
 * after its own row committed, so nothing is lost ("nothing lost", SPEC). For reads only: a
 * write's audit row belongs in the write's own transaction (`recordAudit`).
 */
export function recordReadAudit(db: Db, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], busy: false };
    queues.set(db, queue);
  }
  const q = queue;
  return new Promise<void>((resolve, reject) => {
    q.waiting.push({ row: auditRowOf(ctx, entry), done: (err) => (err ? reject(err) : resolve()) });
    if (!q.busy) void drain(db, q);
  });
}

async function drain(db: Db, q: Queue): Promise<void> {
  q.busy = true;
  try {
    while (q.waiting.length > 0) {
      const batch = q.waiting.splice(0, MAX_BATCH);
      try {
        await db.insert(auditEvents).values(batch.map((w) => w.row));
        for (const w of batch) w.done();
      } catch (err) {
        if (batch.length === 1) batch[0]!.done(err);
        // One row at a time, so that a row the database refuses fails only its own request.
        else
          for (const w of batch) {
            try {
              await db.insert(auditEvents).values(w.row);
              w.done();
            } catch (e) {
              w.done(e);
            }
          }
      }
    }
  } finally {
    q.busy = false;
  }
}
