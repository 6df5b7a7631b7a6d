/**
 * SLA policies: which time limits apply to a ticket, and when each falls due. Pure — the
 * caller supplies the ticket's facts, the policy list and the calendars.
 */
import { addBusinessTime, alwaysOpen, type BusinessCalendar } from './calendar.js';

export const TARGET_KINDS = [
  'first_response',
  'off_hours_ack',
  'assignment',
  'follow_up_contact',
  'handling_plan',
  'progress_update',
  'progress',
  'resolution',
  'complaint_registered',
  'complaint_contacted',
  'complaint_plan',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface TicketFacts {
  channel: string;
  category: string;
  tier: string;
  priority: string;
  customerTier: string;
  receivedAt: number;
}

/** Empty or absent list = any value. */
export interface PolicyMatch {
  channels?: string[];
  categories?: string[];
  tiers?: string[];
  priorities?: string[];
  customerTiers?: string[];
}

export interface TargetDefinition {
  kind: TargetKind;
  /** The limit in (business or round-the-clock) milliseconds… */
  durationMs: number;
  /** …or in working days of the team's calendar (its Monday's working hours each), e.g. 1 or 3. */
  workingDays?: number;
  /** 'business' counts the team's working calendar; '24x7' counts every minute. */
  clock: 'business' | '24x7';
  /** Whether waiting on the customer stops this clock. */
  pausesWhilePendingCustomer: boolean;
  /** Fraction of the limit at which to warn (default 0.8). */
  warnAt: number;
  /** Repeats after being met (e.g. a progress update every 24 h). */
  repeats: boolean;
  /** Only for requests received outside working hours (the automatic acknowledgement). */
  onlyOutsideWorkingHours?: boolean;
  /** Only for requests received inside working hours (the 30-second instant-channel reply). */
  onlyInsideWorkingHours?: boolean;
}

export interface SlaPolicy {
  key: string;
  name: { zh: string; en: string };
  match: PolicyMatch;
  targets: TargetDefinition[];
  /**
   * How the policy combines with the others (docs/sla.md, "Which policies apply"):
   * `first_match` (default) — only the first matching `first_match` policy of the list applies
   * (the ticket's **base** policy); `always` — applies whenever it matches, on top of the base
   * (e.g. the urgency limits of SPEC 3, whatever the tier). Per target kind the strictest
   * (earliest due) target of all applying policies wins.
   */
  applies?: 'first_match' | 'always';
}

export const appliesAlways = (p: SlaPolicy) => p.applies === 'always';

const matches = (list: string[] | undefined, value: string) =>
  !list?.length || list.includes(value);

/** Whether every condition of the policy holds for the ticket (an empty condition always does). */
export function policyMatches(p: SlaPolicy, t: TicketFacts): boolean {
  return (
    matches(p.match.channels, t.channel) &&
    matches(p.match.categories, t.category) &&
    matches(p.match.tiers, t.tier) &&
    matches(p.match.priorities, t.priority) &&
    matches(p.match.customerTiers, t.customerTier)
  );
}

/**
 * The ticket's base policy: the first `first_match` policy in the ordered list whose every
 * condition holds; undefined when none does. `always` policies are never the base.
 */
export function matchPolicy(policies: readonly SlaPolicy[], t: TicketFacts): SlaPolicy | undefined {
  return policies.find((p) => !appliesAlways(p) && policyMatches(p, t));
}

/**
 * Every policy that applies to the ticket, in list order: its base policy (if any) and each
 * matching `always` policy. Which of their targets the ticket gets is decided per kind by
 * `planPolicies` (rules/plan.ts): the earliest due.
 */
export function applyingPolicies(policies: readonly SlaPolicy[], t: TicketFacts): SlaPolicy[] {
  const base = matchPolicy(policies, t);
  return policies.filter((p) => p === base || (appliesAlways(p) && policyMatches(p, t)));
}

export interface ComputedTarget {
  kind: TargetKind;
  startAt: number;
  warnAt: number;
  dueAt: number;
}

/**
 * Due and warning instants of every target of `policy` for a ticket received at
 * `facts.receivedAt`, on the team's `calendar` (or round the clock where the target says so).
 */
export function computeTargets(
  policy: SlaPolicy,
  facts: TicketFacts,
  calendar: BusinessCalendar,
  isWorking: (t: number) => boolean,
): ComputedTarget[] {
  const receivedInHours = isWorking(facts.receivedAt);
  const always = alwaysOpen(calendar.timeZone);
  return policy.targets
    .filter(
      (d) =>
        !(d.onlyOutsideWorkingHours && receivedInHours) &&
        !(d.onlyInsideWorkingHours && !receivedInHours),
    )
    .map((d) => {
      const cal = d.clock === 'business' ? calendar : always;
      const limit = limitMs(d, calendar);
      return {
        kind: d.kind,
        startAt: facts.receivedAt,
        warnAt: addBusinessTime(facts.receivedAt, Math.floor(limit * d.warnAt), cal),
        dueAt: addBusinessTime(facts.receivedAt, limit, cal),
      };
    });
}

/** A target's limit in milliseconds of its clock. */
export function limitMs(d: TargetDefinition, calendar: BusinessCalendar): number {
  return d.workingDays === undefined ? d.durationMs : d.workingDays * workingDayMs(calendar);
}

/** Length of one working day: the calendar's Monday hours (7.5 h for 09:00–12:00 + 13:30–18:00). */
export function workingDayMs(calendar: BusinessCalendar): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return (calendar.weekly[1] ?? []).reduce(
    (sum, i) => sum + (minutes(i.end) - minutes(i.start)) * 60_000,
    0,
  );
}
