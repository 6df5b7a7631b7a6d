/**
 * The sweeper: fires every due warning and breach exactly once, however many processes sweep
 * one database and however often they crash. See docs/sla.md for the argument; in short:
 *
 * 1. One transaction per batch, whose one statement (sweep-sql.ts) claims due timers with
 *    `FOR UPDATE SKIP LOCKED` and deletes them, marks the clocks that really are due
 *    (breached / warned_at) so they no longer qualify, inserts one `sla_events` row each and
 *    the notifications.
 * 2. `sla_events`' key is (clock_id, kind, occurrence) and the insert skips keys that exist:
 *    even a clock reached twice yields one event; notifications are written only for events
 *    actually inserted.
 * 3. The caller's `onFired` hook runs in the same transaction: a crash before COMMIT leaves
 *    every timer and clock as it was (the next sweep fires them), a crash after leaves them
 *    consumed and marked (no sweep fires them again).
 */
import { jsonOf, rowsOf, type Db, type Tx } from '../../db/client.js';
import { publishNotifications } from '../notifications/bus.js';
import type { Escalation } from './rules/escalation.js';
import { sweepStatement, type SweepRow } from './sweep-sql.js';

/** A warning or breach just fired, as handed to the `onFired` hook. */
export interface FiredEvent {
  clockId: string;
  kind: 'warning' | 'breach';
  ticketId: string;
  ticketNumber: string;
  targetKind: string;
  occurrence: number;
  dueAt: Date;
  policyVersion: number;
  policyKey: string;
  ownerId: string | null;
  handlerId: string | null;
  teamId: string | null;
  /** The chain that applied (its `breach.raisePriority` is for the tickets module to act on). */
  escalation: Escalation;
  /** Users notified in-app. */
  notified: string[];
}

export interface SweepOptions {
  /** Runs in the batch's transaction after the notifications: the tickets module's escalation
   * actions (raise priority, timeline entry). Throwing rolls the whole batch back. */
  onFired?: (tx: Tx, events: FiredEvent[], now: Date) => Promise<void>;
  /** Checked between batches: a graceful stop finishes the batch in hand and returns. */
  shouldStop?: () => boolean;
  /** At most this many batches (default: until nothing is due). */
  maxBatches?: number;
}

export interface SweepResult {
  warnings: number;
  breaches: number;
  notifications: number;
  batches: number;
}

function parseEvents(row: SweepRow): FiredEvent[] {
  const notified = new Map<string, string[]>();
  for (const [clockId, kind, userId] of jsonOf<[string, string, string][]>(row.notified)) {
    const key = `${clockId}:${kind}`;
    notified.set(key, [...(notified.get(key) ?? []), userId]);
  }
  return jsonOf<(Omit<FiredEvent, 'dueAt' | 'notified'> & { dueAt: string })[]>(row.events).map(
    (e) => ({
      ...e,
      dueAt: new Date(e.dueAt),
      notified: notified.get(`${e.clockId}:${e.kind}`) ?? [],
    }),
  );
}

/** One batch in one transaction: claim, mark, record, notify (one statement), then the hook. */
export async function sweepBatch(
  db: Db,
  now: Date,
  batchSize: number,
  onFired?: SweepOptions['onFired'],
) {
  return db.transaction(async (tx) => {
    const [row] = rowsOf<SweepRow>(
      await tx.execute(sweepStatement(now.toISOString(), batchSize, !!onFired)),
    );
    const events = onFired ? parseEvents(row!) : [];
    if (onFired && events.length) await onFired(tx, events, now);
    // Delivered to the recipients' live streams at COMMIT (nothing if the batch rolls back).
    await publishNotifications(tx, jsonOf<string[]>(row!.users));
    return {
      claimed: Number(row!.claimed),
      breaches: Number(row!.breaches),
      warnings: Number(row!.warnings),
      notifications: Number(row!.notifications),
    };
  });
}

/**
 * Fires everything due at `now`, batch after batch, until a batch claims fewer timers than it
 * could (nothing more is due, or the rest is held by another sweeper, which fires it).
 */
export async function sweepDueClocks(
  db: Db,
  now: Date,
  batchSize = 1000,
  opts: SweepOptions = {},
): Promise<SweepResult> {
  const total: SweepResult = { warnings: 0, breaches: 0, notifications: 0, batches: 0 };
  for (;;) {
    const r = await sweepBatch(db, now, batchSize, opts.onFired);
    total.batches += 1;
    total.warnings += r.warnings;
    total.breaches += r.breaches;
    total.notifications += r.notifications;
    if (r.claimed < batchSize) break;
    if (opts.shouldStop?.() || (opts.maxBatches && total.batches >= opts.maxBatches)) break;
  }
  return total;
}
