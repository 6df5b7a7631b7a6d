/**
 * The integration contract with the tickets module (docs/sla.md): the functions its commands
 * call, inside their own transaction, with the injected clock's `now`. None of them commits,
 * reads the wall clock or writes the ticket timeline; they return what changed so the caller
 * can record it.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { randomUUID } from 'node:crypto';
import { slaClocks, slaTimers } from '../../db/schema/index.js';
import {
  calendarOfClock,
  resolveCalendar,
  ROUND_THE_CLOCK,
  type LoadedCalendar,
} from './calendar-store.js';
import { presentClock, type ClockRow, type ClockView } from './clock-views.js';
import { currentVersionOrSeed, getVersion } from './policies.js';
import type { BusinessCalendar } from './rules/calendar.js';
import { dueTimes, pausedWorkingTime, warnAfter, workingTimeUsed } from './rules/clock.js';
import { calendarForTarget, planPolicies, policyLabel, type PlannedTarget } from './rules/plan.js';
import { limitMs, type TargetKind, type TicketFacts } from './rules/policy.js';
import { scheduleTimers, timerRows, unscheduleTimers, type Timed } from './timers.js';

export type { ClockView } from './clock-views.js';
export type { TicketFacts } from './rules/policy.js';

const OPEN = ['running', 'paused', 'breached'] as const;

export interface StartClocksInput {
  ticketId: string;
  /** Channel, category, tier, priority, customer tier, and receivedAt (epoch ms): the clocks start then. */
  facts: TicketFacts;
  /** The calendar of the ticket's team, when the caller has it… */
  teamCalendarId?: string | null;
  /** …else the team, whose calendar is looked up; neither = the default calendar. */
  teamId?: string | null;
  /** Targets of the policy not to start (the off-hours acknowledgement of a channel without one). */
  exclude?: readonly TargetKind[];
}

const startable = (exclude: readonly TargetKind[] | undefined) => (t: PlannedTarget) =>
  !exclude?.includes(t.def.kind);

export interface StartedClocks {
  /** The policy version the ticket is now pinned to. */
  policyVersion: number;
  /**
   * The policies the clocks came from, in list order (`level2+urgent`: each clock records its
   * own); null when none applied (no clocks).
   */
  policyKey: string | null;
  calendarId: string;
  clocks: ClockView[];
}

function newClock(
  ticketId: string,
  version: number,
  target: PlannedTarget,
  calendar: LoadedCalendar,
  now: Date,
  over: Partial<typeof slaClocks.$inferInsert> = {},
): typeof slaClocks.$inferInsert {
  return {
    ticketId,
    policyVersion: version,
    policyKey: target.policy.key,
    kind: target.def.kind,
    occurrence: 1,
    calendarId: target.def.clock === 'business' ? calendar.id : null,
    limitMs: target.limitMs,
    warnAfterMs: target.warnAfterMs,
    pauses: target.def.pausesWhilePendingCustomer,
    repeats: target.def.repeats,
    state: 'running',
    startedAt: new Date(target.startAt),
    warnAt: new Date(target.warnAt),
    dueAt: new Date(target.dueAt),
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

async function insertClocks(tx: Executor, rows: (typeof slaClocks.$inferInsert)[]) {
  if (rows.length === 0) return [];
  // An open clock of the same kind already there (a retried start) is left alone.
  const inserted = await tx.insert(slaClocks).values(rows).onConflictDoNothing().returning();
  await scheduleTimers(tx, inserted);
  return inserted.map(presentClock);
}

/**
 * Starts the clocks of a new ticket under the current policy version, measured from
 * `facts.receivedAt`. Calling it again for the same ticket starts nothing (a later change of
 * category, tier, priority, channel or team is `reclassify`).
 */
export async function startClocks(
  tx: Executor,
  input: StartClocksInput,
  now: Date,
): Promise<StartedClocks> {
  const [existing] = await tx
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.ticketId, input.ticketId))
    .orderBy(desc(slaClocks.createdAt))
    .limit(1);
  const team = { calendarId: input.teamCalendarId, teamId: input.teamId };
  if (existing) {
    // Already started (a retried command): nothing new. A change of facts is `reclassify`.
    return {
      policyVersion: existing.policyVersion,
      policyKey: existing.policyKey,
      calendarId: existing.calendarId ?? (await resolveCalendar(tx, team)).id,
      clocks: [],
    };
  }
  const version = await currentVersionOrSeed(tx, now);
  const calendar = await resolveCalendar(tx, team, 'teamCalendarId');
  const plan = planPolicies(version.policies, input.facts, calendar.cal);
  const base = { policyVersion: version.version, calendarId: calendar.id };
  const policyKey = policyLabel(
    plan.contributing.map((p) => p.key),
    version.policies,
  );
  const rows = plan.targets
    .filter(startable(input.exclude))
    .map((t) => newClock(input.ticketId, version.version, t, calendar, now));
  return { ...base, policyKey, clocks: await insertClocks(tx, rows) };
}

