/**
 * Issue 9, SLA item 6: calendars must not run out silently. The coverage report (admin banner),
 * the risk board entry, the start-up log line, the `calendarWarningDays` setting, and loading a
 * year in one step (bundled data, or an uploaded .ics / JSON file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { warnCalendarsRunningOut } from './coverage.js';

let t: TestContext;
let admin: TestClient;
let agent: TestClient;
let supervisor: TestClient;
let cnId: string;

const cst = (local: string) => new Date(`${local}+08:00`);

/** Test data only (not the official 2027 schedule, which is not published yet). */
const FIXTURE_2027 = JSON.stringify({
  days: [
    { date: '2027-01-01', kind: 'holiday', nameZh: '元旦' },
    { date: '2026-12-31', kind: 'holiday', nameZh: '不是 2027 年' },
  ],
});

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set(cst('2026-12-03T10:00:00'));
  admin = await t.as('admin');
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  await agent.get('/api/v1/sla/policies'); // seeds the calendars on a fresh database
  const calendars = (await admin.get('/api/v1/sla/calendars')).json().data;
  cnId = calendars.find((c: { seedKey: string }) => c.seedKey === 'cn_workdays').id;
});
afterAll(() => t.close());

const coverage = async (client: TestClient = agent) => {
  const res = await client.get('/api/v1/sla/calendar-coverage');
  expect(res.statusCode).toBe(200);
  return res.json().data;
};
const cn = async () => (await coverage()).calendars.find((c: { id: string }) => c.id === cnId);
const dueOfFirstResponse = async () => {
  const q = new URLSearchParams({
    receivedAt: '2026-12-31T17:00:00+08:00',
    channel: 'email',
    category: 'consultation',
    tier: 'L1',
    priority: 'general',
    calendarId: cnId,
  });
  const data = (await agent.get(`/api/v1/sla/preview?${q}`)).json().data;
  return data.targets.find((x: { kind: string }) => x.kind === 'first_response').dueAtLocal;
};

