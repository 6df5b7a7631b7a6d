/** Types of the tickets and customers API (see the tickets contract; the server may add fields). */

export const CHANNELS = ['chat', 'phone', 'email', 'portal', 'walk_in', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CATEGORIES = [
  'consultation',
  'complaint',
  'product_use',
  'after_sales',
  'business_application',
  'suggestion',
] as const;
/** A category key; the list is admin-configurable, so any string may come back. */
export type Category = string;

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

export const SORTS = ['received_desc', 'received_asc', 'updated_desc', 'due_asc'] as const;
export type TicketSort = (typeof SORTS)[number];

export type CustomerTier = 'vip' | 'regular' | 'prospect';

export type SlaRisk = 'ok' | 'warning' | 'breached';
export type CloseKind = 'confirmed' | 'auto_no_reply' | 'unresolved' | 'merged';

export interface Ref {
  id: string;
  name: string;
}

export interface Customer {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  organisation: string | null;
  tier: CustomerTier;
  notes: string;
  consent: { contact: boolean; marketing: boolean };
  /** Agent replies go out by email even when the ticket came by another channel. */
  prefersEmail: boolean;
  /** Contact details are masked for the caller's role. */
  masked?: boolean;
  /** Set on a duplicate merged into another customer. */
  mergedInto?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FollowUp {
  reason: string;
  plan: string;
  dueAt: string;
  doneAt: string | null;
}

export interface ReturnVisit {
  visitedAt: string;
  by: Ref;
  outcome: string;
  customerAccepted: boolean;
}

export interface Ticket {
  id: string;
  number: string;
  channel: Channel;
  category: Category;
  tier: Tier;
  priority: Priority;
  subject: string;
  description: string;
  customer: { id: string; name: string; tier: CustomerTier };
  receivedAt: string;
  registeredAt: string;
  registeredBy: Ref;
  receivingAgent: Ref;
  owner: Ref;
  team: Ref | null;
  handler: Ref | null;
  status: TicketStatus;
  greenChannel: boolean;
  tags: string[];
  /** Custom field values by key (GET /ticket-fields). */
  customFields?: Record<string, unknown>;
  version: number;
  /** Earliest due time of the running SLA clocks (sort `due_asc`); null when none runs. */
  slaDueAt?: string | null;
  slaRisk?: SlaRisk | null;
  /** 先登记、后处理: the ticket moves past `new` only when the registration is complete. */
  registration?: { complete: boolean; missing: string[] };
  firstResponseAt?: string | null;
  acceptedAt?: string | null;
  confirmedAt?: string | null;
  archivedAt?: string | null;
  mergedInto?: { id: string; number: string } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  closeKind: CloseKind | null;
  followUp: FollowUp | null;
  returnVisit: ReturnVisit | null;
  allowedTransitions: TicketStatus[];
  createdAt: string;
  updatedAt: string;
}

export type TimelineKind =
  | 'created'
  | 'reply'
  | 'note'
  | 'status'
  | 'assignment'
  | 'owner'
  | 'field'
  | 'tier'
  | 'merge'
  | 'link'
  | 'return_visit'
  | 'confirmation'
  | 'follow_up'
  | 'handling_plan';

export interface TimelineEntry {
  id: string;
  kind: TimelineKind | string;
  at: string;
  actor: Ref | null;
  visibility: 'public' | 'internal';
  body: string | null;
  data: Record<string, unknown>;
}

export interface TicketCategory {
  key: string;
  labelZh: string;
  labelEn: string;
  active: boolean;
}

export type QueueCounts = Record<Queue, number>;

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: TicketStatus;
  error?: { title?: string; detail?: string; code?: string; status?: number; allowed?: unknown };
}

/** What the customer sees on the confirmation page. */
export interface ConfirmationSummary {
  number: string;
  subject: string;
  status: TicketStatus;
  resolvedAt: string | null;
  /** open: the customer may answer; the others: the link is spent. */
  state?: 'open' | 'used' | 'expired' | 'revoked';
  decision?: 'confirm' | 'reject' | null;
  expiresAt?: string;
}

/** The one-time link a resolution sends the customer (answered to staff when resolving). */
export interface ConfirmationLink {
  url: string;
  expiresAt: string;
  /** Masked e-mail the link was sent to, when the customer has one. */
  sentTo: string | null;
}
