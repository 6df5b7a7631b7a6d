import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { ALWAYS_OPEN_KEY, CN_CALENDAR_KEY, seedSlaDefaults } from './seed.js';

let t: TestContext;
let admin: TestClient;
let agent: TestClient;
let cn: { id: string; name: string };

const officeHours = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
const week = [[], officeHours, officeHours, officeHours, officeHours, officeHours, []];

beforeAll(async () => {
  t = await createTestContext();
  const first = await seedSlaDefaults(t.database.db, t.clock.now());
  expect(first).toMatchObject({ calendarsCreated: 2, policyVersionCreated: true });
  expect(first.holidayYearsAdded).toEqual([2024, 2025, 2026]);
  // Idempotent: a second start-up (or a second process) adds nothing.
  expect(await seedSlaDefaults(t.database.db, t.clock.now())).toEqual({
    calendarsCreated: 0,
    holidayYearsAdded: [],
    policyVersionCreated: false,
  });
  admin = await t.as('admin');
  agent = await t.as('agent');
  const list = (await agent.get('/api/v1/sla/calendars')).json().data;
  cn = list.find((c: { seedKey: string }) => c.seedKey === CN_CALENDAR_KEY);
});
afterAll(() => t.close());

describe('SLA calendars', () => {
  it('ships 中国大陆工作日 (default, Asia/Shanghai, 09:00–12:00 + 13:30–18:00) and 24×7', async () => {
    const list = (await agent.get('/api/v1/sla/calendars')).json().data;
    expect(list.map((c: { name: string }) => c.name).sort()).toEqual(['24×7', '中国大陆工作日']);
    expect(cn).toMatchObject({ timeZone: 'Asia/Shanghai', isDefault: true, weekly: week });
    const always = list.find((c: { seedKey: string }) => c.seedKey === ALWAYS_OPEN_KEY);
    expect(always.isDefault).toBe(false);
    expect(always.weekly.every((d: unknown[]) => d.length === 1)).toBe(true);
  });

  it('lists China’s holidays and 调休 days by year, page by page', async () => {
    const page1 = (
      await agent.get(`/api/v1/sla/calendars/${cn.id}/days?year=2026&limit=30`)
    ).json();
    expect(page1.data).toHaveLength(30);
    const page2 = (
      await agent.get(
        `/api/v1/sla/calendars/${cn.id}/days?year=2026&limit=200&cursor=${page1.nextCursor}`,
      )
    ).json();
    expect(page2.nextCursor).toBeNull();
    const all = [...page1.data, ...page2.data];
    expect(all.every((d: { date: string }) => d.date.startsWith('2026-'))).toBe(true);
    expect(all).toContainEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(all).toContainEqual({ date: '2026-10-10', kind: 'workday', name: '国庆节' });
  });

  it('lets an administrator create and edit calendars; others may only read', async () => {
    const body = { name: 'Shanghai support', timeZone: 'Asia/Shanghai', weekly: week };
    expect((await agent.post('/api/v1/sla/calendars', body)).statusCode).toBe(403);
    const res = await admin.post('/api/v1/sla/calendars', body);
    expect(res.statusCode).toBe(201);
    const created = res.json().data;
    expect(created).toMatchObject({
      isDefault: false,
      makeUpHours: null,
      seedKey: null,
      teams: [],
    });
    expect((await admin.post('/api/v1/sla/calendars', body)).json().code).toBe(
      'calendar_name_taken',
    );

    const patched = await admin.patch(`/api/v1/sla/calendars/${created.id}`, {
      makeUpHours: [{ start: '10:00', end: '16:00' }],
    });
    expect(patched.json().data.makeUpHours).toEqual([{ start: '10:00', end: '16:00' }]);
    expect(patched.json().data.revision).toBeGreaterThan(created.revision);
    const audit = (
      await admin.get(`/api/v1/audit-events?targetType=sla_calendar&targetId=${created.id}`)
    ).json().data;
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual([
      'sla_calendar.create',
      'sla_calendar.update',
    ]);
  });

  it('refuses bad zones, overlapping or empty hours', async () => {
    const bad = async (over: object) =>
      (
        await admin.post('/api/v1/sla/calendars', {
          name: 'Bad',
          timeZone: 'UTC',
          weekly: week,
          ...over,
        })
      ).json();
    expect((await bad({ timeZone: 'Mars/Olympus' })).errors[0].path).toBe('timeZone');
    const overlap = [
      [],
      [
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
      [],
      [],
      [],
      [],
      [],
    ];
    expect((await bad({ weekly: overlap })).status).toBe(400);
    expect((await bad({ weekly: [[], [], [], [], [], [], []] })).status).toBe(400);
    expect(
      (await bad({ weekly: [[{ start: '18:00', end: '09:00' }], [], [], [], [], [], []] })).status,
    ).toBe(400);
    expect(
      (await bad({ weekly: [[{ start: '25:00', end: '26:00' }], [], [], [], [], [], []] })).status,
    ).toBe(400);
  });

  it('moves the default from one calendar to another', async () => {
    const other = (
      await admin.post('/api/v1/sla/calendars', {
        name: 'Default for a while',
        timeZone: 'Europe/Berlin',
        weekly: week,
        isDefault: true,
      })
    ).json().data;
    expect(other.isDefault).toBe(true);
    expect((await agent.get(`/api/v1/sla/calendars/${cn.id}`)).json().data.isDefault).toBe(false);
    await admin.patch(`/api/v1/sla/calendars/${cn.id}`, { isDefault: true });
    expect((await agent.get(`/api/v1/sla/calendars/${other.id}`)).json().data.isDefault).toBe(
      false,
    );
    expect((await agent.get(`/api/v1/sla/calendars/${cn.id}`)).json().data.isDefault).toBe(true);
  });

  it('adds, changes and removes days', async () => {
    const cal = (
      await admin.post('/api/v1/sla/calendars', {
        name: 'Days',
        timeZone: 'Asia/Shanghai',
        weekly: week,
      })
    ).json().data;
    const url = `/api/v1/sla/calendars/${cal.id}/days`;
    const put = await admin.post(url, {
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-01-02', kind: 'workday' },
      ],
    });
    expect(put.json().data).toMatchObject({ added: 2, changed: 0, unchanged: 0 });
    const again = await admin.post(url, {
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-01-02', kind: 'holiday', name: 'Company day' },
      ],
    });
    expect(again.json().data).toMatchObject({ added: 0, changed: 1, unchanged: 1 });
    expect((await admin.request('DELETE', `${url}/2027-01-02`)).statusCode).toBe(204);
    expect((await admin.request('DELETE', `${url}/2027-01-02`)).statusCode).toBe(404);
    expect((await agent.get(url)).json().data).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
    ]);
    expect(
      (await admin.post(url, { days: [{ date: '2027-02-30', kind: 'holiday' }] })).statusCode,
    ).toBe(400);
    expect(
      (await agent.post(url, { days: [{ date: '2027-03-01', kind: 'holiday' }] })).statusCode,
    ).toBe(403);
  });

  it('imports an ICS feed: all-day ranges are holidays, 补班 events make-up days, timed events skipped', async () => {
    const cal = (
      await admin.post('/api/v1/sla/calendars', {
        name: 'From ICS',
        timeZone: 'Asia/Shanghai',
        weekly: week,
      })
    ).json().data;
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example//CN holidays//ZH',
      'BEGIN:VEVENT',
      'UID:national-day-2027',
      'DTSTART;VALUE=DATE:20271001',
      'DTEND;VALUE=DATE:20271008',
      'SUMMARY:国庆节 假期',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:national-day-2027-work',
      'DTSTART;VALUE=DATE:20270926',
      'SUMMARY:国庆节 补班',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:meeting',
      'DTSTART:20270910T090000Z',
      'DTEND:20270910T100000Z',
      'SUMMARY:Team meeting',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const res = await admin.post(`/api/v1/sla/calendars/${cal.id}/import-ics`, { ics });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({
      added: 8,
      changed: 0,
      unchanged: 0,
      removed: 0,
      skipped: [{ summary: 'Team meeting', reason: 'not an all-day event' }],
    });
    const days = (await agent.get(`/api/v1/sla/calendars/${cal.id}/days`)).json().data;
    expect(days[0]).toEqual({ date: '2027-09-26', kind: 'workday', name: '国庆节' });
    expect(days.filter((d: { kind: string }) => d.kind === 'holiday')).toHaveLength(7);

    const broken = await admin.post(`/api/v1/sla/calendars/${cal.id}/import-ics`, { ics: 'hello' });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().errors[0]).toMatchObject({ path: 'ics', code: 'invalid_ics' });
  });

  it('exports ICS that imports back to the same days (round trip of the China calendar)', async () => {
    const res = await agent.get(`/api/v1/sla/calendars/${cn.id}/export.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(res.body).toContain('X-KEFU-KIND:workday');
    const copy = (
      await admin.post('/api/v1/sla/calendars', {
        name: 'Round trip',
        timeZone: 'Asia/Shanghai',
        weekly: week,
      })
    ).json().data;
    const imported = await admin.post(`/api/v1/sla/calendars/${copy.id}/import-ics`, {
      ics: res.body,
      mode: 'replace',
    });
    const original = await allDays(cn.id);
    expect(imported.json().data).toMatchObject({ added: original.length, skipped: [] });
    expect(await allDays(copy.id)).toEqual(original);

    // Replacing with a smaller file removes what it does not list.
    const one = res.body.replace(
      /BEGIN:VEVENT[\s\S]*END:VEVENT\r\n/,
      (all: string) => all.split('END:VEVENT\r\n')[0] + 'END:VEVENT\r\n',
    );
    const replaced = await admin.post(`/api/v1/sla/calendars/${copy.id}/import-ics`, {
      ics: one,
      mode: 'replace',
    });
    expect(replaced.json().data).toMatchObject({
      added: 0,
      unchanged: 1,
      removed: original.length - 1,
    });
  });

  it('lets teams choose a calendar (null = the default)', async () => {
    const team = await t.buildTeam('海外支持');
    const always = (await agent.get('/api/v1/sla/calendars'))
      .json()
      .data.find((c: { seedKey: string }) => c.seedKey === ALWAYS_OPEN_KEY);
    const url = `/api/v1/sla/teams/${team.id}/calendar`;
    expect((await agent.request('PUT', url, { calendarId: always.id })).statusCode).toBe(403);
    const res = await admin.request('PUT', url, { calendarId: always.id });
    expect(res.json().data).toEqual({ teamId: team.id, calendarId: always.id });
    expect((await agent.get(`/api/v1/sla/calendars/${always.id}`)).json().data.teams).toEqual([
      { id: team.id, name: '海外支持' },
    ]);
    expect(
      (await admin.request('PUT', url, { calendarId: null })).json().data.calendarId,
    ).toBeNull();
    const missing = await admin.request('PUT', url, {
      calendarId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.json().errors[0].path).toBe('calendarId');
  });
});

async function allDays(calendarId: string) {
  const out: unknown[] = [];
  let cursor = '';
  for (;;) {
    const page = (
      await agent.get(
        `/api/v1/sla/calendars/${calendarId}/days?limit=200${cursor && `&cursor=${cursor}`}`,
      )
    ).json();
    out.push(...page.data);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}
