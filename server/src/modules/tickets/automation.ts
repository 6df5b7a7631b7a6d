import { and, asc, eq, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { tickets } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import { HttpProblem } from '../../lib/problem.js';
import { lockTicket, SYSTEM, systemContext } from './access.js';
import { loadFacts } from './facts.js';
import { archiveCutoff, archiveDue, autoCloseCutoff, autoCloseDue } from './rules/closing.js';
import type { TicketStatus } from './rules/vocabulary.js';
import { getSettings } from './settings.js';
import { applyTransition } from './transitions.js';

const BATCH = 500;

/**
 * SPEC 4: a resolution the customer has not answered within `days` (default: the workspace
 * setting, 7) closes as "auto-closed, no reply" — timeline and audit say so. Complaints still
 * waiting for their return visit are left alone. Each ticket is its own transaction; a ticket
 * that changed meanwhile is skipped. Returns the ids closed. Scheduling is the caller's job.
 */
export async function autoCloseUnconfirmed(db: Db, clock: Clock, days?: number) {
  const now = clock.now();
  const settings = await getSettings(db);
  const window = days ?? settings.autoCloseDays;
  const candidates = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(eq(tickets.status, 'resolved'), lte(tickets.resolvedAt, autoCloseCutoff(now, window))),
    )
    .orderBy(asc(tickets.resolvedAt))
    .limit(BATCH);
  const closed: string[] = [];
  for (const { id } of candidates) {
    const done = await db
      .transaction(async (tx) => {
        const row = await lockTicket(tx, id, SYSTEM);
        const facts = await loadFacts(tx, row);
        const due = autoCloseDue(
          {
            status: row.status as TicketStatus,
            category: row.category,
            confirmed: row.confirmedAt !== null,
            hasReturnVisit: facts.visit !== undefined,
            resolvedAt: row.resolvedAt,
          },
          now,
          window,
        );
        if (!due) return false;
        await applyTransition(tx, systemContext(now), SYSTEM, row, { to: 'closed' }, settings);
        return true;
      })
      .catch((err: unknown) => {
        if (err instanceof HttpProblem) return false; // changed under us: next run decides
        throw err;
      });
    if (done) closed.push(id);
  }
  return closed;
}

/** Archives (read-only) tickets closed more than `days` ago whose follow-up is done. */
export async function archiveClosedTickets(db: Db, clock: Clock, days?: number) {
  const now = clock.now();
  const settings = await getSettings(db);
  const after = days ?? settings.archiveAfterDays;
  const candidates = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        eq(tickets.status, 'closed'),
        lte(tickets.closedAt, archiveCutoff(now, after)),
        or(isNull(tickets.followUpDueAt), isNotNull(tickets.followUpDoneAt)),
      ),
    )
    .orderBy(asc(tickets.closedAt))
    .limit(BATCH);
  const archived: string[] = [];
  for (const { id } of candidates) {
    const done = await db
      .transaction(async (tx) => {
        const row = await lockTicket(tx, id, SYSTEM);
        const open = row.followUpDueAt !== null && row.followUpDoneAt === null;
        if (row.status !== 'closed' || !archiveDue(row.closedAt, now, after, open)) return false;
        await applyTransition(
          tx,
          systemContext(now),
          SYSTEM,
          row,
          { to: 'archived' },
          { ...settings, archiveAfterDays: after },
        );
        return true;
      })
      .catch((err: unknown) => {
        if (err instanceof HttpProblem) return false;
        throw err;
      });
    if (done) archived.push(id);
  }
  return archived;
}
