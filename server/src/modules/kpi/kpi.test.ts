import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { registerTicket, walk } from '../tickets/test-support.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { kpiFixtures } from './test/fixtures.js';

/**
 * March 2026 (Asia/Shanghai), counted by hand — docs/kpi.md "Worked example":
 *
 * Agent A (team T1) owns a1–a7:
 *   a1 L1 received 3 Mar, resolved 3 Mar, closed confirmed; first response in time (60 s);
 *      resolution clock met (1 h)
 *   a2 L1 received 5 Mar, resolved 6 Mar, auto-closed without reply 13 Mar; response in time (120 s)
 *   a3 L1 received 10 Mar, handled by B, resolved 12 Mar; first response breached, then met (900 s)
 *   a4 merged into a1: counts for nothing (its clock met in time is ignored)
 *   a5 L1 received 20 Feb (first response breached in Feb), reopened 2 Mar, resolved again 9 Mar
 *   a6 received 20 Mar, first-response clock paused: not due yet
 *   a7 complaint L3 received 15 Mar, closed unresolved 25 Mar
 * Agent B (moved from T1 to T2 mid-month) owns b1 (team T2): L1 received and resolved 16 Mar,
 *   response in time (30 s). Surveys: 95 points (March invitation, answered 2 April — late), one
 *   March invitation unanswered, a February invitation answered in March (10 points).
 * Agent C (T2): nothing.
 */
let t: TestContext;
let admin: TestClient;
let supervisorT1: TestClient;
let supervisorT2: TestClient;
let agentA: TestClient & { user: { id: string } };
let ids: { A: string; B: string; C: string; T1: string; T2: string };

