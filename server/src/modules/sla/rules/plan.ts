/**
 * The clocks a ticket gets: each target of the policies that apply to it (in or out of working
 * hours) — per kind the strictest, i.e. the earliest due — with its limit, warning threshold,
 * due and warning instants, and the policy it came from. Pure; built on policy.ts's
 * computeTargets so the preview, the clocks and the tests agree to the millisecond.
 */
import { alwaysOpen, isWorkingTime, type BusinessCalendar } from './calendar.js';
import { warnAfter } from './clock.js';
import {
  applyingPolicies,
  computeTargets,
  limitMs,
  matchPolicy,
  type SlaPolicy,
  type TargetDefinition,
  type TicketFacts,
} from './policy.js';

export interface PlannedTarget {
  def: TargetDefinition;
  /** The policy this target came from. */
  policy: SlaPolicy;
  startAt: number;
  warnAt: number;
  dueAt: number;
  limitMs: number;
  warnAfterMs: number;
}

export interface Plan {
  receivedInWorkingHours: boolean;
  targets: PlannedTarget[];
}

/** The targets of one policy alone (every applicable one; no combining). */
export function planTargets(policy: SlaPolicy, facts: TicketFacts, cal: BusinessCalendar): Plan {
  const inHours = isWorkingTime(facts.receivedAt, cal);
  const isWorking = () => inHours;
  const targets = policy.targets.flatMap((def) =>
    computeTargets({ ...policy, targets: [def] }, facts, cal, isWorking).map((t) => {
      const limit = limitMs(def, cal);
      return {
        def,
        policy,
        startAt: t.startAt,
        warnAt: t.warnAt,
        dueAt: t.dueAt,
        limitMs: limit,
        warnAfterMs: warnAfter(limit, def.warnAt),
      };
    }),
  );
  return { receivedInWorkingHours: inHours, targets };
}

/** A candidate that lost to a stricter target of the same kind (shown by the preview). */
export interface OverruledTarget {
  kind: PlannedTarget['def']['kind'];
  policy: SlaPolicy;
  dueAt: number;
  limitMs: number;
}

export interface CombinedPlan extends Plan {
  /** The base policy (first `first_match` match), if any. */
  base: SlaPolicy | undefined;
  /** Every policy that applies, in list order (base and matching `always` policies). */
  applying: SlaPolicy[];
  /** The policies that supplied at least one target, in list order. */
  contributing: SlaPolicy[];
  overruled: OverruledTarget[];
}

/**
 * The combination rule (docs/sla.md, "Which policies apply"): the base policy and every
 * matching `always` policy contribute their applicable targets; per kind the one due earliest
 * wins — ties go to the shorter limit, then to the policy earlier in the list. Targets keep the
 * order of the list (policy by policy, target by target).
 */
export function planPolicies(
  policies: readonly SlaPolicy[],
  facts: TicketFacts,
  cal: BusinessCalendar,
): CombinedPlan {
  const applying = applyingPolicies(policies, facts);
  const plans = applying.map((p) => planTargets(p, facts, cal));
  const candidates = plans.flatMap((p) => p.targets);
  const best = new Map<string, PlannedTarget>();
  for (const c of candidates) {
    const cur = best.get(c.def.kind);
    if (!cur || c.dueAt < cur.dueAt || (c.dueAt === cur.dueAt && c.limitMs < cur.limitMs))
      best.set(c.def.kind, c);
  }
  const targets = candidates.filter((c) => best.get(c.def.kind) === c);
  const overruled = candidates
    .filter((c) => best.get(c.def.kind) !== c)
    .map((c) => ({ kind: c.def.kind, policy: c.policy, dueAt: c.dueAt, limitMs: c.limitMs }));
  return {
    receivedInWorkingHours: isWorkingTime(facts.receivedAt, cal),
    targets,
    base: matchPolicy(policies, facts),
    applying,
    contributing: applying.filter((p) => targets.some((t) => t.policy === p)),
    overruled,
  };
}

/**
 * A short label of the policies a plan's targets came from, in list order: `level2+urgent`.
 * Null when there are none.
 */
export function policyLabel(keys: Iterable<string>, policies: readonly SlaPolicy[]): string | null {
  const set = new Set(keys);
  const ordered = policies.map((p) => p.key).filter((k) => set.has(k));
  for (const k of set) if (!ordered.includes(k)) ordered.push(k);
  return ordered.length ? ordered.join('+') : null;
}

/** The calendar a target counts on: the business calendar, or round the clock. */
export const calendarForTarget = (def: TargetDefinition, cal: BusinessCalendar) =>
  def.clock === 'business' ? cal : alwaysOpen(cal.timeZone);