describe('calendar coverage', () => {
  it('on 3 December 2026 the shipped China calendar ends with 2026: warned, from 1 January 2027', async () => {
    const report = await coverage();
    expect(report).toMatchObject({ warnDays: 60, bundledYears: [2024, 2025, 2026] });
    expect(await cn()).toMatchObject({
      name: '中国大陆工作日',
      isDefault: true,
      years: [2024, 2025, 2026],
      observesHolidays: true,
      coveredUntil: '2026-12-31',
      missingFrom: '2027-01-01',
      missingYear: 2027,
      warn: true,
    });
    // The 24×7 calendar has no holidays on purpose: never warned about.
    const always = report.calendars.find((c: { name: string }) => c.name === '24×7');
    expect(always).toMatchObject({ observesHolidays: false, warn: false });
    expect((await t.anonymous.get('/api/v1/sla/calendar-coverage')).statusCode).toBe(401);
  });

  it('the risk board lists the calendar, and start-up logs one line for it', async () => {
    const board = (await supervisor.get('/api/v1/sla/risk-board')).json().data;
    expect(board.calendarWarnings).toEqual([
      {
        calendarId: cnId,
        name: '中国大陆工作日',
        coveredUntil: '2026-12-31',
        missingFrom: '2027-01-01',
        missingYear: 2027,
      },
    ]);
    const lines: { obj: object; msg: string }[] = [];
    await warnCalendarsRunningOut(t.database.db, t.clock.now(), {
      warn: (obj, msg) => lines.push({ obj, msg }),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toContain('中国大陆工作日');
    expect(lines[0]!.msg).toContain('2027-01-01');
    expect(lines[0]!.obj).toMatchObject({ calendarId: cnId, warnDays: 60 });
  });

  it('the 60 days are a setting (administrators)', async () => {
    const patch = (days: number, client = admin) =>
      client.patch('/api/v1/sla/settings', { calendarWarningDays: days });
    expect((await patch(20)).json().data.calendarWarningDays).toBe(20);
    expect(await cn()).toMatchObject({ warn: false, missingFrom: null });
    expect((await supervisor.get('/api/v1/sla/risk-board')).json().data.calendarWarnings).toEqual(
      [],
    );
    expect((await patch(0)).statusCode).toBe(400);
    expect((await patch(30, agent)).statusCode).toBe(403);
    expect((await patch(60)).statusCode).toBe(200);
    expect((await agent.get('/api/v1/sla/settings')).json().data.calendarWarningDays).toBe(60);
    expect((await cn()).warn).toBe(true);
  });
});

describe('import year', () => {
  const importYear = (body: Record<string, unknown>, id = cnId, client = admin) =>
    client.post(`/api/v1/sla/calendars/${id}/import-year`, body);

  it('the bundled data has no 2027: 422 naming year, saying which years it holds', async () => {
    const res = await importYear({ year: 2027, source: 'bundled' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ path: 'year', code: 'year_not_bundled' }),
    ]);
    expect(res.json().errors[0].message).toContain('2024, 2025, 2026');
  });

  it('an uploaded JSON file loads its days of that year only; due times move; the warning goes', async () => {
    expect(await dueOfFirstResponse()).toBe('2027-01-01T17:00:00.000+08:00');
    const res = await importYear({ year: 2027, source: 'json', text: FIXTURE_2027 });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({
      year: 2027,
      added: 1,
      changed: 0,
      unchanged: 0,
      removed: 0,
      skipped: [],
    });
    // 1 January 2027 is now a holiday: 1 working day from Thu 31 Dec 17:00 ends Mon 4 Jan.
    expect(await dueOfFirstResponse()).toBe('2027-01-04T17:00:00.000+08:00');
    expect(await cn()).toMatchObject({ warn: false, coveredUntil: '2027-12-31' });
    const days = (await agent.get(`/api/v1/sla/calendars/${cnId}/days?year=2026`)).json().data;
    expect(days.find((d: { date: string }) => d.date === '2026-12-31')).toBeUndefined();
  });

  it('a bundled year into a new calendar, an .ics file in replace mode, and refusals', async () => {
    const created = await admin.post('/api/v1/sla/calendars', {
      name: '上海客服中心',
      timeZone: 'Asia/Shanghai',
      weekly: [[], ...Array(5).fill([{ start: '09:00', end: '18:00' }]), []],
      makeUpHours: null,
      isDefault: false,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id;
    expect((await coverage()).calendars.find((c: { id: string }) => c.id === id)).toMatchObject({
      observesHolidays: false,
      warn: false,
    });
    const bundled = await importYear({ year: 2026, source: 'bundled' }, id);
    expect(bundled.statusCode).toBe(200);
    expect(bundled.json().data.added).toBe(39); // 33 holidays + 6 make-up days
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:a@test',
      'DTSTART;VALUE=DATE:20261001',
      'DTEND;VALUE=DATE:20261003',
      'SUMMARY:国庆节',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const replaced = await importYear(
      { year: 2026, source: 'ics', text: ics, mode: 'replace' },
      id,
    );
    expect(replaced.json().data).toMatchObject({ added: 0, unchanged: 2, removed: 37 });
    const empty = await importYear({ year: 2030, source: 'ics', text: ics }, id);
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors[0]).toMatchObject({ path: 'text', code: 'year_empty' });
    const broken = await importYear({ year: 2026, source: 'json', text: '{"days":[1]}' }, id);
    expect(broken.json().errors[0]).toMatchObject({ path: 'text', code: 'invalid_json' });
    expect((await importYear({ year: 2026, source: 'ics' }, id)).statusCode).toBe(400);
    expect((await importYear({ year: 2026, source: 'bundled' }, id, agent)).statusCode).toBe(403);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await importYear({ year: 2026, source: 'bundled' }, unknown)).statusCode).toBe(404);
  });
});