const snapshotsOf = async (month: string) =>
  (await admin.get(`/api/v1/kpi/snapshots?month=${month}`)).json().data;

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2026-04-02T03:00:00Z');
  const T1 = (await t.buildTeam('一组')).id;
  const T2 = (await t.buildTeam('二组')).id;
  const A = await t.buildUser({ roles: ['agent'], teamIds: [T1], name: 'Agent A' });
  const B = await t.buildUser({ roles: ['agent'], teamIds: [T1], name: 'Agent B' });
  const C = await t.buildUser({ roles: ['agent'], teamIds: [T2], name: 'Agent C' });
  ids = { A: A.id, B: B.id, C: C.id, T1, T2 };
  admin = await t.as('admin');
  const s1 = await t.buildUser({ roles: ['supervisor'], teamIds: [T1] });
  const s2 = await t.buildUser({ roles: ['supervisor'], teamIds: [T2] });
  supervisorT1 = await t.signIn(s1.email);
  supervisorT2 = await t.signIn(s2.email);
  agentA = Object.assign(await t.signIn(A.email), { user: A });

  const fx = kpiFixtures(t.database.db);
  const d = (s: string) => `2026-${s}+08:00`;
  const a1 = await fx.ticket({
    owner: A.id,
    team: T1,
    receivedAt: d('03-03T10:00:00'),
    resolvedAt: d('03-03T11:00:00'),
    closedAt: d('03-04T10:00:00'),
    closeKind: 'confirmed',
  });
  await fx.clock(a1, 'first_response', {
    startedAt: d('03-03T10:00:00'),
    metAt: d('03-03T10:01:00'),
    ms: 60_000,
  });
  await fx.clock(a1, 'resolution', {
    startedAt: d('03-03T10:00:00'),
    metAt: d('03-03T11:00:00'),
    ms: 3_600_000,
  });
  const a2 = await fx.ticket({
    owner: A.id,
    team: T1,
    receivedAt: d('03-05T10:00:00'),
    resolvedAt: d('03-06T10:00:00'),
    closedAt: d('03-13T10:00:00'),
    closeKind: 'auto_no_reply',
  });
  await fx.clock(a2, 'first_response', {
    startedAt: d('03-05T10:00:00'),
    metAt: d('03-05T10:02:00'),
    ms: 120_000,
  });
  const a3 = await fx.ticket({
    owner: A.id,
    handler: B.id,
    team: T1,
    receivedAt: d('03-10T10:00:00'),
    resolvedAt: d('03-12T10:00:00'),
  });
  await fx.clock(a3, 'first_response', {
    startedAt: d('03-10T10:00:00'),
    breachedAt: d('03-10T10:10:00'),
    metAt: d('03-10T10:15:00'),
    ms: 900_000,
  });
  const a4 = await fx.ticket({
    owner: A.id,
    team: T1,
    receivedAt: d('03-11T10:00:00'),
    closedAt: d('03-11T11:00:00'),
    closeKind: 'merged',
    mergedInto: a1,
  });
  await fx.clock(a4, 'first_response', {
    startedAt: d('03-11T10:00:00'),
    metAt: d('03-11T10:01:00'),
    ms: 60_000,
  });
  const a5 = await fx.ticket({
    owner: A.id,
    team: T1,
    receivedAt: d('02-20T10:00:00'),
    resolvedAt: d('03-09T10:00:00'),
  });
  await fx.clock(a5, 'first_response', {
    startedAt: d('02-20T10:00:00'),
    breachedAt: d('02-20T11:00:00'),
  });
  await fx.reopen(a5, d('03-02T10:00:00'));
  const a6 = await fx.ticket({ owner: A.id, team: T1, receivedAt: d('03-20T10:00:00') });
  await fx.clock(a6, 'first_response', {
    startedAt: d('03-20T10:00:00'),
    pausedSince: d('03-20T10:00:10'),
  });
  await fx.ticket({
    owner: A.id,
    team: T1,
    tier: 'L3',
    category: 'complaint',
    receivedAt: d('03-15T10:00:00'),
    closedAt: d('03-25T10:00:00'),
    closeKind: 'unresolved',
  });
  const b1 = await fx.ticket({
    owner: B.id,
    team: T2,
    receivedAt: d('03-16T10:00:00'),
    resolvedAt: d('03-16T12:00:00'),
  });
  await fx.clock(b1, 'first_response', {
    startedAt: d('03-16T10:00:00'),
    metAt: d('03-16T10:00:30'),
    ms: 30_000,
  });
  await fx.survey({
    agent: A.id,
    team: T1,
    month: '2026-03',
    sentAt: d('03-04T10:00:00'),
    answeredAt: d('03-20T10:00:00'),
    score: 80,
    ticketId: a1,
  });
  await fx.survey({
    agent: B.id,
    team: T1,
    month: '2026-03',
    sentAt: d('03-12T10:00:00'),
    answeredAt: d('04-02T09:00:00'),
    score: 95,
    ticketId: a3,
  });
  await fx.survey({
    agent: B.id,
    team: T2,
    month: '2026-03',
    sentAt: d('03-17T10:00:00'),
    ticketId: b1,
  });
  await fx.survey({
    agent: B.id,
    team: T1,
    month: '2026-02',
    sentAt: d('02-27T10:00:00'),
    answeredAt: d('03-05T10:00:00'),
    score: 10,
  });
  // B moved from T1 to T2 in the middle of the month.
  await t.database.db.execute(
    sql`UPDATE team_members SET team_id = ${T2}::uuid WHERE user_id = ${B.id}::uuid`,
  );
});
afterAll(() => t.close());

