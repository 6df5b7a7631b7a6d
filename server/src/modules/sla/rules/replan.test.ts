import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  weekdays,
  type BusinessCalendar,
} from './calendar.js';
import { dueTimes, replanClock, workingTimeUsed, type OpenClock } from './clock.js';

const H = 3_600_000;
const cst = (local: string) => new Date(`${local}+08:00`).getTime();
const hours = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
const before = weekdays('Asia/Shanghai', hours);
const withHoliday = (...dates: string[]): BusinessCalendar =>
  weekdays('Asia/Shanghai', hours, dates);

/** A 24-working-hour clock started Monday 2026-03-02 10:00 (due Thursday 11:30 on `before`). */
function running(over: Partial<OpenClock> = {}): OpenClock {
  const timing = {
    startedAt: cst('2026-03-02T10:00:00'),
    limitMs: 24 * H,
    warnAfterMs: 19.2 * H,
    pausedMs: 0,
  };
  const { warnAt, dueAt } = dueTimes(timing, before);
  return { ...timing, state: 'running', pausedSince: null, warnedAt: null, warnAt, dueAt, ...over };
}

describe('replanClock', () => {
  it('changes nothing when the calendar is the same', () => {
    const c = running();
    const now = cst('2026-03-03T15:00:00');
    expect(replanClock(c, before, before, now)).toEqual({
      warnAt: c.warnAt,
      dueAt: c.dueAt,
      pausedMs: 0,
    });
  });

  it('a holiday ahead moves the due time by a working day; the time used is kept', () => {
    const c = running();
    expect(new Date(c.dueAt).toISOString()).toBe(
      new Date(cst('2026-03-05T11:30:00')).toISOString(),
    );
    const now = cst('2026-03-03T15:00:00');
    const after = withHoliday('2026-03-04');
    const r = replanClock(c, before, after, now);
    expect(r.dueAt).toBe(cst('2026-03-06T11:30:00'));
    expect(r.pausedMs).toBe(0);
    expect(workingTimeUsed(c.startedAt, now, r.pausedMs, after)).toBe(
      workingTimeUsed(c.startedAt, now, 0, before),
    );
    // What resume and meet compute from startedAt on the new calendar agrees.
    expect(dueTimes({ ...c, pausedMs: r.pausedMs }, after).dueAt).toBe(r.dueAt);
  });

  it('a holiday made of a day already worked keeps that work (and restates pausedMs)', () => {
    const c = running();
    const now = cst('2026-03-03T15:00:00');
    // Monday itself becomes a holiday: its 6 working hours were used all the same.
    const r = replanClock(c, before, withHoliday('2026-03-02'), now);
    expect(r.dueAt).toBe(c.dueAt);
    expect(r.pausedMs).toBe(0);
  });

  it('a warning already sent keeps its time; one not sent moves with the due time', () => {
    const now = cst('2026-03-03T15:00:00');
    const after = withHoliday('2026-03-04');
    const warned = running({ warnedAt: cst('2026-03-03T14:00:00') });
    expect(replanClock(warned, before, after, now).warnAt).toBe(warned.warnAt);
    const fresh = running();
    const r = replanClock(fresh, before, after, now);
    expect(businessTimeBetween(now, r.warnAt, after)).toBe(
      fresh.warnAfterMs - workingTimeUsed(fresh.startedAt, now, 0, before),
    );
  });

  it('a paused clock keeps what it used before the pause', () => {
    const pausedSince = cst('2026-03-03T10:00:00');
    const c = running({ state: 'paused', pausedSince });
    const after = withHoliday('2026-03-04');
    const r = replanClock(c, before, after, cst('2026-03-04T10:00:00'));
    const usedAtPause = workingTimeUsed(c.startedAt, pausedSince, 0, before);
    expect(businessTimeBetween(pausedSince, r.dueAt, after)).toBe(c.limitMs - usedAtPause);
  });

  it('for any holiday and moment: used time kept, remaining time laid on the new calendar', () => {
    const c = running();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (holidayOffset, minutes) => {
          const holiday = new Date(c.startedAt + holidayOffset * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const after = withHoliday(holiday);
          const now = c.startedAt + minutes * 60_000;
          if (now >= c.dueAt) return;
          const used = workingTimeUsed(c.startedAt, now, 0, before);
          const r = replanClock(c, before, after, now);
          expect(r.dueAt).toBe(addBusinessTime(now, c.limitMs - used, after));
          expect(r.pausedMs).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
