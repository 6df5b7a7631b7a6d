import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { loadMonthFacts } from '../kpi/facts.js';
import { DEFAULT_TARGETS, evaluateKpis, KPI_KEYS, type KpiKey } from '../kpi/rules/kpis.js';
import { computeResults } from '../kpi/snapshots.js';
import { kpiFixtures } from '../kpi/test/fixtures.js';
import { todayTicketBatches } from './today.js';

/**
 * March 2026 (Asia/Shanghai), counted by hand:
 *   A (team T1): t1 L1 received 3 Mar, resolved 3 Mar, first response met in time (60 s),
 *     survey answered 80; t2 L1 received 5 Mar, first response breached 5 Mar (still open);
 *     t3 complaint L2 received 10 Mar, closed unresolved 12 Mar.
 *   B (team T2): b1 L2 received 16 Mar, resolved 17 Mar, first response in time (30 s);
 *     a campaign survey (no ticket) answered 100.
 * Workspace: received 4, complaints 1 (25 %); responses due 3, in time 2 (66.67 %);
 * concluded 3, resolved 2 (66.67 %); CSAT (80 + 100) / 2 = 90.
 * A's timeliness 1/2 = 50 % (below the 90 % floor: red); B's 1/1 (met: green).
 */
let t: TestContext;
let admin: TestClient;
let supervisorT2: TestClient;
let ids: { A: string; B: string; T1: string; T2: string; t1: string; t2: string };
const MONTH = '2026-03';
const base = `/api/v1/reports/month?month=${MONTH}`;

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2026-04-02T03:00:00Z');
  const T1 = (await t.buildTeam('一组')).id;
  const T2 = (await t.buildTeam('二组')).id;
  const A = await t.buildUser({ roles: ['agent'], teamIds: [T1], name: 'Agent A' });
  const B = await t.buildUser({ roles: ['agent'], teamIds: [T2], name: 'Agent B' });
  admin = await t.as('admin');
  const s2 = await t.buildUser({ roles: ['supervisor'], teamIds: [T2] });
  supervisorT2 = await t.signIn(s2.email);

  const fx = kpiFixtures(t.database.db);
  const d = (s: string) => `2026-${s}+08:00`;
  const t1 = await fx.ticket({
    owner: A.id,
    team: T1,
    receivedAt: d('03-03T10:00:00'),
    resolvedAt: d('03-03T11:00:00'),
  });
  await fx.clock(t1, 'first_response', {
    startedAt: d('03-03T10:00:00'),
    metAt: d('03-03T10:01:00'),
    ms: 60_000,
  });
  const t2 = await fx.ticket({ owner: A.id, team: T1, receivedAt: d('03-05T10:00:00') });
  await fx.clock(t2, 'first_response', {
    startedAt: d('03-05T10:00:00'),
    breachedAt: d('03-05T11:00:00'),
  });
  await fx.ticket({
    owner: A.id,
    team: T1,
    tier: 'L2',
    category: 'complaint',
    receivedAt: d('03-10T10:00:00'),
    closedAt: d('03-12T10:00:00'),
    closeKind: 'unresolved',
  });
  const b1 = await fx.ticket({
    owner: B.id,
    team: T2,
    tier: 'L2',
    receivedAt: d('03-16T10:00:00'),
    resolvedAt: d('03-17T10:00:00'),
  });
  await fx.clock(b1, 'first_response', {
    startedAt: d('03-16T10:00:00'),
    metAt: d('03-16T10:00:30'),
    ms: 30_000,
  });
  await fx.survey({
    agent: A.id,
    team: T1,
    month: MONTH,
    sentAt: d('03-04T10:00:00'),
    answeredAt: d('03-05T10:00:00'),
    score: 80,
    ticketId: t1,
  });
  await fx.survey({
    agent: B.id,
    team: T2,
    month: MONTH,
    sentAt: d('03-20T10:00:00'),
    answeredAt: d('03-21T10:00:00'),
    score: 100,
  });
  ids = { A: A.id, B: B.id, T1, T2, t1, t2 };
});

afterAll(() => t.close());

