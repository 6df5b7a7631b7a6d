/**
 * Escalation chains: who is told when a target reaches its warning threshold and when it is
 * breached. Stored with each policy (so they are versioned with it); pure.
 */
import type { SlaPolicy, TargetKind } from './policy.js';

/**
 * `owner` — the ticket's owner (first-contact responsibility); `handler` — who works on it now;
 * `team_lead` — members of the ticket's team who hold the supervisor role;
 * `supervisors` — every active supervisor. Inactive users are never notified; a user named
 * twice is notified once. (The sweeper resolves these in SQL: sweep-sql.ts.)
 */
export const RECIPIENTS = ['owner', 'handler', 'team_lead', 'supervisors'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

export interface Escalation {
  warning: { notify: Recipient[] };
  breach: {
    notify: Recipient[];
    /** Ask the tickets module to raise the priority one step (general → important → urgent). */
    raisePriority: boolean;
    /** …and the tier one step (L1 → L2 → L3; L3 is the green channel). */
    raiseTier?: boolean;
    /** …and hand the ticket to this team (its handler is cleared); null/absent = leave it. */
    assignTeamId?: string | null;
  };
}

/** SPEC 2–3: on warning the owner; on breach the team lead and the supervisors (and the owner). */
export const DEFAULT_ESCALATION: Escalation = {
  warning: { notify: ['owner'] },
  breach: { notify: ['owner', 'team_lead', 'supervisors'], raisePriority: false },
};

/** A policy as stored in a version: the matching rules and targets plus its escalation chain. */
export type StoredPolicy = SlaPolicy & { escalation?: Escalation };

export const TARGET_LABELS: Record<TargetKind, { zh: string; en: string }> = {
  first_response: { zh: '首次响应', en: 'First response' },
  off_hours_ack: { zh: '非工作时间自动确认', en: 'Off-hours acknowledgement' },
  assignment: { zh: '分派到责任团队', en: 'Assignment to a team' },
  follow_up_contact: { zh: '跟进联系客户', en: 'Follow-up contact' },
  handling_plan: { zh: '首次处理方案', en: 'First handling plan' },
  progress_update: { zh: '进展通报', en: 'Progress update' },
  progress: { zh: '处理进展', en: 'Progress' },
  resolution: { zh: '解决答复', en: 'Resolution' },
  complaint_registered: { zh: '投诉登记', en: 'Complaint registered' },
  complaint_contacted: { zh: '投诉联系客户', en: 'Complaint: customer contacted' },
  complaint_plan: { zh: '投诉处理方案', en: 'Complaint handling plan' },
};

/**
 * Notification titles by event and language: `%1$s` is the ticket number, `%2$s` the target's
 * label. The sweeper formats them in SQL (PostgreSQL's format()), notificationTitle here.
 */
export const TITLE_TEMPLATES = {
  warning: {
    zh: 'SLA 预警：工单 %1$s「%2$s」即将到期',
    en: 'SLA warning: ticket %1$s — %2$s is nearly due',
  },
  breach: {
    zh: 'SLA 超时：工单 %1$s「%2$s」已超时',
    en: 'SLA breached: ticket %1$s — %2$s is overdue',
  },
} as const;

/** The notification title in the recipient's language (en-US, else Chinese). */
export function notificationTitle(
  event: 'warning' | 'breach',
  targetKind: string,
  ticketNumber: string,
  locale: string,
): string {
  const lang = locale === 'en-US' ? 'en' : 'zh';
  const label = TARGET_LABELS[targetKind as TargetKind]?.[lang] ?? targetKind;
  return TITLE_TEMPLATES[event][lang].replace('%1$s', ticketNumber).replace('%2$s', label);
}

export const PRIORITY_STEPS = ['general', 'important', 'urgent'] as const;
export const TIER_STEPS = ['L1', 'L2', 'L3'] as const;

/** One step up a ladder; the top (or an unknown value) stays where it is. */
export function stepUp<T extends string>(ladder: readonly T[], value: string): T | null {
  const i = ladder.indexOf(value as T);
  return i >= 0 && i < ladder.length - 1 ? ladder[i + 1]! : null;
}

export interface TicketFields {
  priority: string;
  tier: string;
  teamId: string | null;
}

export interface Change<T> {
  from: T;
  to: T;
}

/** What a fired event changes on the ticket; empty for warnings and for chains that ask nothing. */
export interface EscalationChanges {
  priority?: Change<string>;
  tier?: Change<string>;
  teamId?: Change<string | null>;
}

/**
 * The automatic changes a breach asks for, given the ticket as it is now: priority and tier one
 * step up (never past the top), the configured team when it is not already the ticket's. A
 * warning changes nothing (it only goes on the timeline and to the people notified).
 */
export function escalationChanges(
  kind: 'warning' | 'breach',
  escalation: Escalation,
  ticket: TicketFields,
): EscalationChanges {
  if (kind !== 'breach') return {};
  const b = escalation.breach;
  const changes: EscalationChanges = {};
  const priority = b.raisePriority ? stepUp(PRIORITY_STEPS, ticket.priority) : null;
  if (priority) changes.priority = { from: ticket.priority, to: priority };
  const tier = b.raiseTier ? stepUp(TIER_STEPS, ticket.tier) : null;
  if (tier) changes.tier = { from: ticket.tier, to: tier };
  if (b.assignTeamId && b.assignTeamId !== ticket.teamId)
    changes.teamId = { from: ticket.teamId, to: b.assignTeamId };
  return changes;
}
