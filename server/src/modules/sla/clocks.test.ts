import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { listClocks } from './clock-views.js';
import {
  cancelClocks,
  meetClock,
  pauseClocks,
  reclassify,
  resumeClocks,
  startClocks,
  type TicketFacts,
} from './clocks.js';
import { seedSlaDefaults } from './seed.js';
import { insertBareTickets, timerMismatches } from './test/fixtures.js';

let t: TestContext;
let db: Db;
let ownerId: string;

const H = 3_600_000;
const at = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => at(local).toISOString();
/** Monday 2 March 2026, 10:00 in Shanghai: an ordinary working week. */
const MONDAY_10 = '2026-03-02T10:00:00';

beforeAll(async () => {
  t = await createTestContext();
  db = t.database.db;
  await seedSlaDefaults(db, t.clock.now());
  ownerId = (await t.buildUser({ roles: ['agent'] })).id;
});
afterAll(() => t.close());

const facts = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  channel: 'email',
  category: 'consultation',
  tier: 'L1',
  priority: 'general',
  customerTier: 'regular',
  receivedAt: at(MONDAY_10).getTime(),
  ...over,
});

async function newTicket(f: TicketFacts = facts()) {
  const [id] = await insertBareTickets(db, 1, { ownerId, receivedAt: new Date(f.receivedAt) });
  const started = await db.transaction((tx) =>
    startClocks(tx, { ticketId: id!, facts: f }, at(MONDAY_10)),
  );
  return { id: id!, started };
}

const byKind = async (ticketId: string) =>
  Object.fromEntries(
    (await listClocks(db, ticketId))
      .filter((c) => c.state !== 'cancelled' && c.state !== 'met')
      .map((c) => [c.kind, c]),
  );

describe('starting clocks', () => {
  it('starts every target of the matched policy, pinned to the current version', async () => {
    const { id, started } = await newTicket(facts({ category: 'complaint', tier: 'L3' }));
    expect(started).toMatchObject({ policyVersion: 1, policyKey: 'complaint' });
    const due = Object.fromEntries(started.clocks.map((c) => [c.kind, c.dueAt]));
    expect(due).toEqual({
      complaint_registered: iso('2026-03-02T12:00:00'),
      complaint_contacted: iso('2026-03-02T15:30:00'),
      complaint_plan: iso('2026-03-05T11:30:00'),
      handling_plan: iso('2026-03-02T15:30:00'),
      progress_update: iso('2026-03-05T11:30:00'),
    });
    expect(started.clocks.every((c) => c.state === 'running' && c.occurrence === 1)).toBe(true);
    // The warning comes at 80 % of the limit: 2 h → after 1 h 36 min.
    expect(started.clocks[0]).toMatchObject({
      kind: 'complaint_registered',
      warnAt: iso('2026-03-02T11:36:00'),
    });
    // Starting again (a retried command, whatever the facts) adds nothing.
    const again = await db.transaction((tx) =>
      startClocks(tx, { ticketId: id, facts: facts() }, at(MONDAY_10)),
    );
    expect(again.clocks).toEqual([]);
    expect(await listClocks(db, id)).toHaveLength(5);
  });

  it('counts round the clock where the target says so, and on the team’s calendar', async () => {
    const night = facts({ channel: 'chat', receivedAt: at('2026-03-02T22:00:00').getTime() });
    const { started } = await newTicket(night);
    const ack = started.clocks.find((c) => c.kind === 'off_hours_ack')!;
    expect(ack).toMatchObject({ calendarId: null, dueAt: iso('2026-03-02T23:00:00') });
    const team = await t.buildTeam();
    const [id] = await insertBareTickets(db, 1, { ownerId, receivedAt: at(MONDAY_10) });
    const res = await db.transaction((tx) =>
      startClocks(tx, { ticketId: id!, facts: facts(), teamId: team.id }, at(MONDAY_10)),
    );
    expect(res.calendarId).toBe(started.calendarId); // a team with no calendar → the default
  });
});