describe('month dashboard', () => {
  it('shows the hand-computed workspace numbers with a 12-month trend', async () => {
    const res = await admin.get(base);
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.subject.kind).toBe('total');
    expect(d.kpis.complaint_rate).toMatchObject({ value: 25, numerator: 1, denominator: 4 });
    expect(d.kpis.response_timeliness).toMatchObject({
      value: 66.67,
      numerator: 2,
      denominator: 3,
      status: 'below_floor',
    });
    expect(d.kpis.resolution_rate).toMatchObject({ numerator: 2, denominator: 3 });
    expect(d.kpis.csat.value).toBe(90);
    expect(d.trend).toHaveLength(12);
    expect(d.trend[0].month).toBe('2025-04');
    expect(d.trend[11].month).toBe(MONTH);
    const a = d.agents.find((x: { userId: string }) => x.userId === ids.A);
    const b = d.agents.find((x: { userId: string }) => x.userId === ids.B);
    expect(a.kpis.response_timeliness).toMatchObject({ value: 50, status: 'below_floor' });
    expect(b.kpis.response_timeliness).toMatchObject({ value: 100, status: 'met' });
  });

  it('equals the KPI engine (facts and assessment) for the workspace, agents and teams', async () => {
    const d = (await admin.get(base)).json().data;
    const db = t.database.db;
    const engine = await db.transaction((tx) =>
      computeResults(tx, MONTH, DEFAULT_TARGETS, 'Asia/Shanghai'),
    );
    const facts = await db.transaction((tx) => loadMonthFacts(tx, MONTH, 'Asia/Shanghai'));
    expect(d.kpis).toEqual(evaluateKpis(facts.total, DEFAULT_TARGETS, 'team'));
    for (const a of engine.agents)
      expect(d.agents.find((x: { userId: string }) => x.userId === a.userId).kpis).toEqual(a.kpis);
    for (const tm of engine.teams)
      expect(d.teams.find((x: { teamId: string }) => x.teamId === tm.teamId).kpis).toEqual(tm.kpis);
  });

  it('filters by tier, team and agent', async () => {
    const l1 = (await admin.get(`${base}&tier=L1`)).json().data;
    expect(l1.kpis.complaint_rate).toMatchObject({ numerator: 0, denominator: 2 });
    // Surveys follow their ticket: the campaign answer drops out under a scope.
    expect(l1.kpis.csat).toMatchObject({ value: 80, denominator: 1 });
    const team = (await admin.get(`${base}&teamId=${ids.T1}`)).json().data;
    expect(team.subject).toMatchObject({ kind: 'team', name: '一组' });
    expect(team.kpis.complaint_rate).toMatchObject({ numerator: 1, denominator: 3 });
    expect(team.teams).toHaveLength(1);
    expect(team.agents.map((a: { userId: string }) => a.userId)).toEqual([ids.A]);
    const agent = (await admin.get(`${base}&agentId=${ids.B}`)).json().data;
    expect(agent.subject.kind).toBe('agent');
    expect(agent.kpis.response_timeliness.value).toBe(100);
  });

  it('reads trend months beyond the assessed ones for the headline subject alone, exactly', async () => {
    // May's assessment reads May and April whole; March is a trend month read for the subject.
    const facts = await t.database.db.transaction((tx) =>
      loadMonthFacts(tx, MONTH, 'Asia/Shanghai'),
    );
    const cases: [string, Parameters<typeof evaluateKpis>[0], 'team' | 'agent'][] = [
      ['', facts.total, 'team'],
      [`&teamId=${ids.T1}`, facts.teams.get(ids.T1)!, 'team'],
      [`&agentId=${ids.A}`, facts.agents.get(ids.A)!, 'agent'],
      [`&agentId=${ids.B}`, facts.agents.get(ids.B)!, 'agent'],
    ];
    // Twice: the second time from this process's cache of filed months.
    for (const round of [1, 2])
      for (const [q, f, kind] of cases) {
        const d = (await admin.get(`/api/v1/reports/month?month=2026-05${q}`)).json().data;
        const march = d.trend.find((p: { month: string }) => p.month === MONTH);
        expect(march.kpis, `${q} round ${round}`).toEqual(evaluateKpis(f, DEFAULT_TARGETS, kind));
      }
    // And March's own dashboard still has every agent and team whole.
    const m = (await admin.get(base)).json().data;
    expect(
      m.agents.find((x: { userId: string }) => x.userId === ids.B).kpis.response_timeliness,
    ).toMatchObject({ value: 100 });
    expect(m.kpis.complaint_rate).toMatchObject({ numerator: 1, denominator: 4 });
  });

  it('applies the record rules: a supervisor sees their teams only', async () => {
    const d = (await supervisorT2.get(base)).json().data;
    expect(d.agents.map((a: { userId: string }) => a.userId)).toEqual([ids.B]);
    expect(d.teams.map((x: { teamId: string }) => x.teamId)).toEqual([ids.T2]);
    expect((await supervisorT2.get(`${base}&agentId=${ids.A}`)).statusCode).toBe(403);
    expect((await supervisorT2.get(`${base}&teamId=${ids.T1}`)).statusCode).toBe(403);
    const unknown = await admin.get(`${base}&teamId=00000000-0000-4000-8000-000000000000`);
    expect(unknown.statusCode).toBe(404);
    const agent = await t.as('agent');
    expect((await agent.get(base)).statusCode).toBe(403);
    expect((await admin.get('/api/v1/reports/month?month=2026-13')).statusCode).toBe(400);
  });
});