/** A new ticket's clocks, planned before the ticket row is written (`planNewTicketClocks`). */
export interface PlannedClocks {
  policyVersion: number;
  policyKey: string | null;
  calendar: LoadedCalendar;
  rows: (typeof slaClocks.$inferInsert)[];
}

/**
 * `startClocks` for a ticket not written yet (its id chosen by the caller): the same policy,
 * calendar and targets, without looking for clocks a new ticket cannot have and without
 * writing anything, so the caller can write the ticket once with its due time
 * (`dueSummary`) and the clocks after it (`insertPlannedClocks`).
 */
export async function planNewTicketClocks(
  tx: Executor,
  input: StartClocksInput,
  now: Date,
): Promise<PlannedClocks> {
  const version = await currentVersionOrSeed(tx, now);
  const team = { calendarId: input.teamCalendarId, teamId: input.teamId };
  const calendar = await resolveCalendar(tx, team, 'teamCalendarId');
  const plan = planPolicies(version.policies, input.facts, calendar.cal);
  const base = { policyVersion: version.version, calendar };
  const policyKey = policyLabel(
    plan.contributing.map((p) => p.key),
    version.policies,
  );
  const rows = plan.targets
    .filter(startable(input.exclude))
    .map((t) => newClock(input.ticketId, version.version, t, calendar, now));
  return { ...base, policyKey, rows };
}

/**
 * What `meetClock` would do to a planned clock of `kind` once written (never paused, no timers
 * yet): met now, its working time used, late or not. False when there is none running or the
 * target repeats (its next occurrence needs `meetClock` after the insert).
 */
export function meetPlannedClock(plan: PlannedClocks, kind: TargetKind, now: Date): boolean {
  const c = plan.rows.find((r) => r.kind === kind && r.state === 'running');
  if (!c || c.repeats) return false;
  const cal = c.calendarId ? plan.calendar.cal : ROUND_THE_CLOCK;
  const dueAt = c.dueAt!;
  const late = now.getTime() > dueAt.getTime();
  Object.assign(c, {
    state: 'met',
    metAt: now,
    pausedSince: null,
    pausedMs: 0,
    businessMsUsed: workingTimeUsed(c.startedAt!.getTime(), now.getTime(), 0, cal),
    breached: late,
    breachedAt: late ? dueAt : null,
    outcome: 'met',
    updatedAt: now,
  });
  return true;
}

/** `tickets.sla_due_at` / `sla_warn_at` for planned clocks (as `refreshSlaSummary` computes them). */
export function dueSummary(rows: readonly (typeof slaClocks.$inferInsert)[]) {
  const counting = rows.filter((r) => r.state === 'running' || r.state === 'breached');
  const min = (ds: Date[]) =>
    ds.length ? new Date(Math.min(...ds.map((d) => d.getTime()))) : null;
  return {
    slaDueAt: min(counting.map((r) => r.dueAt!)),
    slaWarnAt: min(counting.map((r) => r.warnAt!)),
  };
}

/**
 * The CTEs that write planned clocks (one ticket's plan or a batch's) and the sweeper's timers of
 * the running ones, for the caller's statement: registration writes them in the statement that
 * inserts the tickets (`writeTickets`). The clock ids are chosen here, so the timers need no
 * clock row (`sla_timers` has no foreign key; a new ticket has no clock to conflict with); the
 * clocks' foreign key to a ticket inserted by a sibling CTE is checked at the statement's end.
 */
export function plannedClocksCtes(tx: Executor, plans: PlannedClocks | readonly PlannedClocks[]) {
  const all: readonly PlannedClocks[] = 'rows' in plans ? [plans] : plans;
  const rows = all.flatMap((p) => p.rows.map((r) => ({ ...r, id: randomUUID() })));
  if (rows.length === 0) return [];
  const timers = timerRows(rows as Timed[]);
  const clocks = tx
    .$with('new_sla_clocks')
    .as(tx.insert(slaClocks).values(rows).returning({ id: slaClocks.id }));
  if (timers.length === 0) return [clocks];
  const timersCte = tx
    .$with('new_sla_timers')
    .as(tx.insert(slaTimers).values(timers).returning({ id: slaTimers.clockId }));
  return [timersCte, clocks];
}

