/**
 * The fixed vocabulary of tickets (SPEC chapters 1, 2, 4). Categories are not here: they are an
 * admin-configurable table (`ticket_categories`); only the key `complaint` has rules attached.
 */
export const CHANNELS = ['chat', 'phone', 'email', 'portal', 'walk_in', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels whose entries may carry a past received time (entered after the call or visit). */
// Email (issue 13): a message's arrival time is known and precedes its registration.
export const BACKDATABLE_CHANNELS: readonly Channel[] = ['phone', 'walk_in', 'email'];

export const TIERS = ['L1', 'L2', 'L3'] as const;
export type Tier = (typeof TIERS)[number];

export const PRIORITIES = ['urgent', 'important', 'general'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = [
  'new',
  'accepted',
  'in_progress',
  'pending_customer',
  'pending_internal',
  'resolved',
  'closed',
  'reopened',
  'archived',
] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const CLOSE_KINDS = ['confirmed', 'auto_no_reply', 'unresolved', 'merged'] as const;
export type CloseKind = (typeof CLOSE_KINDS)[number];

export const CUSTOMER_TIERS = ['vip', 'regular', 'prospect'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export const QUEUES = [
  'mine',
  'team',
  'unassigned',
  'green_channel',
  'awaiting_confirmation',
  'follow_up',
  'all',
] as const;
export type Queue = (typeof QUEUES)[number];

export const TIMELINE_KINDS = [
  'created',
  'reply',
  'note',
  'status',
  'assignment',
  'owner',
  'field',
  'tier',
  'merge',
  'link',
  'return_visit',
  'confirmation',
  'follow_up',
  'attachment',
  'citation',
  /** A time limit warned or breached, and what its escalation did (tickets/sla-actions.ts). */
  'sla',
  /** A handling plan (处理方案) recorded or revised (tickets/handling-plans.ts, migration 0013). */
  'handling_plan',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** The category key the complaint rules (L3 by default, return visit before closing) attach to. */
export const COMPLAINT = 'complaint';

/** Statuses in which somebody still has to work on the ticket. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = [
  'new',
  'accepted',
  'in_progress',
  'pending_customer',
  'pending_internal',
  'reopened',
];

/**
 * ACTIVE_STATUSES as an SQL list literal, `('new', …)`: written out (not bound parameters) so
 * that the planner matches the partial indexes on active tickets (migration 0008).
 */
export const ACTIVE_STATUSES_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Statuses after which the ticket is finished (read-only once archived). */
export const FINISHED_STATUSES: readonly TicketStatus[] = ['closed', 'archived'];
