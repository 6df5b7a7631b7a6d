import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket } from '../tickets/test-support.js';
import { seedSlaDefaults } from './seed.js';
import { timerMismatches } from './test/fixtures.js';

let t: TestContext;
let db: Db;
let agent: TestClient & { user: { email: string } };
let admin: TestClient & { user: { email: string } };
let china: { id: string };
let roundTheClock: { id: string };

const cst = (local: string) => new Date(`${local}+08:00`).toISOString();

/** Moves the clock; sessions idle that long have ended, so both sign in again. */
async function setNow(local: string) {
  t.clock.set(cst(local));
  agent = Object.assign(await t.signIn(agent.user.email), { user: agent.user });
  admin = Object.assign(await t.signIn(admin.user.email), { user: admin.user });
}

beforeAll(async () => {
  t = await createTestContext(); // Monday 2026-03-02 10:00 in Shanghai
  db = t.database.db;
  agent = await t.as('agent');
  admin = await t.as('admin');
  await seedSlaDefaults(db, t.clock.now());
  const calendars = (await admin.get('/api/v1/sla/calendars')).json().data as {
    id: string;
    isDefault: boolean;
    seedKey: string | null;
  }[];
  china = calendars.find((c) => c.isDefault)!;
  roundTheClock = calendars.find((c) => c.seedKey === '24x7')!;
});
afterAll(() => t.close());

type Clock = { kind: string; state: string; dueAt: string; warnAt: string; calendarId: string };
const clocks = async (id: string): Promise<Record<string, Clock>> =>
  Object.fromEntries(
    ((await agent.get(`/api/v1/tickets/${id}/sla`)).json().data as Clock[]).map((c) => [c.kind, c]),
  );

const replanAudits = async () =>
  rowsOf<{ target_id: string; diff: Record<string, { to: unknown }> }>(
    await db.execute(sql`SELECT target_id, diff FROM audit_events WHERE action = 'sla_clock.replan'
      ORDER BY at, id`),
  );

describe('editing a calendar re-plans the running clocks on it', () => {
  let ticketId: string;

  it('a holiday added ahead moves the due time by that day; the time used is kept', async () => {
    // An email enquiry: resolution within 24 working hours → due Thursday 2026-03-05 11:30.
    ticketId = (await registerTicket(agent, { channel: 'email' })).id;
    const before = await clocks(ticketId);
    expect(before.resolution?.dueAt).toBe(cst('2026-03-05T11:30:00'));
    await setNow('2026-03-03T15:00:00'); // Tuesday afternoon: 11 working hours used
    const res = await admin.post(`/api/v1/sla/calendars/${china.id}/days`, {
      days: [{ date: '2026-03-04', kind: 'holiday', name: '公司活动日' }],
    });
    expect(res.statusCode).toBe(200);
    const after = await clocks(ticketId);
    expect(after.resolution?.dueAt).toBe(cst('2026-03-06T11:30:00'));
    // The 1-working-day first response (due Tuesday 10:00) was already overdue: left to the sweeper.
    expect(after.first_response?.dueAt).toBe(before.first_response?.dueAt);
    const audits = await replanAudits();
    expect(audits.at(-1)).toMatchObject({ target_id: china.id });
    expect(await timerMismatches(db)).toEqual([]);
  });

  it('removing the day moves it back', async () => {
    const res = await admin.delete(`/api/v1/sla/calendars/${china.id}/days/2026-03-04`);
    expect(res.statusCode).toBe(204);
    expect((await clocks(ticketId)).resolution?.dueAt).toBe(cst('2026-03-05T11:30:00'));
  });

  it('other weekly hours re-plan from now', async () => {
    const calendar = (await admin.get(`/api/v1/sla/calendars/${china.id}`)).json().data;
    const longDays = [...calendar.weekly];
    for (const d of [1, 2, 3, 4, 5]) longDays[d] = [{ start: '09:00', end: '21:00' }];
    const res = await admin.patch(`/api/v1/sla/calendars/${china.id}`, { weekly: longDays });
    expect(res.statusCode).toBe(200);
    // 13 working hours left from Tuesday 15:00 on 09:00–21:00 days: 6 today, 7 on Wednesday.
    expect((await clocks(ticketId)).resolution?.dueAt).toBe(cst('2026-03-04T16:00:00'));
    await admin.patch(`/api/v1/sla/calendars/${china.id}`, { weekly: calendar.weekly });
    expect((await clocks(ticketId)).resolution?.dueAt).toBe(cst('2026-03-05T11:30:00'));
  });

  it('a team moved to another calendar takes its tickets’ clocks along', async () => {
    const team = await t.buildTeam('夜班');
    await db.execute(sql`UPDATE tickets SET team_id = ${team.id} WHERE id = ${ticketId}`);
    const res = await admin.request('PUT', `/api/v1/sla/teams/${team.id}/calendar`, {
      calendarId: roundTheClock.id,
    });
    expect(res.statusCode).toBe(200);
    const after = await clocks(ticketId);
    // 13 hours left, now counted round the clock from Tuesday 15:00.
    expect(after.resolution).toMatchObject({
      calendarId: roundTheClock.id,
      dueAt: cst('2026-03-04T04:00:00'),
    });
    expect(await timerMismatches(db)).toEqual([]);
  });
});
