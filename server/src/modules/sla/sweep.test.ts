import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { createTestContext, sqlStateOf, type TestContext } from '../../test/harness.js';
import type { AuditContext } from '../audit/service.js';
import { listClocks } from './clock-views.js';
import { meetClock, startClocks } from './clocks.js';
import { createVersion, currentVersion } from './policies.js';
import { seedSlaDefaults } from './seed.js';
import { sweepDueClocks, type FiredEvent } from './sweep.js';
import { firedPerClock, insertBareTickets, insertRunningClocks } from './test/fixtures.js';

let t: TestContext;
let db: Db;
let owner: string;
let lead: string;
let supervisor: string;
let teamId: string;

const at = (local: string) => new Date(`${local}+08:00`);
const MONDAY_10 = at('2026-03-02T10:00:00');

beforeAll(async () => {
  t = await createTestContext();
  db = t.database.db;
  await seedSlaDefaults(db, t.clock.now());
  teamId = (await t.buildTeam('投诉处理')).id;
  owner = (await t.buildUser({ roles: ['agent'], teamIds: [teamId] })).id;
  lead = (await t.buildUser({ roles: ['supervisor'], teamIds: [teamId] })).id;
  supervisor = (await t.buildUser({ roles: ['supervisor'] })).id;
  const retired = (await t.buildUser({ roles: ['supervisor'] })).id;
  await db.execute(sql`UPDATE users SET locale = 'en-US' WHERE id = ${lead}`);
  await db.execute(sql`UPDATE users SET active = false WHERE id = ${retired}`);
});
afterAll(() => t.close());

async function notificationsOf(ticketId: string) {
  return rowsOf<{ user_id: string; kind: string; title: string }>(
    await db.execute(
      sql`SELECT user_id, kind, title FROM notifications WHERE ticket_id = ${ticketId} ORDER BY created_at, kind, user_id`,
    ),
  );
}