/** Writes planned clocks and their timers in one statement (`plannedClocksCtes`). */
export async function insertPlannedClocks(
  tx: Executor,
  plans: PlannedClocks | readonly PlannedClocks[],
): Promise<void> {
  const ctes = plannedClocksCtes(tx, plans);
  const clocks = ctes.at(-1);
  if (!clocks) return;
  await tx
    .with(...ctes)
    .select({ id: clocks.id })
    .from(clocks);
}

/**
 * The ticket now waits on the customer: running clocks whose policy says so stop counting.
 * Clocks already past due stay running (the sweeper breaches them).
 */
export async function pauseClocks(tx: Executor, ticketId: string, now: Date): Promise<ClockView[]> {
  const rows = await tx
    .update(slaClocks)
    .set({ state: 'paused', pausedSince: now, updatedAt: now })
    .where(
      and(
        eq(slaClocks.ticketId, ticketId),
        eq(slaClocks.state, 'running'),
        eq(slaClocks.pauses, true),
        sql`${slaClocks.dueAt} > ${now}`,
      ),
    )
    .returning();
  await unscheduleTimers(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map(presentClock);
}

/** The customer answered: paused clocks run again, due and warning moved by the paused working time. */
export async function resumeClocks(
  tx: Executor,
  ticketId: string,
  now: Date,
): Promise<ClockView[]> {
  const paused = await tx
    .select()
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, ticketId), eq(slaClocks.state, 'paused')))
    .for('update');
  const out: ClockView[] = [];
  for (const c of paused) {
    const cal = await calendarOfClock(tx, c.calendarId);
    const pausedMs = c.pausedMs + pausedWorkingTime(c.pausedSince!.getTime(), now.getTime(), cal);
    const { warnAt, dueAt } = dueTimes({ ...timing(c), pausedMs }, cal);
    const [row] = await tx
      .update(slaClocks)
      .set({
        state: 'running',
        pausedSince: null,
        pausedMs,
        warnAt: new Date(warnAt),
        dueAt: new Date(dueAt),
        updatedAt: now,
      })
      .where(eq(slaClocks.id, c.id))
      .returning();
    await scheduleTimers(tx, [row!]);
    out.push(presentClock(row!));
  }
  return out;
}

const timing = (c: ClockRow) => ({
  startedAt: c.startedAt.getTime(),
  limitMs: c.limitMs,
  warnAfterMs: c.warnAfterMs,
  pausedMs: c.pausedMs,
});

export interface MetClock {
  /** The clock just met (null: the ticket has no open clock of that kind — nothing to do). */
  met: ClockView | null;
  /** The next occurrence of a repeating target, started now. */
  next: ClockView | null;
}

/**
 * A target was achieved (first reply sent, plan given, progress update sent…). Records when,
 * the working time used and whether it was late; a repeating target starts its next occurrence.
 */
