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