describe('the sweeper', () => {
  it('warns the owner at 80 %, then breaches to owner, team lead and supervisors — once each', async () => {
    const [ticketId] = await insertBareTickets(db, 1, {
      ownerId: owner,
      teamId,
      receivedAt: MONDAY_10,
    });
    const facts = {
      channel: 'email',
      category: 'consultation',
      tier: 'L1',
      priority: 'urgent', // first response within 2 h, warning after 1 h 36 min
      customerTier: 'regular',
      receivedAt: MONDAY_10.getTime(),
    };
    await db.transaction((tx) => startClocks(tx, { ticketId: ticketId!, facts }, MONDAY_10));

    expect((await sweepDueClocks(db, at('2026-03-02T11:35:59'))).warnings).toBe(0);
    const warned = await sweepDueClocks(db, at('2026-03-02T11:36:00'));
    expect(warned).toMatchObject({ warnings: 1, breaches: 0, notifications: 1 });
    expect((await sweepDueClocks(db, at('2026-03-02T11:50:00'))).warnings).toBe(0);
    expect(await notificationsOf(ticketId!)).toEqual([
      {
        user_id: owner,
        kind: 'sla_warning',
        title: expect.stringMatching(/^SLA 预警：工单 SLA-.*「首次响应」即将到期$/),
      },
    ]);

    const breached = await sweepDueClocks(db, at('2026-03-02T12:00:00'));
    expect(breached).toMatchObject({ warnings: 0, breaches: 1, notifications: 3 });
    expect((await sweepDueClocks(db, at('2026-03-02T13:00:00'))).breaches).toBe(0);
    const breach = (await notificationsOf(ticketId!)).filter((n) => n.kind === 'sla_breach');
    expect(breach.map((n) => n.user_id).sort()).toEqual([owner, lead, supervisor].sort());
    expect(breach.find((n) => n.user_id === lead)!.title).toMatch(
      /^SLA breached: ticket .* — First response is overdue$/,
    );

    const [clock] = (await listClocks(db, ticketId!)).filter((c) => c.kind === 'first_response');
    expect(clock).toMatchObject({
      state: 'breached',
      breached: true,
      breachedAt: at('2026-03-02T12:00:00').toISOString(),
      warnedAt: at('2026-03-02T11:36:00').toISOString(),
    });
    // Met late: the breach stays on record for reports.
    const met = await db.transaction((tx) =>
      meetClock(tx, ticketId!, 'first_response', at('2026-03-02T14:00:00')),
    );
    expect(met.met).toMatchObject({
      state: 'met',
      breached: true,
      businessMsUsed: 2.5 * 3_600_000,
    });
    const events = rowsOf<{ kind: string; occurrence: number }>(
      await db.execute(
        sql`SELECT kind, occurrence FROM sla_events WHERE clock_id = ${clock!.id} ORDER BY at, kind DESC`,
      ),
    );
    expect(events).toEqual([
      { kind: 'warning', occurrence: 1 },
      { kind: 'breach', occurrence: 1 },
    ]);
  });

  it('sends only the breach for a clock first seen past its due time', async () => {
    const prefix = 'LATE';
    const [ticketId] = await insertBareTickets(db, 1, {
      ownerId: owner,
      receivedAt: MONDAY_10,
      prefix,
    });
    await insertRunningClocks(db, {
      ticketPrefix: prefix,
      startedAt: MONDAY_10,
      warnAt: at('2026-03-02T11:00:00'),
      dueAt: at('2026-03-02T12:00:00'),
    });
    expect(await sweepDueClocks(db, at('2026-03-03T09:00:00'))).toMatchObject({
      warnings: 0,
      breaches: 1,
    });
    expect((await notificationsOf(ticketId!)).map((n) => n.kind)).not.toContain('sla_warning');
  });

  it('records a breach at the due time, in columns no index names (a HOT update, 0045)', async () => {
    const prefix = 'HOT';
    await insertBareTickets(db, 1, { ownerId: owner, receivedAt: MONDAY_10, prefix });
    await insertRunningClocks(db, {
      ticketPrefix: prefix,
      startedAt: MONDAY_10,
      warnAt: at('2026-03-02T11:00:00'),
      dueAt: at('2026-03-02T12:00:00'),
    });
    await sweepDueClocks(db, at('2026-03-03T09:00:00'));
    const [clock] = rowsOf<{ id: string; breached_at: string; due_at: string }>(
      await db.execute(sql`SELECT c.id, c.breached_at::text, c.due_at::text FROM sla_clocks c
        JOIN tickets t ON t.id = c.ticket_id WHERE t.number LIKE ${`${prefix}-%`}`),
    );
    expect(clock!.breached_at).toBe(clock!.due_at);
    // The KPI months read breaches by due time: the CHECK keeps the two equal.
    const moved = db.execute(sql`UPDATE sla_clocks SET breached_at = due_at + interval '1 minute'
      WHERE id = ${clock!.id}::uuid`);
    expect(await sqlStateOf(moved)).toBe('23514');
    // The columns the sweeper writes (sweep-sql.ts) appear in no index's key or predicate.
    const defs = rowsOf<{ indexdef: string }>(
      await db.execute(sql`SELECT indexdef FROM pg_indexes WHERE tablename = 'sla_clocks'`),
    ).map((r) => r.indexdef);
    expect(defs.filter((d) => /\bmet_at\b/.test(d)).length).toBeGreaterThan(0);
    for (const column of ['state', 'breached', 'breached_at', 'warned_at', 'updated_at'])
      expect(defs.filter((d) => new RegExp(`\\b${column}\\b`).test(d))).toEqual([]);
  });

  it('follows the policy’s own escalation chain and hands events to the onFired hook', async () => {
    const current = (await currentVersion(db))!;
    const policies = structuredClone(current.policies);
    const general = policies.find((p) => p.key === 'general')!;
    general.escalation = {
      warning: { notify: ['handler'] },
      breach: { notify: ['handler'], raisePriority: true },
    };
    const ctx: AuditContext = {
      actorId: null,
      actorName: 'test',
      ip: null,
      userAgent: null,
      requestId: null,
      at: t.clock.now(),
    };
    const admin = await t.buildUser({ roles: ['admin'] });
    const v = await createVersion(db, ctx, { userId: admin.id, name: admin.name } as never, {
      policies: policies as never,
      reason: 'handlers only',
    });
    const prefix = 'HANDLER';
    const [ticketId] = await insertBareTickets(db, 1, {
      ownerId: owner,
      handlerId: lead,
      receivedAt: MONDAY_10,
      prefix,
    });
    await insertRunningClocks(db, {
      ticketPrefix: prefix,
      policyVersion: v.version,
      startedAt: MONDAY_10,
      warnAt: at('2026-03-02T11:00:00'),
      dueAt: at('2026-03-02T12:00:00'),
    });
    const seen: FiredEvent[] = [];
    await sweepDueClocks(db, at('2026-03-02T12:30:00'), 1000, {
      onFired: async (_tx, e) => void seen.push(...e),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      ticketId,
      kind: 'breach',
      targetKind: 'resolution',
      policyVersion: v.version,
      notified: [lead],
      escalation: { breach: { raisePriority: true } },
    });
    expect((await notificationsOf(ticketId!)).map((n) => n.user_id)).toEqual([lead]);
  });

  it('a crash mid-sweep loses nothing and doubles nothing', async () => {
    const prefix = 'CRASH';
    await insertBareTickets(db, 300, { ownerId: owner, receivedAt: MONDAY_10, prefix });
    await insertRunningClocks(db, {
      ticketPrefix: prefix,
      startedAt: MONDAY_10,
      warnAt: at('2026-03-03T11:00:00'),
      dueAt: at('2026-03-03T12:00:00'),
    });
    let batches = 0;
    const crashing = sweepDueClocks(db, at('2026-03-03T12:00:00'), 100, {
      onFired: async () => {
        if (++batches === 2) throw new Error('process killed');
      },
    });
    await expect(crashing).rejects.toThrow('process killed');
    // The first batch committed; the second rolled back whole (events, marks, notifications).
    expect(await firedPerClock(db, 'breach', prefix)).toEqual({
      clocks: 100,
      events: 100,
      maxPerClock: 1,
    });
    const rest = await sweepDueClocks(db, at('2026-03-03T12:00:05'), 100);
    expect(rest.breaches).toBe(200);
    expect(await firedPerClock(db, 'breach', prefix)).toEqual({
      clocks: 300,
      events: 300,
      maxPerClock: 1,
    });
    const notified = rowsOf<{ n: string | number }>(
      await db.execute(sql`SELECT count(*) AS n FROM notifications n JOIN tickets t ON t.id = n.ticket_id
        WHERE t.number LIKE ${`${prefix}-%`}`),
    );
    // Each breach: the owner and two active supervisors (no team, so no team lead).
    expect(Number(notified[0]!.n)).toBe(300 * 3);
  });

  it('sweepers running at once fire each due clock once', async () => {
    const prefix = 'RACE';
    await insertBareTickets(db, 1500, { ownerId: owner, receivedAt: MONDAY_10, prefix });
    await insertRunningClocks(db, {
      ticketPrefix: prefix,
      startedAt: MONDAY_10,
      warnAt: at('2026-03-04T11:00:00'),
      dueAt: at('2026-03-04T12:00:00'),
    });
    const now = at('2026-03-04T12:00:00');
    const results = await Promise.all([1, 2, 3].map(() => sweepDueClocks(db, now, 100)));
    expect(results.reduce((n, r) => n + r.breaches, 0)).toBe(1500);
    expect(await firedPerClock(db, 'breach', prefix)).toEqual({
      clocks: 1500,
      events: 1500,
      maxPerClock: 1,
    });
    const left = rowsOf<{ n: string | number }>(
      await db.execute(
        sql`SELECT count(*) AS n FROM sla_clocks WHERE state = 'running' AND due_at <= ${now.toISOString()}::timestamptz`,
      ),
    );
    expect(Number(left[0]!.n)).toBe(0);
  });
});
