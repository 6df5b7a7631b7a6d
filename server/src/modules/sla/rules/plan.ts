/**
 * The clocks a ticket gets: each target of the matched policy that applies (in or out of
 * working hours), with its limit, warning threshold, and due and warning instants. Pure; built
 * on policy.ts's computeTargets so the preview, the clocks and the tests agree to the millisecond.
 */
import { alwaysOpen, isWorkingTime, type BusinessCalendar } from './calendar.js';
import { warnAfter } from './clock.js';
import {
  computeTargets,
  limitMs,
  type SlaPolicy,
  type TargetDefinition,
  type TicketFacts,
} from './policy.js';

export interface PlannedTarget {
  def: TargetDefinition;
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

export function planTargets(policy: SlaPolicy, facts: TicketFacts, cal: BusinessCalendar): Plan {
  const inHours = isWorkingTime(facts.receivedAt, cal);
  const isWorking = () => inHours;
  const targets = policy.targets.flatMap((def) =>
    computeTargets({ ...policy, targets: [def] }, facts, cal, isWorking).map((t) => {
      const limit = limitMs(def, cal);
      return {
        def,
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

/** The calendar a target counts on: the business calendar, or round the clock. */
export const calendarForTarget = (def: TargetDefinition, cal: BusinessCalendar) =>
  def.clock === 'business' ? cal : alwaysOpen(cal.timeZone);
