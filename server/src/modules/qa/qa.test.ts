import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { startQaSampling } from '../../jobs/qa-sampling.js';
import {
  createTestContext,
  sqlStateOf as code,
  type TestClient,
  type TestContext,
} from '../../test/harness.js';
import { kpiFixtures } from '../kpi/test/fixtures.js';
import { drawSample } from './rules/sampling.js';

/**
 * The week of Monday 2 March 2026 (Asia/Shanghai): agent A handled 30 tickets (phone and
 * e-mail), agent B 5 (one answered with a forbidden phrase), agent C none. Two inspectors.
 * 10 %: A → 3 items, B → round(0.5) = 1 item (and at least one anyway), C → nothing to sample.
 */
let t: TestContext;
let admin: TestClient;
let supervisor: TestClient;
let q1: TestClient & { user: { id: string } };
let q2: TestClient & { user: { id: string } };
let agentA: TestClient & { user: { id: string } };
let agentB: TestClient & { user: { id: string } };
let outsider: TestClient & { user: { id: string } };
const ticketsA: string[] = [];
const ticketsB: string[] = [];
let complaintId: string;
let breachedId: string;
let plainId: string;

const WEEK = '2026-03-02';

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2026-03-10T02:00:00Z');
  const team = (await t.buildTeam('一组')).id;
  admin = await t.as('admin');
  const sup = await t.buildUser({ roles: ['supervisor'], teamIds: [team], name: '王主管' });
  supervisor = await t.signIn(sup.email);
  const a = await t.buildUser({ roles: ['agent'], teamIds: [team], name: 'Agent A' });
  agentA = Object.assign(await t.signIn(a.email), { user: a });
  const b = await t.buildUser({ roles: ['agent'], teamIds: [team], name: 'Agent B' });
  agentB = Object.assign(await t.signIn(b.email), { user: b });
  await t.buildUser({ roles: ['agent'], teamIds: [team], name: 'Agent C' });
  const o = await t.buildUser({ roles: ['agent'], name: 'Outsider' });
  outsider = Object.assign(await t.signIn(o.email), { user: o });
  q1 = await t.as('qa_inspector');
  q2 = await t.as('qa_inspector');

  const fx = kpiFixtures(t.database.db);
  for (let i = 0; i < 30; i++)
    ticketsA.push(
      await fx.ticket({
        owner: a.id,
        team,
        receivedAt: `2026-03-0${2 + (i % 6)}T0${i % 9}:00:00Z`,
      }),
    );
  for (let i = 0; i < 5; i++)
    ticketsB.push(await fx.ticket({ owner: b.id, team, receivedAt: `2026-03-03T0${i}:30:00Z` }));
  await t.database.db.execute(
    sql`UPDATE tickets SET channel = 'email' WHERE id = ANY (${`{${ticketsA.slice(0, 12).join(',')}}`}::uuid[])`,
  );
  for (const id of ticketsB)
    await t.database.db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, actor_id,
        actor_name, visibility, body)
      VALUES (${id}::uuid, 'reply', '2026-03-03T06:00:00Z', ${b.id}::uuid, 'Agent B', 'public',
        '您好，这个问题我不知道。请您自己再看看')`);
  // Tickets of another week, for manual additions.
  complaintId = await fx.ticket({
    owner: a.id,
    team,
    category: 'complaint',
    receivedAt: '2026-02-20T02:00:00Z',
  });
  breachedId = await fx.ticket({ owner: b.id, team, receivedAt: '2026-02-20T03:00:00Z' });
  await fx.clock(breachedId, 'first_response', {
    startedAt: '2026-02-20T03:00:00Z',
    breachedAt: '2026-02-20T04:00:00Z',
  });
  plainId = await fx.ticket({ owner: b.id, team, receivedAt: '2026-02-20T05:00:00Z' });
});

afterAll(async () => {
  await t?.close();
});

describe('weekly sampling', () => {
  let run: { id: string; seed: string; sampled: number; candidates: number };

  it('is refused to agents; draws 10 % per agent, at least one each, with a stored seed', async () => {
    expect((await agentA.post('/api/v1/qa/samples', { week: WEEK })).statusCode).toBe(403);
    const res = await q1.post('/api/v1/qa/samples', { week: WEEK });
    expect(res.statusCode).toBe(201);
    run = res.json().data;
    expect(run).toMatchObject({ candidates: 35, sampled: 4, percent: 10, minPerAgent: 1 });
    expect(run.seed.length).toBeGreaterThan(5);
  });

  it('never draws a week twice; refuses a non-Monday and a future week', async () => {
    expect((await q1.post('/api/v1/qa/samples', { week: WEEK })).statusCode).toBe(409);
    expect((await q1.post('/api/v1/qa/samples', { week: '2026-03-03' })).statusCode).toBe(400);
    expect((await q1.post('/api/v1/qa/samples', { week: '2026-03-16' })).statusCode).toBe(422);
  });

  it('is reproducible: the pure draw with the stored seed gives the same items', async () => {
    const items = rowsOf<{ ticket_id: string; inspector_id: string; agent_id: string }>(
      await t.database.db.execute(
        sql`SELECT ticket_id, inspector_id, agent_id FROM qa_items WHERE run_id = ${run.id}::uuid`,
      ),
    );
    const candidates = rowsOf<{ id: string; owner_id: string; channel: string; category: string }>(
      await t.database.db.execute(sql`SELECT id, owner_id, channel, category FROM tickets
        WHERE received_at >= '2026-03-01T16:00:00Z' AND received_at < '2026-03-08T16:00:00Z'`),
    ).map((r) => ({
      ticketId: r.id,
      agentId: r.owner_id,
      channel: r.channel,
      category: r.category,
    }));
    const again = drawSample(candidates, {
      seed: run.seed,
      percent: 10,
      minPerAgent: 1,
      inspectors: [q1.user.id, q2.user.id],
    });
    const [{ order_key }] = rowsOf<{ order_key: string }>(
      await t.database.db.execute(
        sql`SELECT order_key FROM qa_sample_runs WHERE id = ${run.id}::uuid`,
      ),
    ) as [{ order_key: string }];
    expect(order_key).toBe('hash64');
    // The database draw is the pure draw: same tickets, same inspectors.
    expect(Object.fromEntries(items.map((i) => [i.ticket_id, i.inspector_id]))).toEqual(
      Object.fromEntries(again.map((i) => [i.ticketId, i.inspectorId])),
    );
    expect(items.filter((i) => i.agent_id === agentA.user.id)).toHaveLength(3);
    expect(items.filter((i) => i.agent_id === agentB.user.id)).toHaveLength(1);
    // Stratified: A's 12 e-mail and 18 phone tickets give 1 and 2 items (1.2 / 1.8).
    const aItems = items.filter((i) => i.agent_id === agentA.user.id).map((i) => i.ticket_id);
    const emails = aItems.filter((id) => ticketsA.slice(0, 12).includes(id)).length;
    expect([1, 2]).toContain(emails);
    // Round-robin over both inspectors.
    expect(new Set(items.map((i) => i.inspector_id))).toEqual(new Set([q1.user.id, q2.user.id]));
  });

  it('keeps its references to users, runs and tickets, checked once per statement (0037, 0041)', async () => {
    const db = t.database.db;
    const missing = '00000000-0000-4000-8000-00000000dead';
    const insert = (agent: string, runId: string | null) =>
      db.execute(sql`INSERT INTO qa_items (run_id, ticket_id, agent_id, channel, category, reason,
          week_start, created_at)
        VALUES (${runId}::uuid, ${plainId}::uuid, ${agent}::uuid, 'phone', 'consultation',
          'random', '2026-02-16', now())`);
    expect(await code(insert(missing, null))).toBe('23503');
    expect(
      await code(
        db.execute(sql`INSERT INTO qa_items (ticket_id, agent_id, channel, category, reason,
            week_start, created_at)
          VALUES (${missing}::uuid, ${agentB.user.id}::uuid, 'phone', 'consultation', 'random',
            '2026-02-16', now())`),
      ),
    ).toBe('23503');
    const [sampledTicket] = rowsOf<{ ticket_id: string }>(
      await db.execute(sql`SELECT ticket_id FROM qa_items WHERE run_id = ${run.id}::uuid LIMIT 1`),
    );
    expect(
      await code(db.execute(sql`DELETE FROM tickets WHERE id = ${sampledTicket!.ticket_id}::uuid`)),
    ).toBe('23503');
    expect(
      await code(
        db.execute(sql`UPDATE tickets SET id = gen_random_uuid()
          WHERE id = ${sampledTicket!.ticket_id}::uuid`),
      ),
    ).toBe('23503');
    expect(await code(insert(agentB.user.id, missing))).toBe('23503');
    expect(await code(db.execute(sql`DELETE FROM users WHERE id = ${agentA.user.id}::uuid`))).toBe(
      '23503',
    );
    expect(await code(db.execute(sql`DELETE FROM qa_sample_runs WHERE id = ${run.id}::uuid`))).toBe(
      '23503',
    );
    expect(
      await code(
        db.execute(
          sql`UPDATE qa_items SET inspector_id = ${missing}::uuid WHERE run_id = ${run.id}::uuid`,
        ),
      ),
    ).toBe('23503');
  });
});

describe('inspection', () => {
  let bItem: { id: string; inspector: { id: string } };
  let inspector: TestClient;
  let other: TestClient;
  let evaluationId: string;

  it('an inspector’s queue holds only their items; another inspector’s item is not found', async () => {
    const all = (await admin.get('/api/v1/qa/items')).json().data;
    expect(all).toHaveLength(4);
    bItem = all.find((i: { agent: { id: string } }) => i.agent.id === agentB.user.id);
    inspector = bItem.inspector.id === q1.user.id ? q1 : q2;
    other = inspector === q1 ? q2 : q1;
    const mine = (await inspector.get('/api/v1/qa/items')).json().data;
    expect(
      mine.every((i: { inspector: { id: string } }) => i.inspector.id === bItem.inspector.id),
    ).toBe(true);
    expect((await other.get(`/api/v1/qa/items/${bItem.id}`)).statusCode).toBe(404);
    expect((await agentB.get('/api/v1/qa/items')).statusCode).toBe(403);
  });

  it('shows the timeline and the automatic checks, without customer details', async () => {
    const res = await inspector.get(`/api/v1/qa/items/${bItem.id}`);
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.timeline.some((e: { kind: string }) => e.kind === 'reply')).toBe(true);
    expect(res.body).not.toContain('KPI 客户');
    expect(d.scorecard.version).toBe(1);
    // No live script in this workspace: only the courtesy check (no polite closing).
    expect(d.checks.map((c: { kind: string }) => c.kind)).toContain('missing_closing');
  });

  it('saves a draft to come back to, then submits; the total is on 100', async () => {
    const draft = await inspector.request('PUT', `/api/v1/qa/items/${bItem.id}/evaluation`, {
      scores: { attitude: 3 },
      comments: { attitude: '语气生硬' },
    });
    expect(draft.statusCode).toBe(200);
    expect(draft.json().data).toMatchObject({ status: 'draft', total: null });
    const back = (await inspector.get(`/api/v1/qa/items/${bItem.id}`)).json().data;
    expect(back.evaluations[0].scores).toEqual({ attitude: 3 });
    const incomplete = await inspector.request('PUT', `/api/v1/qa/items/${bItem.id}/evaluation`, {
      scores: { attitude: 3 },
      submit: true,
    });
    expect(incomplete.statusCode).toBe(422);
    const out = await inspector.request('PUT', `/api/v1/qa/items/${bItem.id}/evaluation`, {
      scores: {
        attitude: 3,
        timeliness: 5,
        resolution: 4,
        accuracy: 5,
        script: 0,
        no_violation: 1,
      },
      comments: { attitude: '语气生硬', script: '使用禁用语' },
      submit: true,
    });
    expect(out.statusCode).toBe(200);
    const e = out.json().data;
    expect(e).toMatchObject({
      status: 'submitted',
      total: 75,
      scorecardVersion: 1,
      failedCriteria: ['script'],
    });
    evaluationId = e.id;
    // Submitted: it no longer changes.
    const again = await inspector.request('PUT', `/api/v1/qa/items/${bItem.id}/evaluation`, {
      scores: { attitude: 5 },
    });
    expect(again.statusCode).toBe(409);
  });

  it('a new scorecard version leaves the evaluation pinned to its version', async () => {
    const current = (await admin.get('/api/v1/qa/scorecards/current')).json().data;
    expect(
      (
        await supervisor.request('PUT', '/api/v1/qa/scorecards', {
          criteria: current.criteria,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const res = await admin.request('PUT', '/api/v1/qa/scorecards', {
      criteria: current.criteria.map((c: { weight: number }) => ({
        ...c,
        weight: c.weight === 0 ? 0 : 10,
      })),
      reason: '等权',
      baseVersion: 1,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.version).toBe(2);
    const d = (await admin.get(`/api/v1/qa/items/${bItem.id}`)).json().data;
    expect(d.evaluations[0].scorecardVersion).toBe(1);
  });

  it('the agent sees the result and appeals; a supervisor upholds it; both are kept', async () => {
    const results = (await agentB.get('/api/v1/qa/results')).json().data;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ canAppeal: true, finalTotal: 75 });
    expect((await agentA.get('/api/v1/qa/results')).json().data).toHaveLength(0);
    expect(
      (await agentA.post(`/api/v1/qa/evaluations/${evaluationId}/appeal`, { reason: 'x' }))
        .statusCode,
    ).toBe(404);
    const appeal = await agentB.post(`/api/v1/qa/evaluations/${evaluationId}/appeal`, {
      reason: '客户要求我如实说明',
    });
    expect(appeal.statusCode).toBe(201);
    expect(
      (await agentB.post(`/api/v1/qa/evaluations/${evaluationId}/appeal`, { reason: 'y' }))
        .statusCode,
    ).toBe(409);
    const id = appeal.json().data.id;
    const list = (await supervisor.get('/api/v1/qa/appeals')).json().data;
    expect(list.map((a: { id: string }) => a.id)).toContain(id);
    expect(
      (
        await supervisor.post(`/api/v1/qa/appeals/${id}/decision`, {
          decision: 'upheld',
          note: 'ok',
        })
      ).statusCode,
    ).toBe(422);
    const decided = await supervisor.post(`/api/v1/qa/appeals/${id}/decision`, {
      decision: 'upheld',
      revisedTotal: 90,
      note: '话术情有可原',
    });
    expect(decided.statusCode).toBe(200);
    expect(
      (
        await supervisor.post(`/api/v1/qa/appeals/${id}/decision`, {
          decision: 'rejected',
          note: 'n',
        })
      ).statusCode,
    ).toBe(409);
    const after = (await agentB.get('/api/v1/qa/results')).json().data[0];
    expect(after.evaluation.total).toBe(75);
    expect(after.finalTotal).toBe(90);
    expect(after.appeal).toMatchObject({
      status: 'upheld',
      revisedTotal: 90,
      decisionNote: '话术情有可原',
    });
  });

  it('an appeal after the deadline is refused', async () => {
    const aItem = (await admin.get('/api/v1/qa/items'))
      .json()
      .data.find(
        (i: { agent: { id: string }; status: string }) =>
          i.agent.id === agentA.user.id && i.status === 'open',
      );
    const who = aItem.inspector.id === q1.user.id ? q1 : q2;
    const e = (
      await who.request('PUT', `/api/v1/qa/items/${aItem.id}/evaluation`, {
        scores: {
          attitude: 5,
          timeliness: 5,
          resolution: 5,
          accuracy: 5,
          script: 5,
          no_violation: 1,
        },
        submit: true,
      })
    ).json().data;
    expect(e.total).toBe(100);
    expect(Date.parse(e.appealDeadline)).toBeGreaterThan(t.clock.now().getTime() + 2 * 86_400_000);
    // The window closed (moving the clock days on would end the test sessions too).
    await t.database.db.execute(
      sql`UPDATE qa_evaluations SET appeal_deadline = '2026-03-10T01:00:00Z' WHERE id = ${e.id}::uuid`,
    );
    const late = await agentA.post(`/api/v1/qa/evaluations/${e.id}/appeal`, { reason: '太晚了' });
    expect(late.statusCode).toBe(422);
    expect(late.json().code).toBe('appeal_window_closed');
  });

  it('the weekly report: per agent and team; an agent sees their own row only', async () => {
    const r = (await supervisor.get(`/api/v1/qa/report?week=${WEEK}`)).json().data;
    const b = r.agents.find((a: { userId: string }) => a.userId === agentB.user.id);
    expect(b).toMatchObject({ count: 1, average: 90, mostFailed: [{ key: 'script', count: 1 }] });
    expect(r.teams[0]).toMatchObject({ count: 2, average: 95 });
    const own = (await agentB.get(`/api/v1/qa/report?week=${WEEK}`)).json().data;
    expect(own.agents.map((a: { userId: string }) => a.userId)).toEqual([agentB.user.id]);
    const outside = (await outsider.get(`/api/v1/qa/report?week=${WEEK}`)).json().data;
    expect(outside.agents).toEqual([]);
    expect(outside.teams).toEqual([]);
    const scores = (await admin.get('/api/v1/qa/scores?month=2026-03')).json().data;
    expect(scores).toEqual(
      expect.arrayContaining([{ userId: agentB.user.id, count: 1, average: 90 }]),
    );
  });

  it('shows the QA average in the monthly assessment, without changing its outcome', async () => {
    const run = await admin.post('/api/v1/kpi/snapshots', { month: '2026-03' });
    expect(run.statusCode).toBeLessThan(300);
    const snap = (await admin.get('/api/v1/kpi/snapshots?month=2026-03')).json().data[0];
    const row = (id: string) =>
      snap.results.agents.find((a: { userId: string }) => a.userId === id);
    expect(row(agentB.user.id).qa).toEqual({ count: 1, average: 90 });
    // The same figures as /qa/scores, for every agent (null: nothing scored).
    const scores = (await admin.get('/api/v1/qa/scores?month=2026-03')).json().data;
    for (const a of snap.results.agents as { userId: string; qa: unknown }[]) {
      const s = scores.find((x: { userId: string }) => x.userId === a.userId);
      expect(a.qa).toEqual(s ? { count: s.count, average: s.average } : null);
    }
    expect(row(agentB.user.id).outcome).toHaveProperty('serviceStar');
  });
});

describe('replies against a cited article', () => {
  it('flags a figure the article’s current version no longer states, with the evidence', async () => {
    const db = t.database.db;
    const author = agentB.user.id;
    const [cat] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO kb_categories (name, created_at, updated_at)
        VALUES ('售后', now(), now()) RETURNING id`),
    );
    const [art] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO kb_articles (type, category_id, language, translation_group,
          title, created_by, created_at, updated_at)
        VALUES ('policy', ${cat!.id}::uuid, 'zh-CN', gen_random_uuid(), '退换货规定',
          ${author}::uuid, now(), now())
        RETURNING id`),
    );
    const version = async (n: number, body: string, status: string) =>
      rowsOf<{ id: string }>(
        await db.execute(sql`INSERT INTO kb_versions (article_id, number, status, title, body,
            audience, author_id, created_at, updated_at)
          VALUES (${art!.id}::uuid, ${n}, ${status}, '退换货规定', ${body}, 'internal',
            ${author}::uuid, now(), now()) RETURNING id`),
      )[0]!.id;
    const v1 = await version(1, '签收后7天内可无理由退货。', 'superseded');
    const v2 = await version(2, '签收后15天内可无理由退货。', 'published');
    await db.execute(sql`UPDATE kb_articles SET live_version_id = ${v2}::uuid
      WHERE id = ${art!.id}::uuid`);
    await db.execute(sql`INSERT INTO ticket_article_citations (ticket_id, article_id, version_id,
        version_number, mode, cited_by, at)
      VALUES (${plainId}::uuid, ${art!.id}::uuid, ${v1}::uuid, 1, 'excerpt', ${author}::uuid,
        '2026-02-20T06:00:00Z')`);
    await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, actor_id, actor_name,
        visibility, body)
      VALUES (${plainId}::uuid, 'reply', '2026-02-20T06:01:00Z', ${author}::uuid, 'Agent B',
        'public', '您好，签收后7天内可以退货。')`);
    const res = await q1.get(`/api/v1/qa/tickets/${plainId}/checks`);
    expect(res.statusCode).toBe(200);
    const found = res
      .json()
      .data.filter((f: { kind: string }) => f.kind === 'citation_contradiction');
    expect(found).toEqual([
      expect.objectContaining({
        reason: 'changed',
        title: '退换货规定',
        citedVersion: 1,
        currentVersion: 2,
        figure: '7天',
        currentFigures: ['15天'],
        currentSentence: '签收后15天内可无理由退货。',
      }),
    ]);
  });
});