export async function meetClock(
  tx: Executor,
  ticketId: string,
  kind: TargetKind,
  now: Date,
): Promise<MetClock> {
  const [c] = await tx
    .select()
    .from(slaClocks)
    .where(
      and(
        eq(slaClocks.ticketId, ticketId),
        eq(slaClocks.kind, kind),
        inArray(slaClocks.state, OPEN),
      ),
    )
    .for('update');
  if (!c) return { met: null, next: null };
  const cal = await calendarOfClock(tx, c.calendarId);
  const end = c.pausedSince ?? now;
  const pausedMs =
    c.pausedMs + (c.pausedSince ? pausedWorkingTime(end.getTime(), now.getTime(), cal) : 0);
  const late = c.breached || (!c.pausedSince && now.getTime() > c.dueAt.getTime());
  const [met] = await tx
    .update(slaClocks)
    .set({
      state: 'met',
      metAt: now,
      pausedSince: null,
      pausedMs,
      businessMsUsed: workingTimeUsed(c.startedAt.getTime(), end.getTime(), c.pausedMs, cal),
      breached: late,
      breachedAt: c.breachedAt ?? (late ? c.dueAt : null),
      outcome: 'met',
      updatedAt: now,
    })
    .where(eq(slaClocks.id, c.id))
    .returning();
  await unscheduleTimers(tx, [c.id]);
  let next: ClockView | null = null;
  if (c.repeats) {
    const times = dueTimes({ ...timing(c), startedAt: now.getTime(), pausedMs: 0 }, cal);
    const { id: _id, ...copy } = c;
    const inserted = await insertClocks(tx, [
      {
        ...copy,
        occurrence: c.occurrence + 1,
        state: c.pausedSince ? 'paused' : 'running',
        startedAt: now,
        warnAt: new Date(times.warnAt),
        dueAt: new Date(times.dueAt),
        pausedSince: c.pausedSince ? now : null,
        pausedMs: 0,
        warnedAt: null,
        breachedAt: null,
        metAt: null,
        cancelledAt: null,
        breached: false,
        businessMsUsed: null,
        outcome: null,
        cause: null,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    next = inserted[0] ?? null;
  }
  return { met: presentClock(met!), next };
}

/**
 * The ticket is closed or merged, or re-planned: its open clocks stop for good (only `kinds`,
 * when given), each with its final outcome — `missed` when it had breached or is past due (it is
 * recorded breached at its due time, as the sweeper would have), else `cancelled`. Nothing is
 * hidden: the rows stay, and the ticket's SLA card shows them after closing.
 */
export async function cancelClocks(
  tx: Executor,
  ticketId: string,
  now: Date,
  kinds?: readonly TargetKind[],
): Promise<ClockView[]> {
  const overdue = sql`(${slaClocks.state} = 'running' AND ${slaClocks.dueAt} <= ${now})`;
  const rows = await tx
    .update(slaClocks)
    .set({
      state: 'cancelled',
      cancelledAt: now,
      pausedSince: null,
      breached: sql`${slaClocks.breached} OR ${overdue}`,
      breachedAt: sql`coalesce(${slaClocks.breachedAt}, CASE WHEN ${overdue} THEN ${slaClocks.dueAt} END)`,
      outcome: sql`CASE WHEN ${slaClocks.breached} OR ${overdue} THEN 'missed' ELSE 'cancelled' END`,
      updatedAt: now,
    })
    .where(
      and(
        eq(slaClocks.ticketId, ticketId),
        inArray(slaClocks.state, OPEN),
        kinds ? inArray(slaClocks.kind, [...kinds]) : undefined,
      ),
    )
    .returning();
  await unscheduleTimers(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map(presentClock);
}

/**
 * The ticket was reopened: a fresh clock of `kind` (the resolution) per the policy the ticket's
 * clocks run under (its pinned version, its calendar), started now and attributed as `rework`.
 * Nothing when that policy has no such target, the ticket has no clocks (no policy matched),
 * or one is already open.
 */
export async function startReworkClock(
  tx: Executor,
  ticketId: string,
  kind: TargetKind,
  now: Date,
): Promise<ClockView | null> {
  const all = await tx
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.ticketId, ticketId))
    .orderBy(asc(slaClocks.createdAt), asc(slaClocks.occurrence));
  const last = all.at(-1);
  if (!last) return null;
  if (all.some((c) => c.kind === kind && (OPEN as readonly string[]).includes(c.state))) {
    return null;
  }
  // The policy the last clock of this kind came from (each clock records its own source policy).
  const source = all.findLast((c) => c.kind === kind) ?? last;
  const version = await getVersion(tx, source.policyVersion);
  const policy = version?.policies.find((p) => p.key === source.policyKey);
  const def = policy?.targets.find((t) => t.kind === kind);
  if (!version || !policy || !def) return null;
  const calendarId = all.findLast((c) => c.calendarId)?.calendarId ?? null;
  const calendar = await resolveCalendar(tx, { calendarId });
  const cal = calendarForTarget(def, calendar.cal);
  // The limit as at registration (same definition, same calendar), laid out from now.
  const limit = limitMs(def, calendar.cal);
  const warnAfterMs = warnAfter(limit, def.warnAt);
  const times = dueTimes(
    { startedAt: now.getTime(), limitMs: limit, warnAfterMs, pausedMs: 0 },
    cal,
  );
  const planned: PlannedTarget = {
    def,
    policy,
    startAt: now.getTime(),
    warnAt: times.warnAt,
    dueAt: times.dueAt,
    limitMs: limit,
    warnAfterMs,
  };
  const previous = all.filter((c) => c.kind === kind).at(-1);
  const [started] = await insertClocks(tx, [
    newClock(ticketId, version.version, planned, calendar, now, {
      occurrence: (previous?.occurrence ?? 0) + 1,
      cause: 'rework',
    }),
  ]);
  return started ?? null;
}

export interface Reclassified {
  /** false: the same policy still matches on the same calendar, nothing was touched. */
  changed: boolean;
  policyVersion: number;
  fromPolicyKey: string | null;
  toPolicyKey: string | null;
  cancelled: ClockView[];
  started: ClockView[];
}

/**
 * The ticket's category, tier, priority, channel or team changed. Under the version the ticket
 * is pinned to, a different policy (or calendar) cancels the open clocks and starts the new
 * policy's targets, measured from the original received time with the ticket's paused working
 * time carried over; targets already met are not restarted (a repeating one continues from its
 * last occurrence). Returns what changed so the caller can put it on the ticket's timeline.
 */
export async function reclassify(
  tx: Executor,
  ticketId: string,
  newFacts: TicketFacts,
  now: Date,
  team: { teamCalendarId?: string | null; teamId?: string | null } = {},
  exclude?: readonly TargetKind[],
): Promise<Reclassified> {
  const all = await tx
    .select()
    .from(slaClocks)
    .where(eq(slaClocks.ticketId, ticketId))
    .orderBy(asc(slaClocks.createdAt), asc(slaClocks.occurrence))
    .for('update');
  const open = all.filter((c) => (OPEN as readonly string[]).includes(c.state));
  const pinned = all.at(-1)?.policyVersion;
  const version =
    (pinned ? await getVersion(tx, pinned) : null) ?? (await currentVersionOrSeed(tx, now));
  const fromClocks = open.length ? open : all.slice(-1);
  const fromKey = policyLabel(
    fromClocks.map((c) => c.policyKey),
    version.policies,
  );
  const oldCalendarId = all.findLast((c) => c.calendarId)?.calendarId ?? null;
  const teamGiven = team.teamCalendarId !== undefined || team.teamId !== undefined;
  const calendar = await resolveCalendar(
    tx,
    teamGiven
      ? { calendarId: team.teamCalendarId, teamId: team.teamId }
      : { calendarId: oldCalendarId },
    'teamCalendarId',
  );
  const plan = planPolicies(version.policies, newFacts, calendar.cal);
  const toKey = policyLabel(
    plan.contributing.map((p) => p.key),
    version.policies,
  );
  const result = { policyVersion: version.version, fromPolicyKey: fromKey, toPolicyKey: toKey };
  // Unchanged when the clocks that would run now come from the same policies as those running.
  const metOnce = new Set(all.filter((c) => c.state === 'met' && !c.repeats).map((c) => c.kind));
  const runningKey = policyLabel(
    open.map((c) => c.policyKey),
    version.policies,
  );
  const wouldRunKey = policyLabel(
    plan.targets
      .filter(startable(exclude))
      .filter((t) => t.def.repeats || !metOnce.has(t.def.kind))
      .map((t) => t.policy.key),
    version.policies,
  );
  const samePolicies = open.length ? runningKey === wouldRunKey : toKey === fromKey;
  if (samePolicies && (!oldCalendarId || calendar.id === oldCalendarId)) {
    return { ...result, changed: false, cancelled: [], started: [] };
  }
  const cancelled = await cancelClocks(tx, ticketId, now);
  if (plan.targets.length === 0) return { ...result, changed: true, cancelled, started: [] };

  const pausedSince = open.find((c) => c.pausedSince)?.pausedSince ?? null;
  const carried = (calendarId: string | null) =>
    Math.max(
      0,
      ...open.filter((c) => c.pauses && c.calendarId === calendarId).map((c) => c.pausedMs),
    );
  const rows = plan.targets.filter(startable(exclude)).flatMap((t) => {
    const metBefore = all.filter((c) => c.kind === t.def.kind && c.state === 'met');
    if (metBefore.length && !t.def.repeats) return [];
    const last = metBefore.at(-1);
    const cal: BusinessCalendar = calendarForTarget(t.def, calendar.cal);
    const calendarId = t.def.clock === 'business' ? calendar.id : null;
    const startedAt = last?.metAt?.getTime() ?? t.startAt;
    const pausedMs = t.def.pausesWhilePendingCustomer && !last ? carried(calendarId) : 0;
    const times = dueTimes(
      { startedAt, limitMs: t.limitMs, warnAfterMs: t.warnAfterMs, pausedMs },
      cal,
    );
    const paused = t.def.pausesWhilePendingCustomer && pausedSince !== null;
    return [
      newClock(ticketId, version.version, t, calendar, now, {
        occurrence: (last?.occurrence ?? 0) + 1,
        startedAt: new Date(startedAt),
        warnAt: new Date(times.warnAt),
        dueAt: new Date(times.dueAt),
        pausedMs,
        state: paused ? 'paused' : 'running',
        pausedSince: paused ? new Date(Math.max(pausedSince.getTime(), startedAt)) : null,
      }),
    ];
  });
  return { ...result, changed: true, cancelled, started: await insertClocks(tx, rows) };
}
