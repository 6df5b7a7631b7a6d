/**
 * The default SLA policies: the time limits of SPEC chapter 3 and the tier rules of chapter 2.
 * The first matching policy gives a ticket its targets; the urgency limits (`applies: 'always'`)
 * apply on top of it whatever the tier or channel, the earliest due target of a kind winning. They are seeded into the database as version 1; administrators edit them
 * there (a new version each time), never here.
 */
import type { SlaPolicy, TargetDefinition, TargetKind } from './policy.js';

const S = 1000;
const H = 3_600_000;

function target(
  kind: TargetKind,
  durationMs: number,
  extra: Partial<TargetDefinition> = {},
): TargetDefinition {
  return {
    kind,
    durationMs,
    clock: 'business',
    pausesWhilePendingCustomer: true,
    warnAt: 0.8,
    repeats: false,
    ...extra,
  };
}
const workingDays = (kind: TargetKind, days: number) => target(kind, 0, { workingDays: days });

/** Chat and phone: 30 s in working hours, an automatic acknowledgement within 1 h outside them. */
const instantResponse = [
  target('first_response', 30 * S, { onlyInsideWorkingHours: true }),
  target('off_hours_ack', 1 * H, { clock: '24x7', onlyOutsideWorkingHours: true }),
];
const INSTANT = ['chat', 'phone'];

/** Level 2: assigned to the responsible team within 2 h, customer contacted within 12 h. */
const level2 = [
  target('assignment', 2 * H),
  target('follow_up_contact', 12 * H),
  target('progress', 48 * H),
  target('resolution', 72 * H),
];

export const DEFAULT_SLA_POLICIES: SlaPolicy[] = [
  {
    key: 'complaint',
    name: { zh: '投诉', en: 'Complaint' },
    match: { categories: ['complaint'] },
    targets: [
      // Complaint: registered 2 h / customer contacted 4 h / handling plan 24 h.
      target('complaint_registered', 2 * H, { pausesWhilePendingCustomer: false }),
      target('complaint_contacted', 4 * H, { pausesWhilePendingCustomer: false }),
      target('complaint_plan', 24 * H),
      // Level 3: first handling plan within 4 h, then progress to the customer every 24 h.
      target('handling_plan', 4 * H, { pausesWhilePendingCustomer: false }),
      target('progress_update', 24 * H, { repeats: true, pausesWhilePendingCustomer: false }),
    ],
  },
  {
    key: 'level3',
    name: { zh: '三级：重大纠纷（绿色通道）', en: 'Level 3: major dispute (green channel)' },
    match: { tiers: ['L3'] },
    targets: [
      target('handling_plan', 4 * H, { pausesWhilePendingCustomer: false }),
      target('progress_update', 24 * H, { repeats: true, pausesWhilePendingCustomer: false }),
    ],
  },
  {
    key: 'instant_level2',
    name: { zh: '即时渠道 · 二级', en: 'Instant channel, level 2' },
    match: { channels: INSTANT, tiers: ['L2'] },
    targets: [...instantResponse, ...level2],
  },
  {
    key: 'level2',
    name: { zh: '二级：复杂问题、故障报修', en: 'Level 2: complex question, fault report' },
    match: { tiers: ['L2'] },
    // Non-instant channels accept a complex request within 3 working days.
    targets: [workingDays('first_response', 3), ...level2],
  },
  {
    key: 'instant',
    name: { zh: '即时渠道（在线、电话）', en: 'Instant channels (chat, phone)' },
    match: { channels: INSTANT },
    targets: [...instantResponse, target('resolution', 24 * H)],
  },
  // SPEC 3 "by urgency: urgent / general / routine response 2 h / 4 h / 24 h" holds whatever
  // the tier: these apply on top of the ticket's first-match policy (an urgent L2 e-mail is
  // answered within 2 h, not 3 working days); the stricter target of a kind wins.
  {
    key: 'urgent',
    name: { zh: '紧急', en: 'Urgent' },
    applies: 'always',
    match: { priorities: ['urgent'] },
    targets: [target('first_response', 2 * H)],
  },
  {
    key: 'important',
    name: { zh: '重要', en: 'Important' },
    applies: 'always',
    match: { priorities: ['important'] },
    targets: [target('first_response', 4 * H)],
  },
  {
    key: 'general',
    name: { zh: '一般咨询', en: 'General enquiry' },
    match: {},
    // Non-instant channels accept within 1 working day; a clear answer within 24 h.
    targets: [workingDays('first_response', 1), target('resolution', 24 * H)],
  },
];
