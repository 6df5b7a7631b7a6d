import { describe, expect, it } from 'vitest';
import { isWorkingTime, weekdays } from './calendar.js';
import { DEFAULT_SLA_POLICIES } from './defaults.js';
import { computeTargets, matchPolicy, workingDayMs, type TicketFacts } from './policy.js';

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
  const policy = matchPolicy(DEFAULT_SLA_POLICIES, f)!;
  return {
    key: policy.key,
    due: Object.fromEntries(
      computeTargets(policy, f, cal, (t) => isWorkingTime(t, cal)).map((t) => [
        t.kind,
        new Date(t.dueAt).toISOString(),
      ]),
    ),
  };
};

describe('default policies (SPEC chapter 3)', () => {
  it('match first-wins in order', () => {
    expect(targetsOf(facts({ category: 'complaint', tier: 'L3' })).key).toBe('complaint');
    expect(targetsOf(facts({ tier: 'L3' })).key).toBe('level3');
    expect(targetsOf(facts({ channel: 'chat', tier: 'L2' })).key).toBe('instant_level2');
    expect(targetsOf(facts({ tier: 'L2' })).key).toBe('level2');
    expect(targetsOf(facts({ channel: 'phone' })).key).toBe('instant');
    expect(targetsOf(facts({ priority: 'urgent' })).key).toBe('urgent');
    expect(targetsOf(facts({ priority: 'important' })).key).toBe('important');
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

  it('every policy has a catch-all behind it', () => {
    expect(DEFAULT_SLA_POLICIES.at(-1)!.match).toEqual({});
  });
});
