/**
 * The arithmetic of one SLA clock, pure. A clock started at `startedAt` with a limit of
 * `limitMs` working milliseconds on its calendar is due when `limitMs + pausedMs` of working
 * time have passed since it started: time spent paused (waiting on the customer, where the
 * policy says so) is added back, so resuming moves the due and warning times later by exactly
 * the working time that was paused.
 */
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from './calendar.js';

export interface ClockTiming {
  startedAt: number;
  limitMs: number;
  warnAfterMs: number;
  /** Working time spent paused so far (not counting a pause still going on). */
  pausedMs: number;
}

export interface DueTimes {
  warnAt: number;
  dueAt: number;
}

/** Warning and due instants of a clock that is running now, given what it has been paused. */
export function dueTimes(t: ClockTiming, cal: BusinessCalendar): DueTimes {
  return {
    warnAt: addBusinessTime(t.startedAt, t.warnAfterMs + t.pausedMs, cal),
    dueAt: addBusinessTime(t.startedAt, t.limitMs + t.pausedMs, cal),
  };
}

/** The working time of a pause from `since` to `until`, added to `pausedMs` on resume. */
export function pausedWorkingTime(since: number, until: number, cal: BusinessCalendar): number {
  return businessTimeBetween(since, until, cal);
}

/**
 * Working time the clock has counted from its start to `end` (the moment it is met, or the
 * start of a pause still going on), paused time excluded.
 */
export function workingTimeUsed(
  startedAt: number,
  end: number,
  pausedMs: number,
  cal: BusinessCalendar,
): number {
  return Math.max(0, businessTimeBetween(startedAt, end, cal) - pausedMs);
}

/** The warning threshold of a limit: `fraction` of it, whole milliseconds. */
export const warnAfter = (limitMs: number, fraction: number) => Math.floor(limitMs * fraction);

/** A clock as re-planning needs it (epoch ms). */
export interface OpenClock extends ClockTiming {
  state: 'running' | 'paused';
  pausedSince: number | null;
  warnedAt: number | null;
  warnAt: number;
  dueAt: number;
}

export interface Replanned {
  warnAt: number;
  dueAt: number;
  pausedMs: number;
}

/**
 * A clock's calendar changed (a holiday added, other weekly hours, the team moved to another
 * calendar): the working time it has already used — counted on the calendar it ran on — is
 * kept, and the rest is laid out on the new calendar from now (from the start of the pause, for
 * a paused clock). `pausedMs` is restated so that counting from `startedAt` on the new
 * calendar gives the same working time used (resuming and meeting stay exact); it cannot go
 * below zero — then the due time is still right, and a later pause and resume may move it by
 * the difference. A warning already sent, or already due, keeps its time.
 */
export function replanClock(
  c: OpenClock,
  before: BusinessCalendar,
  after: BusinessCalendar,
  now: number,
): Replanned {
  const pivot = c.state === 'paused' && c.pausedSince !== null ? c.pausedSince : now;
  const used = workingTimeUsed(c.startedAt, pivot, c.pausedMs, before);
  const pausedMs = Math.max(0, businessTimeBetween(c.startedAt, pivot, after) - used);
  const from = (left: number) => addBusinessTime(pivot, left, after);
  const dueAt = from(Math.max(0, c.limitMs - used));
  const warnLeft = c.warnAfterMs - used;
  const warnAt = c.warnedAt !== null || warnLeft <= 0 ? Math.min(c.warnAt, dueAt) : from(warnLeft);
  return { warnAt, dueAt, pausedMs };
}