describe('pausing while waiting on the customer', () => {
  it('moves due and warning later by exactly the working time paused', async () => {
    const { id } = await newTicket();
    const before = await byKind(id);
    expect(before.first_response!.dueAt).toBe(iso('2026-03-03T10:00:00')); // 1 working day = 7.5 h
    const paused = await db.transaction((tx) => pauseClocks(tx, id, at('2026-03-02T11:00:00')));
    expect(paused.map((c) => c.kind).sort()).toEqual(['first_response', 'resolution']);
    const resumed = await db.transaction((tx) => resumeClocks(tx, id, at('2026-03-02T15:00:00')));
    // Paused 11:00–12:00 and 13:30–15:00: 2.5 working hours.
    const fr = resumed.find((c) => c.kind === 'first_response')!;
    expect(fr).toMatchObject({ state: 'running', pausedMs: 2.5 * H, pausedSince: null });
    expect(fr.dueAt).toBe(iso('2026-03-03T14:00:00')); // Tue 10:00 + 2.5 h (over lunch)
    // Warn after 6 of the 7.5 h: 6 + 2.5 = 8.5 working hours from Mon 10:00 → Tue 11:00.
    expect(fr.warnAt).toBe(iso('2026-03-03T11:00:00'));
  });

  it('adds nothing for a pause outside working hours, and leaves overdue and non-pausing clocks alone', async () => {
    const { id } = await newTicket(facts({ category: 'complaint', tier: 'L3' }));
    const before = await byKind(id);
    await db.transaction((tx) => pauseClocks(tx, id, at('2026-03-02T18:30:00')));
    const paused = Object.values(await byKind(id)).filter((c) => c.state === 'paused');
    // Only complaint_plan pauses by policy (registered and contacted are overdue by 18:30 anyway).
    expect(paused.map((c) => c.kind)).toEqual(['complaint_plan']);
    await db.transaction((tx) => resumeClocks(tx, id, at('2026-03-03T08:30:00')));
    expect((await byKind(id)).complaint_plan!.dueAt).toBe(before.complaint_plan!.dueAt);
  });
});

describe('meeting targets', () => {
  it('records working time used; a late one is breached at its due time', async () => {
    const { id } = await newTicket();
    const onTime = await db.transaction((tx) =>
      meetClock(tx, id, 'first_response', at('2026-03-02T14:00:00')),
    );
    // 10:00–12:00 and 13:30–14:00: 2.5 working hours.
    expect(onTime.met).toMatchObject({
      state: 'met',
      businessMsUsed: 2.5 * H,
      breached: false,
      breachedAt: null,
    });
    expect(onTime.next).toBeNull();
    const again = await db.transaction((tx) =>
      meetClock(tx, id, 'first_response', at('2026-03-02T15:00:00')),
    );
    expect(again).toEqual({ met: null, next: null });
    const late = await db.transaction((tx) =>
      meetClock(tx, id, 'resolution', at('2026-03-09T10:00:00')),
    );
    expect(late.met).toMatchObject({ breached: true, breachedAt: iso('2026-03-05T11:30:00') });
  });

  it('a repeating target starts its next occurrence when met', async () => {
    const { id } = await newTicket(facts({ tier: 'L3' })); // level3: plan 4 h, progress every 24 h
    const first = await db.transaction((tx) =>
      meetClock(tx, id, 'progress_update', at('2026-03-03T10:00:00')),
    );
    expect(first.met).toMatchObject({ occurrence: 1, state: 'met', businessMsUsed: 7.5 * H });
    expect(first.next).toMatchObject({
      kind: 'progress_update',
      occurrence: 2,
      state: 'running',
      startedAt: iso('2026-03-03T10:00:00'),
      dueAt: iso('2026-03-06T11:30:00'), // 24 h from Tue 10:00: Tue 6.5 + Wed 7.5 + Thu 7.5 + Fri 2.5
    });
  });
});