describe('manual additions and training needs', () => {
  it('adds complaint and breached tickets, checked; never twice', async () => {
    const c = await supervisor.post('/api/v1/qa/items', {
      ticketId: complaintId,
      reason: 'complaint',
    });
    expect(c.statusCode).toBe(201);
    expect(c.json().data).toMatchObject({ reason: 'complaint', weekStart: '2026-02-16' });
    expect(c.json().data.inspector).not.toBeNull();
    expect(
      (await supervisor.post('/api/v1/qa/items', { ticketId: complaintId, reason: 'complaint' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await supervisor.post('/api/v1/qa/items', { ticketId: plainId, reason: 'complaint' }))
        .statusCode,
    ).toBe(422);
    expect(
      (await supervisor.post('/api/v1/qa/items', { ticketId: plainId, reason: 'low_csat' }))
        .statusCode,
    ).toBe(422);
    const b = await q1.post('/api/v1/qa/items', { ticketId: breachedId, reason: 'breached' });
    expect(b.statusCode).toBe(201);
    const checks = (await q1.get(`/api/v1/qa/tickets/${breachedId}/checks`)).json().data;
    expect(checks).toEqual([
      expect.objectContaining({ kind: 'sla_missed', target: 'first_response' }),
    ]);
  });

  it('repeated failures of a criterion open a training need', async () => {
    expect(
      (await supervisor.patch('/api/v1/qa/settings', { trainingFailures: 2 })).statusCode,
    ).toBe(403);
    expect(
      (await admin.patch('/api/v1/qa/settings', { trainingFailures: 2 })).json().data
        .trainingFailures,
    ).toBe(2);
    const item = (await admin.get('/api/v1/qa/items?status=open'))
      .json()
      .data.find((i: { ticketId: string }) => i.ticketId === breachedId);
    const who = item.inspector.id === q1.user.id ? q1 : q2;
    const res = await who.request('PUT', `/api/v1/qa/items/${item.id}/evaluation`, {
      scores: {
        attitude: 5,
        timeliness: 1,
        resolution: 5,
        accuracy: 5,
        script: 1,
        no_violation: 1,
      },
      submit: true,
    });
    expect(res.statusCode).toBe(200);
    const needs = (await supervisor.get('/api/v1/qa/training-needs')).json().data;
    expect(needs).toEqual([
      expect.objectContaining({
        agent: { id: agentB.user.id, name: 'Agent B' },
        criterionKey: 'script',
        failures: 2,
      }),
    ]);
  });
});

describe('the weekly job', () => {
  it('draws last week once across instances, from the configured hour on', async () => {
    const fx = kpiFixtures(t.database.db);
    for (let i = 0; i < 8; i++)
      await fx.ticket({ owner: agentA.user.id, receivedAt: `2026-03-1${i % 5}T03:00:00Z` });
    const db = t.database.db;
    // Monday 16 March 05:00 Shanghai: before 06:00, not due.
    t.clock.set('2026-03-15T21:00:00Z');
    const one = startQaSampling({ db, clock: t.clock, intervalMs: 0, holder: 'one' });
    const two = startQaSampling({ db, clock: t.clock, intervalMs: 0, holder: 'two' });
    expect((await one.runOnce()).runId).toBeNull();
    t.clock.set('2026-03-15T23:00:00Z');
    const results = await Promise.all([one.runOnce(), two.runOnce(), one.runOnce()]);
    expect(results.filter((r) => r.runId !== null)).toHaveLength(1);
    const runs = rowsOf<{ source: string; sampled: number }>(
      await db.execute(
        sql`SELECT source, sampled FROM qa_sample_runs WHERE week_start = '2026-03-09'`,
      ),
    );
    expect(runs).toEqual([{ source: 'job', sampled: 1 }]);
    await one.stop();
    await two.stop();
  });
});
