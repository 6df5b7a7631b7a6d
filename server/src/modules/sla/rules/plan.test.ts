import { describe, expect, it } from 'vitest';
import { weekdays } from './calendar.js';
import { planPolicies, policyLabel } from './plan.js';
import {
  applyingPolicies,
  matchPolicy,
  policyMatches,
  type SlaPolicy,
  type TargetDefinition,
  type TargetKind,
  type TicketFacts,
} from './policy.js';

const H = 3_600_000;
const cal = weekdays('Asia/Shanghai', [{ start: '09:00', end: '17:00' }]); // 8 h a day
const monday10 = new Date('2026-03-02T10:00:00+08:00').getTime();
const facts = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  channel: 'email',
  category: 'consultation',
  tier: 'L2',
  priority: 'urgent',
  customerTier: 'regular',
  receivedAt: monday10,
  ...over,
});
const t = (
  kind: TargetKind,
  durationMs: number,
  extra: Partial<TargetDefinition> = {},
): TargetDefinition => ({
  kind,
  durationMs,
  clock: 'business',
  pausesWhilePendingCustomer: true,
  warnAt: 0.8,
  repeats: false,
  ...extra,
});
const policy = (key: string, over: Partial<SlaPolicy>): SlaPolicy => ({
  key,
  name: { zh: key, en: key },
  match: {},
  targets: [],
  ...over,
});
const keys = (ps: SlaPolicy[]) => ps.map((p) => p.key);

describe('policyMatches', () => {
  const every = {
    channels: ['email'],
    categories: ['consultation'],
    tiers: ['L2'],
    priorities: ['urgent'],
    customerTiers: ['regular'],
  };
  it('an empty or absent condition matches anything', () => {
    expect(policyMatches(policy('a', { match: {} }), facts())).toBe(true);
    expect(
      policyMatches(
        policy('a', {
          match: { channels: [], categories: [], tiers: [], priorities: [], customerTiers: [] },
        }),
        facts(),
      ),
    ).toBe(true);
    expect(policyMatches(policy('a', { match: every }), facts())).toBe(true);
  });
  it.each([
    ['channels', { channel: 'chat' }],
    ['categories', { category: 'complaint' }],
    ['tiers', { tier: 'L1' }],
    ['priorities', { priority: 'general' }],
    ['customerTiers', { customerTier: 'vip' }],
  ] as const)('every condition must hold: %s', (_field, over) => {
    expect(policyMatches(policy('a', { match: every }), facts(over))).toBe(false);
  });
});

describe('which policies apply', () => {
  const list = [
    policy('vip', { applies: 'always', match: { customerTiers: ['vip'] } }),
    policy('l2', { match: { tiers: ['L2'] } }),
    policy('urgent', { applies: 'always', match: { priorities: ['urgent'] } }),
    policy('l2_again', { match: { tiers: ['L2'] } }),
    policy('any', { applies: 'first_match', match: {} }),
  ];
  it('the base is the first first_match policy that matches; always policies are never the base', () => {
    expect(matchPolicy(list, facts())?.key).toBe('l2');
    expect(matchPolicy(list, facts({ tier: 'L1' }))?.key).toBe('any');
    expect(matchPolicy(list.slice(0, 1), facts({ customerTier: 'vip' }))).toBeUndefined();
  });
  it('the base and every matching always policy apply, in list order', () => {
    expect(keys(applyingPolicies(list, facts()))).toEqual(['l2', 'urgent']);
    expect(keys(applyingPolicies(list, facts({ customerTier: 'vip' })))).toEqual([
      'vip',
      'l2',
      'urgent',
    ]);
    expect(keys(applyingPolicies(list, facts({ tier: 'L1', priority: 'general' })))).toEqual([
      'any',
    ]);
    expect(applyingPolicies([], facts())).toEqual([]);
  });
  it('without the field a list is first-match as before', () => {
    const plain = list.map(({ applies: _, ...p }) => p);
    expect(keys(applyingPolicies(plain, facts({ customerTier: 'vip' })))).toEqual(['vip']);
  });
});

