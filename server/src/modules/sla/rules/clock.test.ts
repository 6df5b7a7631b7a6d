import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, weekdays } from './calendar.js';
import { dueTimes, pausedWorkingTime, workingTimeUsed } from './clock.js';
import { DEFAULT_SLA_POLICIES } from './defaults.js';
import { notificationTitle } from './escalation.js';
import { diffPolicies } from './policy-diff.js';

const H = 3_600_000;
const cal = weekdays('Asia/Shanghai', [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
]);
const start = new Date('2026-03-02T10:00:00+08:00').getTime();
const instant = fc.integer({ min: start, max: start + 60 * 86_400_000 });

describe('clock arithmetic', () => {
  it('due = start + limit + paused, in working time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 * H }),
        fc.integer({ min: 0, max: 50 * H }),
        (limitMs, pausedMs) => {
          const { dueAt, warnAt } = dueTimes(
            { startedAt: start, limitMs, warnAfterMs: Math.floor(limitMs * 0.8), pausedMs },
            cal,
          );
          expect(businessTimeBetween(start, dueAt, cal)).toBe(limitMs + pausedMs);
          expect(warnAt).toBeLessThanOrEqual(dueAt);
        },
      ),
    );
  });

  it('pausing then resuming moves the due time later by exactly the working time paused', () => {
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 1, max: 80 * H }), (a, b, limitMs) => {
        const [pauseAt, resumeAt] = a < b ? [a, b] : [b, a];
        const timing = { startedAt: start, limitMs, warnAfterMs: 0, pausedMs: 0 };
        const before = dueTimes(timing, cal).dueAt;
        const paused = pausedWorkingTime(pauseAt, resumeAt, cal);
        const after = dueTimes({ ...timing, pausedMs: paused }, cal).dueAt;
        expect(businessTimeBetween(before, after, cal)).toBe(paused);
        // Time used at the resume instant never counts the pause.
        const used = workingTimeUsed(start, resumeAt, paused, cal);
        expect(used).toBe(Math.max(0, businessTimeBetween(start, resumeAt, cal) - paused));
      }),
    );
  });

  it('a pause entirely outside working hours changes nothing', () => {
    const evening = new Date('2026-03-02T18:30:00+08:00').getTime();
    const morning = new Date('2026-03-03T08:30:00+08:00').getTime();
    expect(pausedWorkingTime(evening, morning, cal)).toBe(0);
    expect(addBusinessTime(start, 2 * H, cal)).toBe(
      dueTimes({ startedAt: start, limitMs: 2 * H, warnAfterMs: 0, pausedMs: 0 }, cal).dueAt,
    );
  });
});

describe('escalation', () => {
  it('titles notifications in the recipient’s language', () => {
    expect(notificationTitle('warning', 'resolution', 'T2026-000001', 'zh-CN')).toBe(
      'SLA 预警：工单 T2026-000001「解决答复」即将到期',
    );
    expect(notificationTitle('breach', 'resolution', 'T2026-000001', 'en-US')).toBe(
      'SLA breached: ticket T2026-000001 — Resolution is overdue',
    );
    expect(notificationTitle('breach', 'custom_kind', 'T1', 'zh-CN')).toBe(
      'SLA 超时：工单 T1「custom_kind」已超时',
    );
  });
});

describe('policy diff', () => {
  it('names policies added, removed, changed field by field, and a change of order', () => {
    const before = structuredClone(DEFAULT_SLA_POLICIES);
    const after = structuredClone(DEFAULT_SLA_POLICIES);
    after.splice(1, 1); // drop level3
    after[0]!.match.channels = ['email'];
    after.push({
      key: 'vip',
      name: { zh: 'VIP', en: 'VIP' },
      match: { customerTiers: ['vip'] },
      targets: [],
    });
    [after[2], after[3]] = [after[3]!, after[2]!];
    const diff = diffPolicies(before, after);
    expect(diff).toMatchObject({ added: ['vip'], removed: ['level3'], orderChanged: true });
    expect(diff.changed).toEqual([
      { key: 'complaint', changes: [{ path: 'match.channels', from: null, to: ['email'] }] },
    ]);
    expect(diffPolicies(before, structuredClone(before))).toEqual({
      added: [],
      removed: [],
      changed: [],
      orderChanged: false,
    });
  });
  it('tells apart the in-hours and off-hours targets of one kind', () => {
    // (JSON copies: the defaults share target objects between policies.)
    const before = JSON.parse(JSON.stringify(DEFAULT_SLA_POLICIES)) as typeof DEFAULT_SLA_POLICIES;
    const after = JSON.parse(JSON.stringify(DEFAULT_SLA_POLICIES)) as typeof DEFAULT_SLA_POLICIES;
    const instant = after.find((p) => p.key === 'instant')!;
    instant.targets[0]!.durationMs = 60_000; // first response in hours: 30 s → 60 s
    expect(diffPolicies(before, after).changed).toEqual([
      {
        key: 'instant',
        changes: [{ path: 'targets.first_response@in_hours.durationMs', from: 30_000, to: 60_000 }],
      },
    ]);
  });
});
