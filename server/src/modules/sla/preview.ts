/**
 * "A complaint received Friday 17:50 before the National Day holiday is due at …": the targets
 * a ticket with the given facts would get, on a calendar, under a policy version.
 */
import { TZDate } from '@date-fns/tz';
import type { Executor } from '../../db/client.js';
import { problems } from '../../lib/problem.js';
import { resolveCalendar } from './calendar-store.js';
import { currentVersionOrSeed, getVersion } from './policies.js';
import { matchPolicy } from './rules/policy.js';
import { planTargets } from './rules/plan.js';

export interface PreviewInput {
  calendarId?: string;
  receivedAt: string;
  channel: string;
  category: string;
  tier: string;
  priority: string;
  customerTier: string;
  version?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function previewTargets(ex: Executor, q: PreviewInput, now: Date) {
  const version = q.version ? await getVersion(ex, q.version) : await currentVersionOrSeed(ex, now);
  if (!version) throw problems.notFound(`Policy version ${q.version}`, 'version');
  const calendar = await resolveCalendar(ex, { calendarId: q.calendarId });
  const facts = { ...q, receivedAt: new Date(q.receivedAt).getTime() };
  const policy = matchPolicy(version.policies, facts);
  const plan = policy
    ? planTargets(policy, facts, calendar.cal)
    : { receivedInWorkingHours: false, targets: [] };
  return {
    policyVersion: version.version,
    policy: policy ? { key: policy.key, name: policy.name } : null,
    calendar: { id: calendar.id, name: calendar.name, timeZone: calendar.timeZone },
    receivedAt: iso(facts.receivedAt),
    receivedInWorkingHours: plan.receivedInWorkingHours,
    targets: plan.targets.map((t) => ({
      kind: t.def.kind,
      clock: t.def.clock,
      limitMs: t.limitMs,
      warnAt: iso(t.warnAt),
      dueAt: iso(t.dueAt),
      dueAtLocal: new TZDate(t.dueAt, calendar.timeZone).toISOString(),
      pausesWhilePendingCustomer: t.def.pausesWhilePendingCustomer,
      repeats: t.def.repeats,
    })),
  };
}