describe('planPolicies: the strictest target of a kind wins', () => {
  const base = policy('l2', {
    match: { tiers: ['L2'] },
    targets: [t('first_response', 0, { workingDays: 3 }), t('resolution', 72 * H)],
  });
  const urgent = policy('urgent', {
    applies: 'always',
    match: { priorities: ['urgent'] },
    targets: [t('first_response', 2 * H), t('resolution', 100 * H)],
  });
  const from = (p: ReturnType<typeof planPolicies>) =>
    Object.fromEntries(p.targets.map((x) => [x.def.kind, x.policy.key]));

  it('takes each kind from the policy whose target is due first and names it', () => {
    const plan = planPolicies([base, urgent], facts(), cal);
    expect(from(plan)).toEqual({ first_response: 'urgent', resolution: 'l2' });
    expect(new Date(plan.targets.find((x) => x.def.kind === 'first_response')!.dueAt)).toEqual(
      new Date('2026-03-02T12:00:00+08:00'),
    );
    expect(plan.base?.key).toBe('l2');
    expect(keys(plan.applying)).toEqual(['l2', 'urgent']);
    expect(keys(plan.contributing)).toEqual(['l2', 'urgent']);
    expect(plan.overruled.map((o) => `${o.kind}:${o.policy.key}`).sort()).toEqual([
      'first_response:l2',
      'resolution:urgent',
    ]);
  });

  it('compares working days and hours by their due time on the calendar', () => {
    // 1 working day (8 h) vs 9 business hours: the working day is due first.
    const a = policy('a', { targets: [t('first_response', 0, { workingDays: 1 })] });
    const b = policy('b', { applies: 'always', targets: [t('first_response', 9 * H)] });
    expect(from(planPolicies([a, b], facts(), cal))).toEqual({ first_response: 'a' });
    // 24 h round the clock vs 8 business hours from Friday 16:00: business ends Monday 15:00.
    const friday = new Date('2026-03-06T16:00:00+08:00').getTime();
    const c = policy('c', { targets: [t('resolution', 8 * H)] });
    const d = policy('d', {
      applies: 'always',
      targets: [t('resolution', 24 * H, { clock: '24x7' })],
    });
    expect(from(planPolicies([c, d], facts({ receivedAt: friday }), cal))).toEqual({
      resolution: 'd',
    });
  });

  it('ties go to the shorter limit, then to the earlier policy', () => {
    // Received Saturday 09:00: 49 h round the clock and 1 business hour both end Monday 10:00.
    const saturday9 = new Date('2026-03-07T09:00:00+08:00').getTime();
    const p24 = policy('p24', { targets: [t('first_response', 49 * H, { clock: '24x7' })] });
    const pb = policy('pb', { applies: 'always', targets: [t('first_response', 1 * H)] });
    const plan = planPolicies([p24, pb], facts({ receivedAt: saturday9 }), cal);
    expect(plan.targets[0]!.dueAt).toBe(new Date('2026-03-09T10:00:00+08:00').getTime());
    expect(from(plan)).toEqual({ first_response: 'pb' });
    const same = policy('same', { applies: 'always', targets: [t('first_response', 1 * H)] });
    expect(from(planPolicies([pb, same], facts(), cal))).toEqual({ first_response: 'pb' });
  });

  it('in- and out-of-hours targets are filtered before comparing', () => {
    const instant = policy('instant', {
      targets: [
        t('first_response', 30_000, { onlyInsideWorkingHours: true }),
        t('off_hours_ack', H, { clock: '24x7', onlyOutsideWorkingHours: true }),
      ],
    });
    const day = from(planPolicies([instant, urgent], facts(), cal));
    expect(day).toEqual({ first_response: 'instant', resolution: 'urgent' });
    const night = new Date('2026-03-02T22:00:00+08:00').getTime();
    expect(from(planPolicies([instant, urgent], facts({ receivedAt: night }), cal))).toEqual({
      off_hours_ack: 'instant',
      first_response: 'urgent',
      resolution: 'urgent',
    });
  });

  it('a policy whose targets all lose applies but does not contribute', () => {
    const slow = policy('slow', { applies: 'always', targets: [t('resolution', 500 * H)] });
    const plan = planPolicies([base, slow], facts(), cal);
    expect(keys(plan.applying)).toEqual(['l2', 'slow']);
    expect(keys(plan.contributing)).toEqual(['l2']);
  });

  it('only always policies, or none at all', () => {
    const plan = planPolicies([urgent], facts(), cal);
    expect(plan.base).toBeUndefined();
    expect(from(plan)).toEqual({ first_response: 'urgent', resolution: 'urgent' });
    const none = planPolicies([urgent], facts({ priority: 'general' }), cal);
    expect(none.targets).toEqual([]);
    expect(none.contributing).toEqual([]);
  });
});

describe('policyLabel', () => {
  const list = [policy('a', {}), policy('b', {}), policy('c', {})];
  it('lists distinct keys in policy order, unknown ones last; null when empty', () => {
    expect(policyLabel(['c', 'a', 'c'], list)).toBe('a+c');
    expect(policyLabel(['zz', 'b'], list)).toBe('b+zz');
    expect(policyLabel([], list)).toBeNull();
  });
});
