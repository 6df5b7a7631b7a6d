/**
 * "A complaint received Friday 17:50 before the National Day holiday is due at …": the targets
 * a ticket with the given facts would get, on a calendar, under a policy version.
 */
import { TZDate } from '@date-fns/tz';
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { problems } from '../../lib/problem.js';
import { resolveCalendar } from './calendar-store.js';
import { currentVersionOrSeed, getVersion } from './policies.js';
import { planPolicies } from './rules/plan.js';
import { suggestPriority } from './rules/priority.js';
import type { SlaPolicy } from './rules/policy.js';

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
  const plan = planPolicies(version.policies, facts, calendar.cal);
  const ref = (p: SlaPolicy) => ({ key: p.key, name: p.name });
  return {
    policyVersion: version.version,
    policy: plan.base ? ref(plan.base) : null,
    applying: plan.applying.map((p) => ({ ...ref(p), applies: p.applies ?? 'first_match' })),
    calendar: { id: calendar.id, name: calendar.name, timeZone: calendar.timeZone },
    receivedAt: iso(facts.receivedAt),
    receivedInWorkingHours: plan.receivedInWorkingHours,
    targets: plan.targets.map((t) => ({
      kind: t.def.kind,
      source: ref(t.policy),
      overruled: plan.overruled
        .filter((o) => o.kind === t.def.kind)
        .map((o) => ({
          ...ref(o.policy),
          limitMs: o.limitMs,
          dueAt: iso(o.dueAt),
          dueAtLocal: new TZDate(o.dueAt, calendar.timeZone).toISOString(),
        })),
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

type CustomerTier = 'vip' | 'regular' | 'prospect';

/** `suggestPriority` with the tier of an existing customer (404 naming customerId if unknown). */
export async function suggestPriorityFor(
  ex: Executor,
  q: { category: string; tier: string; customerTier?: CustomerTier; customerId?: string },
) {
  let customerTier = q.customerTier ?? 'regular';
  if (q.customerId) {
    const [row] = rowsOf<{ tier: CustomerTier }>(
      await ex.execute(sql`SELECT tier FROM customers WHERE id = ${q.customerId}::uuid`),
    );
    if (!row) throw problems.notFound('Customer', 'customerId');
    customerTier = row.tier;
  }
  return { ...suggestPriority({ ...q, customerTier }), customerTier };
}