describe('drill-down', () => {
  const drill = (q: string) =>
    admin.get(`/api/v1/reports/month/tickets?month=${MONTH}&${q}`).then((r) => r.json().data);

  it('lists exactly the tickets behind a red cell', async () => {
    const den = await drill(`kpi=response_timeliness&part=denominator&subject=agent&id=${ids.A}`);
    expect(den.count).toBe(2);
    expect(den.tickets.map((x: { id: string }) => x.id).sort()).toEqual([ids.t1, ids.t2].sort());
    const num = await drill(`kpi=response_timeliness&part=numerator&subject=agent&id=${ids.A}`);
    expect(num.tickets.map((x: { id: string }) => x.id)).toEqual([ids.t1]);
  });

  it('counts what the engine counts, for every KPI, part and subject', async () => {
    const d = (await admin.get(base)).json().data;
    const subjects: [string, Record<KpiKey, { numerator: number; denominator: number }>][] = [
      ['subject=total', d.kpis],
      [
        `subject=agent&id=${ids.A}`,
        d.agents.find((x: { userId: string }) => x.userId === ids.A).kpis,
      ],
      [
        `subject=agent&id=${ids.B}`,
        d.agents.find((x: { userId: string }) => x.userId === ids.B).kpis,
      ],
      [
        `subject=team&id=${ids.T1}`,
        d.teams.find((x: { teamId: string }) => x.teamId === ids.T1).kpis,
      ],
    ];
    for (const [who, kpis] of subjects)
      // The connection rate counts calls, not tickets (no drill-down; the call log lists them).
      for (const k of KPI_KEYS.filter((key) => key !== 'phone_connection_rate')) {
        const den = await drill(`kpi=${k}&part=denominator&${who}`);
        expect(den.count, `${k} denominator ${who}`).toBe(kpis[k].denominator);
        // Sums (ms, CSAT points) are drilled to the items they average over.
        const num = await drill(`kpi=${k}&part=numerator&${who}`);
        const sum = ['csat', 'mean_first_response', 'mean_resolution'].includes(k);
        expect(num.count, `${k} numerator ${who}`).toBe(
          sum ? kpis[k].denominator : kpis[k].numerator,
        );
      }
  });

  it('refuses an agent or team without an id (422) and another team’s agent (403)', async () => {
    const r = await admin.get(
      `/api/v1/reports/month/tickets?month=${MONTH}&kpi=csat&subject=agent`,
    );
    expect(r.statusCode).toBe(422);
    const s = await supervisorT2.get(
      `/api/v1/reports/month/tickets?month=${MONTH}&kpi=csat&subject=agent&id=${ids.A}`,
    );
    expect(s.statusCode).toBe(403);
  });
});

describe('exports', () => {
  it('streams the agents table as Excel, read back, and audits it', async () => {
    const res = await admin.get(`/api/v1/reports/month/export?month=${MONTH}&table=agents`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toContain('客服');
    const names = [2, 3].map((i) => String(ws.getRow(i).getCell(1).value)).sort();
    expect(names).toEqual(['Agent A', 'Agent B']);
    const audit = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`SELECT action FROM audit_events WHERE action = 'reports.export'`,
      ),
    );
    expect(audit.length).toBeGreaterThan(0);
  });

  it('exports a drill-down ticket list as CSV', async () => {
    const res = await admin.get(
      `/api/v1/reports/month/export?month=${MONTH}&table=tickets&format=csv&kpi=complaint_rate&part=denominator`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('工单号');
    expect(lines).toHaveLength(5);
    // The same list as Excel (written by xlsx-stream.ts), read back: a bold header and 4 rows.
    const x = await admin.get(
      `/api/v1/reports/month/export?month=${MONTH}&table=tickets&format=xlsx&kpi=complaint_rate&part=denominator`,
    );
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(5);
    expect(String(ws.getRow(1).getCell(1).value)).toContain('工单号');
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(String(ws.getRow(2).getCell(3).value)).toBe(lines[1]!.split(',')[2]);
    const bad = await admin.get(`/api/v1/reports/month/export?month=${MONTH}&table=tickets`);
    expect(bad.statusCode).toBe(422);
    const agent = await t.as('agent');
    expect(
      (await agent.get(`/api/v1/reports/month/export?month=${MONTH}&table=teams`)).statusCode,
    ).toBe(403);
  });
});

