import type { Role } from '../../../access/roles.js';
import { STATUSES, type TicketStatus } from './vocabulary.js';

/**
 * The ticket life cycle (SPEC 4: received → handled → answered → archived):
 *
 *   new ─▶ accepted ─▶ in_progress ⇄ pending_customer / pending_internal
 *                │            │                │
 *                └────────────┴──▶ resolved ◀──┘  (awaiting the customer's confirmation)
 *                                     │  ▲
 *                  reopened ◀─────────┤  │
 *                     ▲               ▼  │
 *                     └──────────── closed ─▶ archived (read-only)
 *
 * Closing without a resolution (reason + follow-up plan) is possible from every working state.
 */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['accepted'],
  accepted: ['in_progress', 'resolved'],
  in_progress: ['pending_customer', 'pending_internal', 'resolved', 'closed'],
  pending_customer: ['in_progress', 'resolved', 'closed'],
  pending_internal: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened', 'archived'],
  reopened: ['in_progress', 'pending_customer', 'pending_internal', 'resolved', 'closed'],
  archived: [],
};

export function legalTargets(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export function isLegal(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Who may ask for a transition: a role, the customer (portal), or the scheduler. */
export type TransitionActor = Role | 'system';

const WORKERS: readonly TransitionActor[] = ['agent', 'supervisor', 'specialist', 'admin'];
const LEADS: readonly TransitionActor[] = ['supervisor', 'admin'];

/**
 * Which actors may make a legal transition. Working states are open to everyone who works
 * tickets; the customer only answers a resolution (confirm → closed, reject → reopened); the
 * scheduler only auto-closes an unanswered resolution and archives; archiving by hand is for
 * supervisors. Record rules (only the owner or a supervisor closes) are applied by the service.
 */
export function rolesFor(from: TicketStatus, to: TicketStatus): readonly TransitionActor[] {
  if (!isLegal(from, to)) return [];
  switch (to) {
    case 'closed':
      return from === 'resolved' ? [...WORKERS, 'customer', 'system'] : WORKERS;
    case 'reopened':
      return from === 'resolved' ? [...WORKERS, 'customer'] : ['agent', ...LEADS];
    case 'archived':
      return [...LEADS, 'system'];
    default:
      return WORKERS;
  }
}

export function mayTransition(
  actors: readonly TransitionActor[],
  from: TicketStatus,
  to: TicketStatus,
): boolean {
  const allowed = rolesFor(from, to);
  return actors.some((a) => allowed.includes(a));
}

export type TransitionCheck =
  { ok: true } | { ok: false; reason: 'illegal' | 'not_permitted'; allowed: TicketStatus[] };

/** The state machine's and the role table's verdict on one request. */
export function checkTransition(
  actors: readonly TransitionActor[],
  from: TicketStatus,
  to: TicketStatus,
): TransitionCheck {
  const allowed = legalTargets(from).filter((s) => mayTransition(actors, from, s));
  if (!isLegal(from, to)) return { ok: false, reason: 'illegal', allowed };
  if (!mayTransition(actors, from, to)) return { ok: false, reason: 'not_permitted', allowed };
  return { ok: true };
}

export const ALL_STATUSES = STATUSES;