describe('KPI targets, versioned', () => {
  it('version 1 is SPEC chapter 8; only administrators save a new version; floors are checked', async () => {
    const v1 = (await agentA.get('/api/v1/kpi/targets')).json().data;
    expect(v1.version).toBe(1);
    expect(v1.targets.response_timeliness).toEqual({ target: 95, floor: 90 });
    expect(v1.targets.complaint_rate).toEqual({ target: 2, floor: null });
    const body = { targets: v1.targets, reason: '试行' };
    expect((await supervisorT1.request('PUT', '/api/v1/kpi/targets', body)).statusCode).toBe(403);
    const bad = await admin.request('PUT', '/api/v1/kpi/targets', {
      ...body,
      targets: { ...v1.targets, csat: { target: 90, floor: 95 } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('targets.csat.floor');
    expect(
      (
        await admin.request('PUT', '/api/v1/kpi/targets', {
          ...body,
          targets: { ...v1.targets, extra: 1 },
        })
      ).statusCode,
    ).toBe(400);
    const v2 = await admin.request('PUT', '/api/v1/kpi/targets', { ...body, baseVersion: 1 });
    expect(v2.statusCode).toBe(201);
    expect(v2.json().data).toMatchObject({ version: 2, reason: '试行' });
    const stale = await admin.request('PUT', '/api/v1/kpi/targets', { ...body, baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    const versions = (await admin.get('/api/v1/kpi/targets/versions')).json().data;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await expect(
      t.database.db.execute(sql`UPDATE kpi_target_versions SET reason = 'x'`),
    ).rejects.toThrow();
  });
});

describe('the monthly assessment', () => {
  let march: { id: string; revision: number };

  it('February first: A is below the timeliness floor there (a written warning)', async () => {
    expect((await agentA.post('/api/v1/kpi/snapshots', { month: '2026-02' })).statusCode).toBe(403);
    const res = await supervisorT1.post('/api/v1/kpi/snapshots', { month: '2026-02' });
    expect(res.statusCode).toBe(201);
    const feb = res.json().data;
    expect(feb).toMatchObject({
      month: '2026-02',
      status: 'draft',
      revision: 1,
      source: 'manual',
      targetVersion: 2,
    });
    // The supervisor of T1 sees A (T1) but no longer B (now in T2).
    expect(feb.results.agents.map((a: { name: string }) => a.name)).toEqual(['Agent A']);
    expect(feb.results.agents[0].outcome.warnings).toEqual(['response_timeliness']);
  });

  it('March: every formula as counted by hand', async () => {
    const res = await admin.post('/api/v1/kpi/snapshots', { month: '2026-03' });
    expect(res.statusCode).toBe(201);
    const s = res.json().data;
    march = s;
    expect(s.results).toMatchObject({
      month: '2026-03',
      timeZone: 'Asia/Shanghai',
      quarterEnd: true,
      csatCutoff: 95,
    });
    const byName = Object.fromEntries(s.results.agents.map((a: { name: string }) => [a.name, a]));
    const A = byName['Agent A'];
    expect(A.facts).toMatchObject({
      firstResponseDue: 3,
      firstResponseInTime: 2,
      firstResponseMsSum: 1_080_000,
      firstResponseMsCount: 3,
      received: 5,
      complaints: 1,
      l1Resolved: 4,
      l1FirstContact: 2,
      concluded: 4,
      resolved: 3,
      complaintsConcluded: 1,
      complaintsResolved: 0,
      reopenBase: 3,
      reopened: 1,
      resolutionMsSum: 3_600_000,
      resolutionMsCount: 1,
      surveysSent: 1,
      surveysAnswered: 1,
      csatSum: 80,
      csatCount: 1,
    });
    expect(A.kpis.response_timeliness).toMatchObject({ value: 66.67, status: 'below_floor' });
    expect(A.kpis.mean_first_response.value).toBe(360_000);
    expect(A.kpis.resolution_rate).toMatchObject({ value: 75, status: 'below_target' });
    expect(A.kpis.fcr_l1).toMatchObject({ value: 50, status: 'below_target' });
    expect(A.kpis.complaint_resolution).toMatchObject({ value: 0, status: 'below_target' });
    expect(A.kpis.complaint_rate).toMatchObject({ value: null, status: 'na' });
    expect(A.kpis.reopen_rate.value).toBe(33.33);
    expect(A.kpis.csat.value).toBe(80);
    // Warned in February too: training required; not a star.
    expect(A.outcome).toMatchObject({
      serviceStar: false,
      warnings: ['response_timeliness'],
      trainingRequired: true,
      grade: 'C',
      quarterRating: 'C',
    });

    const B = byName['Agent B'];
    expect(B.teamIds).toEqual([ids.T2]);
    expect(B.facts).toMatchObject({
      firstResponseDue: 1,
      firstResponseInTime: 1,
      concluded: 2,
      resolved: 2,
      l1Resolved: 1,
      l1FirstContact: 1,
      surveysSent: 2,
      surveysAnswered: 1,
      csatSum: 95,
    });
    expect(B.kpis.survey_response_rate.value).toBe(50);
    expect(B.outcome).toMatchObject({
      serviceStar: true,
      warnings: [],
      trainingRequired: false,
      grade: 'A',
    });

    const C = byName['Agent C'];
    expect(Object.values(C.kpis).every((k) => (k as { status: string }).status === 'na')).toBe(
      true,
    );
    expect(C.outcome).toMatchObject({ serviceStar: false, grade: null, warnings: [] });

    const teams = Object.fromEntries(s.results.teams.map((x: { name: string }) => [x.name, x]));
    expect(teams['一组'].facts).toMatchObject({
      received: 5,
      complaints: 1,
      concluded: 5,
      resolved: 4,
      firstResponseDue: 3,
      surveysSent: 2,
      csatSum: 175,
      csatCount: 2,
    });
    expect(teams['一组'].kpis.complaint_rate).toMatchObject({ value: 20, status: 'below_target' });
    expect(teams['一组'].kpis.csat.value).toBe(87.5);
    expect(teams['一组'].recognised).toBe(false);
    expect(teams['二组'].facts).toMatchObject({
      received: 1,
      complaints: 0,
      concluded: 1,
      resolved: 1,
      surveysSent: 1,
      csatCount: 0,
    });
    expect(teams['二组'].recognised).toBe(true);
  });

  it('who sees what: an agent their own row, a supervisor their teams, an administrator all', async () => {
    const own = (await agentA.get(`/api/v1/kpi/snapshots/${march.id}`)).json().data;
    expect(own.results.agents.map((a: { userId: string }) => a.userId)).toEqual([ids.A]);
    expect(own.results.teams).toEqual([]);
    const sup = (await supervisorT2.get(`/api/v1/kpi/snapshots/${march.id}`)).json().data;
    expect(sup.results.agents.map((a: { userId: string }) => a.userId).sort()).toEqual(
      [ids.B, ids.C].sort(),
    );
    expect(sup.results.teams.map((x: { teamId: string }) => x.teamId)).toEqual([ids.T2]);
    const all = (await admin.get(`/api/v1/kpi/snapshots/${march.id}`)).json().data;
    expect(all.results.agents.length).toBeGreaterThanOrEqual(3);
    expect(
      (await agentA.get(`/api/v1/kpi/snapshots/00000000-0000-4000-8000-000000000000`)).statusCode,
    ).toBe(404);
  });

  it('sign: the reviewed revision, then immutable; a correction is a new linked draft', async () => {
    const again = await supervisorT2.post('/api/v1/kpi/snapshots', { month: '2026-03' });
    expect(again.statusCode).toBe(200);
    expect(again.json().data).toMatchObject({ id: march.id, revision: 2 });
    const stale = await supervisorT2.post(`/api/v1/kpi/snapshots/${march.id}/sign`, {
      revision: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('snapshot_changed');
    expect(
      (await agentA.post(`/api/v1/kpi/snapshots/${march.id}/sign`, { revision: 2 })).statusCode,
    ).toBe(403);
    const signed = await supervisorT2.post(`/api/v1/kpi/snapshots/${march.id}/sign`, {
      revision: 2,
      note: '已核对',
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json().data).toMatchObject({ status: 'signed', signNote: '已核对' });
    // Training item for A, who was below the floor two months in a row.
    const items = rowsOf<{ user_id: string; kpis: string[]; status: string }>(
      await t.database.db.execute(sql`SELECT user_id, kpis, status FROM kpi_training_items`),
    );
    expect(items).toEqual([{ user_id: ids.A, kpis: ['response_timeliness'], status: 'open' }]);

    expect(
      (await supervisorT2.post(`/api/v1/kpi/snapshots/${march.id}/sign`, { revision: 2 })).json()
        .code,
    ).toBe('snapshot_signed');
    const rerun = await admin.post('/api/v1/kpi/snapshots', { month: '2026-03' });
    expect(rerun.statusCode).toBe(409);
    expect(rerun.json().code).toBe('snapshot_signed');
    await expect(
      t.database.db.execute(
        sql`UPDATE kpi_snapshots SET results = '{}' WHERE id = ${march.id}::uuid`,
      ),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`DELETE FROM kpi_snapshots WHERE id = ${march.id}::uuid`),
    ).rejects.toThrow();

    expect((await admin.post(`/api/v1/kpi/snapshots/${march.id}/correct`, {})).statusCode).toBe(
      400,
    );
    const fix = await admin.post(`/api/v1/kpi/snapshots/${march.id}/correct`, {
      reason: '补录一张投诉单',
    });
    expect(fix.statusCode).toBe(201);
    const correction = fix.json().data;
    expect(correction).toMatchObject({
      status: 'draft',
      source: 'correction',
      supersedesId: march.id,
      correctionReason: '补录一张投诉单',
      revision: 1,
    });
    expect(
      (await admin.post(`/api/v1/kpi/snapshots/${march.id}/correct`, { reason: 'again' })).json()
        .code,
    ).toBe('snapshot_superseded');
    const chain = await snapshotsOf('2026-03');
    expect(
      chain.map((x: { id: string; supersededById: string | null }) => [x.id, x.supersededById]),
    ).toEqual([
      [correction.id, null],
      [march.id, correction.id],
    ]);
    // Running the month now recomputes the correction draft.
    expect(
      (await admin.post('/api/v1/kpi/snapshots', { month: '2026-03' })).json().data,
    ).toMatchObject({ id: correction.id, revision: 2 });

    const audit = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`SELECT action FROM audit_events WHERE target_type = 'kpi_snapshot' ORDER BY id`,
      ),
    ).map((r) => r.action);
    expect(audit).toEqual([
      'kpi_snapshot.create',
      'kpi_snapshot.create',
      'kpi_snapshot.recompute',
      'kpi_snapshot.sign',
      'kpi_snapshot.correct',
      'kpi_snapshot.recompute',
    ]);
  });

  it('a future month is refused; months are YYYY-MM', async () => {
    expect((await admin.post('/api/v1/kpi/snapshots', { month: '2026-05' })).statusCode).toBe(422);
    expect((await admin.post('/api/v1/kpi/snapshots', { month: '2026-13' })).statusCode).toBe(400);
  });

  it('trends: an agent their own, not a colleague; a supervisor their team', async () => {
    const mine = await agentA.get('/api/v1/kpi/trend?months=3&to=2026-03');
    expect(mine.statusCode).toBe(200);
    const points = mine.json().data;
    expect(points.map((p: { month: string }) => p.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(points[0]).toMatchObject({ snapshotId: null, signed: false });
    expect(points[1].values.response_timeliness).toBe(0);
    expect(points[2].values.response_timeliness).toBe(66.67);
    expect((await agentA.get(`/api/v1/kpi/trend?userId=${ids.B}`)).statusCode).toBe(404);
    expect((await agentA.get(`/api/v1/kpi/trend?teamId=${ids.T1}`)).statusCode).toBe(404);
    expect(
      (await supervisorT2.get(`/api/v1/kpi/trend?userId=${ids.B}&to=2026-03`)).statusCode,
    ).toBe(200);
    const team = (
      await supervisorT2.get(`/api/v1/kpi/trend?teamId=${ids.T2}&to=2026-03&months=1`)
    ).json().data;
    expect(team[0].values.resolution_rate).toBe(100);
    expect((await supervisorT2.get(`/api/v1/kpi/trend?teamId=${ids.T1}`)).statusCode).toBe(404);
  });

  it('counts tickets worked through the real API (owner, resolution, first-response clock)', async () => {
    t.clock.set('2026-05-06T02:00:00Z');
    admin = await t.as('admin');
    const agent = await t.as('agent');
    const ticket = await registerTicket(agent);
    t.clock.advance(60_000);
    await walk(agent, ticket, 'accepted', 'resolved');
    const s = (await admin.post('/api/v1/kpi/snapshots', { month: '2026-05' })).json().data;
    const row = s.results.agents.find((a: { userId: string }) => a.userId === agent.user.id);
    expect(row.facts).toMatchObject({
      received: 1,
      concluded: 1,
      resolved: 1,
      l1Resolved: 1,
      l1FirstContact: 1,
    });
  });
});