describe('today board', () => {
  it('counts today in the workspace time zone: volume by hour, SLA at risk, green complaints', async () => {
    const fx = kpiFixtures(t.database.db);
    const id = await fx.ticket({
      owner: ids.A,
      team: ids.T1,
      category: 'complaint',
      receivedAt: '2026-04-02T09:30:00+08:00',
    });
    await t.database.db.execute(sql`UPDATE tickets SET green_channel = true,
      sla_warn_at = '2026-04-02T02:00:00Z', sla_due_at = '2026-04-02T04:00:00Z' WHERE id = ${id}`);
    const res = await admin.get('/api/v1/reports/today');
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.date).toBe('2026-04-02');
    expect(d.received).toBe(1);
    expect(d.volume).toEqual([{ channel: 'phone', hour: 9, count: 1 }]);
    expect(d.slaAtRisk).toBe(1);
    expect(d.slaBreached).toBe(0);
    expect(d.greenComplaintsOpen).toBe(1);
    expect(d.queues.all).toBeGreaterThan(0);
    const agent = await t.as('agent');
    expect((await agent.get('/api/v1/reports/today')).statusCode).toBe(403);
  });
});

describe('service ledger', () => {
  it('counts the month’s categories, complaint causes and time per status', async () => {
    await t.database.db.execute(
      sql`UPDATE tickets SET tags = '{billing,slow}' WHERE category = 'complaint'
        AND received_at < '2026-04-01T00:00:00+08:00'`,
    );
    await t.database.db
      .execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, visibility, data)
      VALUES (${ids.t2}::uuid, 'status', '2026-03-05T11:00:00+08:00', 'internal',
        '{"from":"new","to":"pending_customer"}'::jsonb)`);
    const res = await admin.get(`/api/v1/reports/ledger?month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.received).toBe(4);
    expect(d.categories).toEqual(
      expect.arrayContaining([
        { key: 'consultation', count: 3 },
        { key: 'complaint', count: 1 },
      ]),
    );
    expect(d.complaintCauses).toEqual([
      { tag: 'billing', count: 1 },
      { tag: 'slow', count: 1 },
    ]);
    // t2 waited one hour as new (10:00 → 11:00) before it went to the customer.
    const pending = d.funnel.find((f: { stage: string }) => f.stage === 'pending_customer');
    expect(pending.tickets).toBe(1);
    const fresh = d.funnel.find((f: { stage: string }) => f.stage === 'new');
    expect(fresh.tickets).toBe(4);
  });
});

