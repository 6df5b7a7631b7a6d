import type { FieldError } from '../../../lib/problem.js';
import { archiveDue, closingPossible, reopenAllowed } from './closing.js';
import { checkTransition, legalTargets, type TransitionActor } from './state-machine.js';
import type { TicketStatus } from './vocabulary.js';

/** Everything the transition rules look at, gathered by the service. */
export interface TransitionContext {
  status: TicketStatus;
  category: string;
  confirmed: boolean;
  hasReturnVisit: boolean;
  closedAt: Date | null;
  /** Closed by merging into another ticket: the work continues there, never here. */
  merged: boolean;
  /** An unresolved closing's follow-up is not done yet (blocks archiving). */
  followUpOpen: boolean;
  registrationGaps: FieldError[];
  actors: readonly TransitionActor[];
  /** The caller is the ticket's owner (first-contact responsibility: the owner closes). */
  isOwner: boolean;
  now: Date;
  reopenWindowDays: number;
  archiveAfterDays: number;
}

export type TransitionVerdict =
  | { ok: true }
  | {
      ok: false;
      status: 403 | 409 | 422;
      code: string;
      detail: string;
      errors?: FieldError[];
    };

const CLOSERS: readonly TransitionActor[] = ['supervisor', 'admin', 'customer', 'system'];

/**
 * Whether this caller may move this ticket to `to` now — before looking at the request body
 * (reason, follow-up), which `decideClose` judges. Order: state machine, role, record rules.
 */
export function judgeTransition(c: TransitionContext, to: TicketStatus): TransitionVerdict {
  const base = checkTransition(c.actors, c.status, to);
  if (!base.ok) {
    return base.reason === 'illegal'
      ? {
          ok: false,
          status: 409,
          code: 'illegal_transition',
          detail: `A ticket cannot go from ${c.status} to ${to}.`,
        }
      : {
          ok: false,
          status: 403,
          code: 'transition_not_permitted',
          detail: `Your role may not move a ticket from ${c.status} to ${to}.`,
        };
  }
  if (to === 'accepted' && c.registrationGaps.length) {
    return {
      ok: false,
      status: 422,
      code: 'registration_incomplete',
      detail: 'Register first, then handle: complete the registration before accepting.',
      errors: c.registrationGaps,
    };
  }
  if (to === 'closed') {
    if (!c.isOwner && !c.actors.some((a) => CLOSERS.includes(a))) {
      return {
        ok: false,
        status: 403,
        code: 'owner_closes',
        detail: 'First-contact responsibility: only the owner or a supervisor closes a ticket.',
      };
    }
    if (!closingPossible(c)) {
      return {
        ok: false,
        status: 422,
        code: 'return_visit_required',
        detail: 'A complaint needs a recorded return visit before it can close.',
        errors: [{ path: 'returnVisit', message: 'no return visit recorded' }],
      };
    }
  }
  if (to === 'reopened' && c.merged) {
    return {
      ok: false,
      status: 409,
      code: 'ticket_merged',
      detail: 'The ticket was merged into another; continue there.',
    };
  }
  if (
    to === 'reopened' &&
    c.status === 'closed' &&
    !reopenAllowed(c.closedAt, c.now, c.reopenWindowDays)
  ) {
    return {
      ok: false,
      status: 409,
      code: 'reopen_window_passed',
      detail: `A closed ticket can be reopened within ${c.reopenWindowDays} days of closing.`,
    };
  }
  if (to === 'archived' && !archiveDue(c.closedAt, c.now, c.archiveAfterDays, c.followUpOpen)) {
    return {
      ok: false,
      status: 409,
      code: 'archive_not_due',
      detail: c.followUpOpen
        ? 'The follow-up of this ticket is not done yet.'
        : `A ticket is archived ${c.archiveAfterDays} days after closing.`,
    };
  }
  return { ok: true };
}

/** The statuses this caller can move the ticket to now (the buttons the console shows). */
export function allowedTransitions(c: TransitionContext): TicketStatus[] {
  return legalTargets(c.status).filter((to) => judgeTransition(c, to).ok);
}
