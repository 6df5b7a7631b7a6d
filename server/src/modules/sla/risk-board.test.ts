import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { meetClock, pauseClocks } from './clocks.js';
import { seedSlaDefaults } from './seed.js';
import { sweepDueClocks } from './sweep.js';
import { insertBareTickets, insertRunningClocks } from './test/fixtures.js';

let t: TestContext;
let db: Db;
let supervisor: TestClient;
let admin: TestClient;
let teamA: { id: string; name: string };
let teamB: { id: string; name: string };
let ownerId: string;
let ownerName: string;
let handlerId: string;
const ids: Record<string, string> = {};

const MIN = 60_000;
/** The harness's clock: Monday 2 March 2026, 10:00 in Shanghai. */
const NOW = new Date('2026-03-02T02:00:00Z');
const rel = (minutes: number) => new Date(NOW.getTime() + minutes * MIN);

/** One bare ticket (numbered `prefix-000001`) with one running clock per given timing. */
async function ticketWith(
  prefix: string,
  teamId: string | null,
  clocks: { kind?: string; warnAt: number; dueAt: number }[],
  handler: string | null = null,
) {
  const [id] = await insertBareTickets(db, 1, {
    ownerId,
    teamId,
    handlerId: handler,
    receivedAt: rel(-600),
    prefix,
  });
  for (const c of clocks) {
    await insertRunningClocks(db, {
      ticketIds: [id!],
      kind: c.kind ?? 'resolution',
      startedAt: rel(-600),
      warnAt: rel(c.warnAt),
      dueAt: rel(c.dueAt),
    });
  }
  ids[prefix] = id!;
  return id!;
}

beforeAll(async () => {
  t = await createTestContext();
  db = t.database.db;
  await seedSlaDefaults(db, t.clock.now());
  teamA = await t.buildTeam('技术支持');
  teamB = await t.buildTeam('投诉处理');
  const owner = await t.buildUser({ roles: ['agent'], name: '首问客服' });
  ownerId = owner.id;
  ownerName = owner.name;
  handlerId = (await t.buildUser({ roles: ['specialist'], name: '技术专员' })).id;
  supervisor = await t.as('supervisor');
  admin = await t.as('admin');

  // Breached long ago and already swept (state 'breached').
  await ticketWith('B-SWEPT', teamB.id, [{ warnAt: -180, dueAt: -120 }]);
  await sweepDueClocks(db, NOW);
  // Team A: due in 30 min; past its warning time; due in 3 h (at risk only with a wider window);
  // overdue by 10 min but not swept yet, with two clocks (one ticket, two rows).
  await ticketWith('A-SOON', teamA.id, [{ warnAt: 10, dueAt: 30 }], handlerId);
  await ticketWith('A-WARN', teamA.id, [{ warnAt: -5, dueAt: 180 }]);
  await ticketWith('A-LATER', teamA.id, [{ warnAt: 120, dueAt: 180 }]);
  await ticketWith('A-LATE', teamA.id, [
    { kind: 'first_response', warnAt: -30, dueAt: -10 },
    { kind: 'resolution', warnAt: -20, dueAt: -5 },
  ]);
  // Team B: paused (waiting on the customer) — not at risk whatever its due time.
  const paused = await ticketWith('B-PAUSED', teamB.id, [{ warnAt: -5, dueAt: 10 }]);
  await db.transaction((tx) => pauseClocks(tx, paused, NOW));
  // No team: due in 20 min; and a clock met late (history, not on the board).
  await ticketWith('N-SOON', null, [{ warnAt: 0, dueAt: 20 }]);
  const met = await ticketWith('N-MET', null, [{ warnAt: -90, dueAt: -60 }]);
  await db.transaction((tx) => meetClock(tx, met, 'resolution', NOW));
});
afterAll(() => t.close());

interface Item {
  kind: string;
  state: string;
  dueAt: string;
  ticket: { id: string; number: string; subject: string };
  owner: { id: string; name: string };
  handler: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
}

const numbers = (items: Item[]) => items.map((i) => i.ticket.number.replace(/-\d+$/, ''));