describe('today drill-down', () => {
  /** 10 April 2026 in Shanghai; the board is read at 11:00 and again at 15:00 local. */
  const at = (hm: string) => `2026-04-10T${hm}:00+08:00`;
  let boss: TestClient;
  let created: { atRisk: string; oldest: string };

  beforeAll(async () => {
    const db = t.database.db;
    const fx = kpiFixtures(db);
    t.clock.set(at('11:00'));
    const ticket = async (
      received: string,
      set: { status?: string; channel?: string; warn?: string; due?: string; green?: boolean },
      o: { team?: string; category?: string; owner?: string } = {},
    ) => {
      const id = await fx.ticket({
        owner: o.owner ?? ids.A,
        team: o.team ?? ids.T1,
        category: o.category ?? 'consultation',
        receivedAt: received,
      });
      await db.execute(sql`UPDATE tickets SET status = ${set.status ?? 'in_progress'},
        channel = ${set.channel ?? 'phone'}, green_channel = ${set.green ?? false},
        sla_warn_at = ${set.warn ?? null}::timestamptz, sla_due_at = ${set.due ?? null}::timestamptz
        WHERE id = ${id}`);
      return id;
    };
    // Yesterday, still waiting: the oldest waiting of today's board (not received today).
    const oldest = await ticket(at('09:00').replace('10T', '09T'), { status: 'new' });
    await ticket(at('08:10'), { status: 'new', channel: 'email' });
    await ticket(at('08:40'), { status: 'reopened', channel: 'chat' }, { team: ids.T2 });
    const atRisk = await ticket(at('09:05'), {
      warn: at('10:30'),
      due: at('12:00'),
      channel: 'email',
    });
    await ticket(at('09:50'), { warn: at('09:55'), due: at('10:20') });
    await ticket(
      at('10:15'),
      { green: true, due: at('16:00'), warn: at('14:00') },
      { category: 'complaint', team: ids.T2, owner: ids.B },
    );
    // Received today, then merged away: counted nowhere.
    const target = await ticket(at('10:30'), {});
    await fx.ticket({
      owner: ids.A,
      team: ids.T1,
      receivedAt: at('10:31'),
      closedAt: at('10:40'),
      closeKind: 'merged',
      mergedInto: target,
    });
    // Today's answers: one about a ticket received today, one about a campaign (no ticket).
    await fx.survey({
      agent: ids.A,
      team: ids.T1,
      month: '2026-04',
      sentAt: at('09:00'),
      answeredAt: at('10:00'),
      score: 90,
      ticketId: atRisk,
    });
    await fx.survey({
      agent: ids.B,
      team: ids.T2,
      month: '2026-04',
      sentAt: at('09:00'),
      answeredAt: at('10:30'),
      score: 70,
    });
    // Signed in at the clock's new time (sessions expire by the clock).
    boss = await t.as('admin');
    created = { atRisk, oldest };
  });

  afterAll(() => t.clock.set('2026-04-02T03:00:00Z'));

  type Board = {
    volume: { channel: string; hour: number; count: number }[];
    received: number;
    queues: Record<string, number>;
    waiting: number;
    oldestWaitingAt: string | null;
    slaAtRisk: number;
    slaBreached: number;
    greenComplaintsOpen: number;
    csat: { answered: number };
  };
  const drillAs = async (who: TestClient, q: string) => {
    const res = await who.get(`/api/v1/reports/today/tickets?${q}`);
    expect(res.statusCode, q).toBe(200);
    return res.json().data as {
      count: number;
      withoutTicket: number;
      tickets: { id: string; receivedAt: string }[];
    };
  };

  /** Every figure of the board against its drill-down: the list holds exactly what is counted. */
  async function expectEveryFigureDrills(who: TestClient) {
    const board = (await who.get('/api/v1/reports/today')).json().data as Board;
    const figures: [string, number][] = [
      ['figure=received', board.received],
      ['figure=waiting', board.waiting],
      ['figure=slaAtRisk', board.slaAtRisk],
      ['figure=slaBreached', board.slaBreached],
      ['figure=greenComplaints', board.greenComplaintsOpen],
      ['figure=csat', board.csat.answered],
      ...board.volume.map((v): [string, number] => [
        `figure=received&channel=${v.channel}&hour=${v.hour}`,
        v.count,
      ]),
      ...Object.entries(board.queues).map(([queue, n]): [string, number] => [
        `figure=queue&queue=${queue}`,
        n,
      ]),
    ];
    for (const [q, n] of figures) {
      const d = await drillAs(who, q);
      expect(d.count, q).toBe(n);
      expect(d.tickets.length + d.withoutTicket, q).toBe(n);
      expect(new Set(d.tickets.map((x) => x.id)).size, q).toBe(d.tickets.length);
    }
    return board;
  }

  it('lists, for every number of the board, exactly the tickets it counts', async () => {
    const board = await expectEveryFigureDrills(boss);
    // By hand: 6 received today (not the merged one); 1 at risk; 2 breached (the 09:50 ticket
    // and the complaint of 2 April, above).
    expect(board.received).toBe(6);
    expect(board.volume).toEqual([
      { channel: 'chat', hour: 8, count: 1 },
      { channel: 'email', hour: 8, count: 1 },
      { channel: 'email', hour: 9, count: 1 },
      { channel: 'phone', hour: 9, count: 1 },
      { channel: 'phone', hour: 10, count: 2 },
    ]);
    expect(board.slaAtRisk).toBe(1);
    expect(board.slaBreached).toBe(2);
    expect(board.csat.answered).toBe(2);
    const waiting = await drillAs(boss, 'figure=waiting');
    // Oldest first: the first is the board's "oldest waiting".
    expect(waiting.tickets[0]!.id).toBe(created.oldest);
    expect(waiting.tickets[0]!.receivedAt).toBe(board.oldestWaitingAt);
    const risk = await drillAs(boss, 'figure=slaAtRisk');
    expect(risk.tickets.map((x) => x.id)).toEqual([created.atRisk]);
    const csat = await drillAs(boss, 'figure=csat');
    expect(csat).toMatchObject({ count: 2, withoutTicket: 1 });
    expect(csat.tickets.map((x) => x.id)).toEqual([created.atRisk]);
    const bar = await drillAs(boss, 'figure=received&channel=phone&hour=10');
    expect(bar.tickets).toHaveLength(2);
  });

  it('exports the tickets behind a number as CSV and Excel, exactly the list, and audits it', async () => {
    for (const q of [
      'figure=waiting',
      'figure=received',
      'figure=received&channel=phone&hour=10',
    ]) {
      const list = await drillAs(boss, q);
      const numbers = rowsOf<{ id: string; number: string }>(
        await t.database.db.execute(sql`SELECT id, number FROM tickets`),
      );
      const numberOf = new Map(numbers.map((r) => [r.id, r.number]));
      const csv = await boss.get(`/api/v1/reports/today/export?${q}&format=csv`);
      expect(csv.statusCode, q).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toMatch(/kefu-today-.*\.csv/);
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      expect(lines[0]).toContain('工单号');
      // The same tickets in the same order (waiting: oldest first).
      expect(
        lines.slice(1).map((l) => l.split(',')[0]),
        q,
      ).toEqual(list.tickets.map((x) => numberOf.get(x.id)));
    }
    // Keyset batches of 2 list the same tickets as one page (no row skipped or repeated).
    const actor = {
      userId: ids.A,
      name: 'admin',
      email: 'admin@example.test',
      roles: ['admin'],
      teamIds: [],
      via: 'session',
      principalKey: 'test',
    } as const;
    const seen: string[] = [];
    for await (const batch of await todayTicketBatches(
      t.database.db,
      { ...actor, roles: [...actor.roles], teamIds: [] },
      t.clock.now(),
      { figure: 'received' },
      2,
    ))
      seen.push(...batch.map((x) => x.id));
    expect(seen).toEqual((await drillAs(boss, 'figure=received')).tickets.map((x) => x.id));
    const x = await boss.get('/api/v1/reports/today/export?figure=slaAtRisk');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
    const audit = rowsOf<{ diff: string }>(
      await t.database.db.execute(
        sql`SELECT diff::text AS diff FROM audit_events WHERE action = 'reports.export'
          ORDER BY id DESC LIMIT 1`,
      ),
    );
    expect(audit[0]?.diff).toContain('today-tickets');
    expect(audit[0]?.diff).toContain('slaAtRisk');
    expect((await boss.get('/api/v1/reports/today/export?figure=queue')).statusCode).toBe(422);
    const agent = await t.as('agent');
    expect((await agent.get('/api/v1/reports/today/export?figure=waiting')).statusCode).toBe(403);
  });

  it('follows the clock: at 15:00 the ticket at risk has breached and the complaint is at risk', async () => {
    t.clock.set(at('15:00'));
    boss = await t.as('admin');
    const board = await expectEveryFigureDrills(boss);
    expect(board.slaAtRisk).toBe(1);
    expect(board.slaBreached).toBe(3);
    const breached = await drillAs(boss, 'figure=slaBreached');
    expect(breached.tickets.map((x) => x.id)).toContain(created.atRisk);
  });

  it('agrees for a supervisor (queues are theirs), refuses agents and bad filters', async () => {
    const s1 = await t.buildUser({ roles: ['supervisor'], teamIds: [ids.T1] });
    await expectEveryFigureDrills(await t.signIn(s1.email));
    const agent = await t.as('agent');
    expect((await agent.get('/api/v1/reports/today/tickets?figure=waiting')).statusCode).toBe(403);
    const bad = (q: string) => boss.get(`/api/v1/reports/today/tickets?${q}`);
    expect((await bad('figure=queue')).statusCode).toBe(422);
    expect((await bad('figure=waiting&queue=mine')).statusCode).toBe(422);
    expect((await bad('figure=waiting&hour=3')).statusCode).toBe(422);
    expect((await bad('figure=received&hour=24')).statusCode).toBe(400);
    expect((await bad('figure=nope')).statusCode).toBe(400);
  });
});
