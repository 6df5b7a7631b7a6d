import type { FieldError } from '../../../lib/problem.js';
import { COMPLAINT, type CloseKind, type TicketStatus } from './vocabulary.js';

const DAY_MS = 86_400_000;

/** What the closed-loop rules need to know about a ticket. */
export interface ClosingFacts {
  status: TicketStatus;
  category: string;
  /** The customer confirmed the resolution (portal link, or a return visit accepting it). */
  confirmed: boolean;
  hasReturnVisit: boolean;
}

export interface CloseRequest {
  reason?: string | null;
  followUp?: { plan: string; dueAt: Date } | null;
  /** The agent records that the customer acknowledged the solution (e.g. on the phone). */
  customerConfirmed?: boolean;
}

export type CloseDecision =
  | { ok: true; kind: Exclude<CloseKind, 'merged' | 'auto_no_reply'> }
  | { ok: false; code: 'return_visit_required' | 'validation_failed'; errors: FieldError[] };

/**
 * SPEC 4: a ticket closes only after the customer confirms the resolution; otherwise the
 * closing must carry the reason, a follow-up plan and a follow-up date (it then stays on the
 * follow-up to-do list). Complaints need a recorded return visit (回访) before any closing.
 *
 * An explicit follow-up means "closing unresolved" even on a confirmed ticket; confirmation
 * only counts from `resolved` (the customer acknowledges a solution that was given).
 */
export function decideClose(t: ClosingFacts, req: CloseRequest, now: Date): CloseDecision {
  if (t.category === COMPLAINT && !t.hasReturnVisit) {
    return {
      ok: false,
      code: 'return_visit_required',
      errors: [{ path: 'returnVisit', message: 'a complaint needs a return visit before closing' }],
    };
  }
  const confirmed = t.status === 'resolved' && (t.confirmed || req.customerConfirmed === true);
  if (confirmed && !req.followUp) return { ok: true, kind: 'confirmed' };
  const errors: FieldError[] = [];
  if (!req.reason?.trim())
    errors.push({ path: 'reason', message: 'closing without confirmation needs a reason' });
  if (!req.followUp?.plan.trim())
    errors.push({ path: 'followUp.plan', message: 'closing unresolved needs a follow-up plan' });
  if (!req.followUp?.dueAt)
    errors.push({ path: 'followUp.dueAt', message: 'closing unresolved needs a follow-up date' });
  else if (req.followUp.dueAt.getTime() <= now.getTime())
    errors.push({ path: 'followUp.dueAt', message: 'must be in the future' });
  return errors.length
    ? { ok: false, code: 'validation_failed', errors }
    : { ok: true, kind: 'unresolved' };
}

/** Whether a closing is possible at all, whatever the request says (for allowedTransitions). */
export const closingPossible = (t: ClosingFacts) => t.category !== COMPLAINT || t.hasReturnVisit;

/**
 * Auto-close (SPEC 4): a resolution the customer has not answered within `days` closes as
 * "auto-closed, no reply" — except a complaint still waiting for its return visit.
 */
export function autoCloseDue(
  t: ClosingFacts & { resolvedAt: Date | null },
  now: Date,
  days: number,
): boolean {
  if (t.status !== 'resolved' || !t.resolvedAt) return false;
  if (!closingPossible(t)) return false;
  return now.getTime() - t.resolvedAt.getTime() >= days * DAY_MS;
}

/** The moment before which a resolution is too young to auto-close. */
export const autoCloseCutoff = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** A closed ticket may be reopened within the configured window after closing. */
export function reopenAllowed(closedAt: Date | null, now: Date, windowDays: number): boolean {
  if (!closedAt) return false;
  return now.getTime() - closedAt.getTime() <= windowDays * DAY_MS;
}

/**
 * A closed ticket is archived (read-only) once `days` have passed since closing — but not while
 * its follow-up is still on the to-do list.
 */
export function archiveDue(
  closedAt: Date | null,
  now: Date,
  days: number,
  followUpOpen = false,
): boolean {
  if (!closedAt || followUpOpen) return false;
  return now.getTime() - closedAt.getTime() >= days * DAY_MS;
}

export const archiveCutoff = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