describe('GET /sla/risk-board', () => {
  it('counts tickets per team and lists clocks about to breach and breached, by due time', async () => {
    const res = await supervisor.get('/api/v1/sla/risk-board');
    expect(res.statusCode).toBe(200);
    const board = res.json().data;
    expect(board).toMatchObject({
      generatedAt: NOW.toISOString(),
      withinMinutes: 60,
      totals: { atRisk: 3, breached: 2 },
      truncated: { atRisk: false, breached: false },
    });
    // Soonest first: no-team 20 min, team A 30 min, team A past warning (due 3 h).
    expect(numbers(board.atRisk)).toEqual(['N-SOON', 'A-SOON', 'A-WARN']);
    // Longest overdue first; A-LATE has two breached clocks (one ticket on the counts).
    expect(numbers(board.breached)).toEqual(['B-SWEPT', 'A-LATE', 'A-LATE']);
    expect(board.breached.map((i: Item) => i.kind)).toEqual([
      'resolution',
      'first_response',
      'resolution',
    ]);
    expect(board.breached.every((i: Item) => i.state === 'breached')).toBe(true);

    const soon = board.atRisk.find((i: Item) => i.ticket.id === ids['A-SOON']);
    expect(soon).toMatchObject({
      kind: 'resolution',
      state: 'running',
      dueAt: rel(30).toISOString(),
      ticket: { subject: 'SLA test' },
      owner: { id: ownerId, name: ownerName },
      handler: { id: handlerId, name: '技术专员' },
      team: { id: teamA.id, name: '技术支持' },
    });

    const byTeam = Object.fromEntries(
      board.teams.map((r: { team: { name: string } | null; atRisk: number; breached: number }) => [
        r.team?.name ?? '-',
        [r.atRisk, r.breached],
      ]),
    );
    expect(byTeam).toEqual({ 技术支持: [2, 1], 投诉处理: [0, 1], '-': [1, 0] });
  });

  it('widens the window with withinMinutes and narrows to one team with teamId', async () => {
    const wide = (await admin.get('/api/v1/sla/risk-board?withinMinutes=240')).json().data;
    expect(numbers(wide.atRisk)).toEqual(['N-SOON', 'A-SOON', 'A-LATER', 'A-WARN']);

    const res = await supervisor.get(`/api/v1/sla/risk-board?teamId=${teamA.id}`);
    expect(res.statusCode).toBe(200);
    const board = res.json().data;
    expect(board.totals).toEqual({ atRisk: 2, breached: 1 });
    expect(board.teams).toEqual([
      { team: { id: teamA.id, name: teamA.name }, atRisk: 2, breached: 1 },
    ]);
    expect(numbers(board.atRisk)).toEqual(['A-SOON', 'A-WARN']);
    expect(numbers(board.breached)).toEqual(['A-LATE', 'A-LATE']);
  });

  it('cuts each list at limit and says so', async () => {
    const board = (await supervisor.get('/api/v1/sla/risk-board?limit=1')).json().data;
    expect(board.atRisk).toHaveLength(1);
    expect(board.breached).toHaveLength(1);
    expect(board.truncated).toEqual({ atRisk: true, breached: true });
    expect(board.totals).toEqual({ atRisk: 3, breached: 2 });
  });

  it('follows the injected clock: later, the soon-due clocks are breached', async () => {
    t.clock.set(rel(45));
    try {
      const board = (await supervisor.get('/api/v1/sla/risk-board')).json().data;
      expect(numbers(board.breached)).toEqual(['B-SWEPT', 'A-LATE', 'A-LATE', 'N-SOON', 'A-SOON']);
      expect(numbers(board.atRisk)).toEqual(['A-WARN']);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('refuses bad parameters and names an unknown team', async () => {
    for (const q of ['withinMinutes=0', 'withinMinutes=abc', 'limit=501', 'teamId=nope']) {
      const res = await supervisor.get(`/api/v1/sla/risk-board?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const res = await supervisor.get(
      '/api/v1/sla/risk-board?teamId=00000000-0000-4000-8000-000000000000',
    );
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'not_found',
      errors: [{ path: 'teamId', code: 'not_found' }],
    });
  });

  it('is for supervisors and administrators only', async () => {
    for (const role of ['agent', 'specialist', 'qa_inspector', 'knowledge_editor'] as const) {
      const res = await (await t.as(role)).get('/api/v1/sla/risk-board');
      expect(res.statusCode, role).toBe(403);
    }
    expect((await t.anonymous.get('/api/v1/sla/risk-board')).statusCode).toBe(401);
    expect((await admin.get('/api/v1/sla/risk-board')).statusCode).toBe(200);
  });
});