describe('re-classification', () => {
  it('switches policy: cancels the open clocks, starts the new ones from the received time, keeps what was met', async () => {
    const { id } = await newTicket();
    await db.transaction((tx) => meetClock(tx, id, 'first_response', at('2026-03-02T10:30:00')));
    const same = await db.transaction((tx) =>
      reclassify(tx, id, facts(), at('2026-03-02T11:00:00')),
    );
    expect(same).toMatchObject({
      changed: false,
      fromPolicyKey: 'general',
      toPolicyKey: 'general',
    });

    const res = await db.transaction((tx) =>
      reclassify(tx, id, facts({ category: 'complaint', tier: 'L3' }), at('2026-03-02T11:00:00')),
    );
    expect(res).toMatchObject({
      changed: true,
      policyVersion: 1,
      fromPolicyKey: 'general',
      toPolicyKey: 'complaint',
    });
    expect(res.cancelled.map((c) => c.kind)).toEqual(['resolution']);
    expect(res.started.map((c) => c.kind).sort()).toEqual([
      'complaint_contacted',
      'complaint_plan',
      'complaint_registered',
      'handling_plan',
      'progress_update',
    ]);
    expect(res.started.find((c) => c.kind === 'complaint_registered')!.dueAt).toBe(
      iso('2026-03-02T12:00:00'),
    );
    const states = (await listClocks(db, id)).map((c) => `${c.kind}:${c.state}`);
    expect(states).toContain('first_response:met');
    expect(states).toContain('resolution:cancelled');
  });

  it('carries paused working time over, and starts pausable clocks paused while the ticket waits', async () => {
    const { id } = await newTicket();
    await db.transaction((tx) => pauseClocks(tx, id, at('2026-03-02T11:00:00')));
    await db.transaction((tx) => resumeClocks(tx, id, at('2026-03-02T15:00:00'))); // 2.5 h paused
    await db.transaction((tx) => pauseClocks(tx, id, at('2026-03-02T16:00:00')));
    const res = await db.transaction((tx) =>
      reclassify(tx, id, facts({ priority: 'urgent' }), at('2026-03-02T17:00:00')),
    );
    const fr = res.started.find((c) => c.kind === 'first_response')!;
    expect(fr).toMatchObject({
      state: 'paused',
      pausedMs: 2.5 * H,
      pausedSince: iso('2026-03-02T16:00:00'),
    });
    await db.transaction((tx) => resumeClocks(tx, id, at('2026-03-03T09:00:00'))); // + 2 h
    // Urgent: 2 h from Mon 10:00, plus 4.5 h paused → 6.5 working hours → Mon 18:00.
    expect((await byKind(id)).first_response!.dueAt).toBe(iso('2026-03-02T18:00:00'));
  });
});

describe('cancelling', () => {
  it('stops every open clock and leaves met ones as they are', async () => {
    const { id } = await newTicket();
    await db.transaction((tx) => meetClock(tx, id, 'first_response', at('2026-03-02T11:00:00')));
    const gone = await db.transaction((tx) => cancelClocks(tx, id, at('2026-03-02T12:00:00')));
    expect(gone.map((c) => [c.kind, c.state])).toEqual([['resolution', 'cancelled']]);
    expect((await listClocks(db, id)).map((c) => c.state).sort()).toEqual(['cancelled', 'met']);
  });
});

describe('timers', () => {
  it('every running clock has its wake-ups (due, and warning until warned); others have none', async () => {
    // After everything above: starts, pauses, resumes, meets, repeats, re-classifications.
    expect(await timerMismatches(db)).toEqual([]);
    // (The check itself notices a missing wake-up.)
    const { id } = await newTicket();
    const [clock] = await listClocks(db, id);
    await db.execute(
      sql`DELETE FROM sla_timers WHERE clock_id = ${clock!.id} AND kind = 'warning'`,
    );
    expect(await timerMismatches(db)).toHaveLength(1);
  });
});
