import { describe, expect, it } from 'vitest';
import { weekdays } from './calendar.js';
import { DEFAULT_SLA_POLICIES } from './defaults.js';
import { planPolicies } from './plan.js';
import { workingDayMs, type TicketFacts } from './policy.js';

const H = 3_600_000;
const cal = weekdays('Asia/Shanghai', [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
]);
const facts = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  channel: 'email',
  category: 'consultation',
  tier: 'L1',
  priority: 'general',
  customerTier: 'regular',
  receivedAt: new Date('2026-03-02T10:00:00+08:00').getTime(),
  ...over,
});
const targetsOf = (f: TicketFacts) => {
  const plan = planPolicies(DEFAULT_SLA_POLICIES, f, cal);
  return {
    key: plan.base?.key,
    from: Object.fromEntries(plan.targets.map((t) => [t.def.kind, t.policy.key])),
    due: Object.fromEntries(plan.targets.map((t) => [t.def.kind, new Date(t.dueAt).toISOString()])),
  };
};

describe('default policies (SPEC chapter 3)', () => {
  it('the base policy is the first first_match policy that matches, in order', () => {
    expect(targetsOf(facts({ category: 'complaint', tier: 'L3' })).key).toBe('complaint');
    expect(targetsOf(facts({ tier: 'L3' })).key).toBe('level3');
    expect(targetsOf(facts({ channel: 'chat', tier: 'L2' })).key).toBe('instant_level2');
    expect(targetsOf(facts({ tier: 'L2' })).key).toBe('level2');
    expect(targetsOf(facts({ channel: 'phone' })).key).toBe('instant');
    // The urgency policies apply on top of a base, never as the base.
    expect(targetsOf(facts({ priority: 'urgent' })).key).toBe('general');
    expect(targetsOf(facts({ priority: 'important' })).key).toBe('general');
    expect(targetsOf(facts()).key).toBe('general');
  });

  it('complaint: registered 2 h, contacted 4 h, plan 4 h (L3) and 24 h, progress every 24 h', () => {
    const { due } = targetsOf(facts({ category: 'complaint', tier: 'L3' }));
    expect(due).toEqual({
      complaint_registered: '2026-03-02T04:00:00.000Z', // 10:00 + 2 h → 12:00 local
      complaint_contacted: '2026-03-02T07:30:00.000Z', // 2 h to lunch, 2 h after 13:30 → 15:30
      handling_plan: '2026-03-02T07:30:00.000Z',
      // 24 business hours at 7.5 h a day: Mon 6.5 + Tue 7.5 + Wed 7.5 + Thu 2.5 → Thu 11:30.
      complaint_plan: '2026-03-05T03:30:00.000Z',
      progress_update: '2026-03-05T03:30:00.000Z',
    });
  });

  it('level 2: assign within 2 h, contact within 12 h, progress 48 h, answer 72 h', () => {
    const { due } = targetsOf(facts({ tier: 'L2' }));
    expect(due.assignment).toBe('2026-03-02T04:00:00.000Z');
    expect(due.follow_up_contact).toBe('2026-03-03T08:00:00.000Z'); // Mon 6.5 h + Tue 5.5 h → 16:00
    expect(Object.keys(due).sort()).toEqual([
      'assignment',
      'first_response',
      'follow_up_contact',
      'progress',
      'resolution',
    ]);
  });

  it('instant channels: 30 s in working hours, automatic acknowledgement within 1 h outside', () => {
    expect(targetsOf(facts({ channel: 'chat' })).due.first_response).toBe(
      '2026-03-02T02:00:30.000Z',
    );
    const night = targetsOf(
      facts({ channel: 'chat', receivedAt: new Date('2026-03-02T22:00:00+08:00').getTime() }),
    );
    // Acknowledged by 23:00 (round the clock); answered 24 business hours later → Fri 10:30.
    expect(night.due).toEqual({
      off_hours_ack: '2026-03-02T15:00:00.000Z',
      resolution: '2026-03-06T02:30:00.000Z',
    });
  });

  it('urgent / important / general: 2 h / 4 h / 1 working day to respond', () => {
    expect(targetsOf(facts({ priority: 'urgent' })).due.first_response).toBe(
      '2026-03-02T04:00:00.000Z',
    );
    expect(targetsOf(facts({ priority: 'important' })).due.first_response).toBe(
      '2026-03-02T07:30:00.000Z',
    );
    expect(workingDayMs(cal)).toBe(7.5 * H);
    expect(targetsOf(facts()).due.first_response).toBe('2026-03-03T02:00:00.000Z'); // next day 10:00
  });

  it('urgency limits hold whatever the tier: an urgent L2 e-mail is answered within 2 h', () => {
    const urgentL2 = targetsOf(facts({ tier: 'L2', priority: 'urgent' }));
    expect(urgentL2.key).toBe('level2');
    expect(urgentL2.due.first_response).toBe('2026-03-02T04:00:00.000Z'); // not 3 working days
    expect(urgentL2.from).toEqual({
      first_response: 'urgent',
      assignment: 'level2',
      follow_up_contact: 'level2',
      progress: 'level2',
      resolution: 'level2', // the complex problem keeps its 72 h
    });
    expect(targetsOf(facts({ tier: 'L2', priority: 'important' })).from.first_response).toBe(
      'important',
    );
    expect(targetsOf(facts({ tier: 'L2' })).from.first_response).toBe('level2');
  });

  it('a stricter base target beats the urgency limit (chat in working hours: 30 s)', () => {
    const chat = targetsOf(facts({ channel: 'chat', tier: 'L2', priority: 'urgent' }));
    expect(chat.due.first_response).toBe('2026-03-02T02:00:30.000Z');
    expect(chat.from.first_response).toBe('instant_level2');
    // At night the 30-second target does not apply; the urgent 2 business hours do.
    const night = targetsOf(
      facts({
        channel: 'chat',
        priority: 'urgent',
        receivedAt: new Date('2026-03-02T22:00:00+08:00').getTime(),
      }),
    );
    expect(night.from).toEqual({
      off_hours_ack: 'instant',
      resolution: 'instant',
      first_response: 'urgent',
    });
    expect(night.due.first_response).toBe('2026-03-03T03:00:00.000Z'); // Tue 09:00 + 2 h
  });

  it('urgent complaints and L3 disputes get the 2-hour response too', () => {
    for (const f of [facts({ category: 'complaint', tier: 'L3' }), facts({ tier: 'L3' })]) {
      const t = targetsOf({ ...f, priority: 'urgent' });
      expect(t.from.first_response).toBe('urgent');
      expect(t.due.first_response).toBe('2026-03-02T04:00:00.000Z');
    }
    expect(targetsOf(facts({ tier: 'L3' })).due.first_response).toBeUndefined();
  });

  it('every policy has a catch-all behind it', () => {
    expect(DEFAULT_SLA_POLICIES.at(-1)!.match).toEqual({});
  });
});
