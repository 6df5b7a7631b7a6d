import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { DEFAULT_SLA_POLICIES } from './rules/defaults.js';
import { policiesBody } from './schemas.js';
import { INITIAL_POLICIES } from './seed.js';

let t: TestContext;
let admin: TestClient & { user: { id: string; name: string } };
let agent: TestClient;

beforeAll(async () => {
  t = await createTestContext();
  admin = await t.as('admin');
  agent = await t.as('agent');
});
afterAll(() => t.close());

const H = 3_600_000;

/** A policy as JSON, loosely typed so tests can break it. */
interface EditablePolicy {
  key: string;
  match: { channels?: string[] };
  targets: Record<string, unknown>[];
  escalation: { warning: { notify: string[] } };
}

describe('SLA policies, versioned', () => {
  it('starts at version 1: SPEC chapter 3’s defaults, with the default escalation', async () => {
    // A fresh database: the first read seeds (main.ts seeds at start-up).
    const res = await agent.get('/api/v1/sla/policies');
    expect(res.statusCode).toBe(200);
    const v1 = res.json().data;
    expect(v1).toMatchObject({ version: 1, createdBy: null });
    expect(v1.policies.map((p: { key: string }) => p.key)).toEqual(
      DEFAULT_SLA_POLICIES.map((p) => p.key),
    );
    expect(v1.policies[0].escalation).toEqual({
      warning: { notify: ['owner'] },
      breach: { notify: ['owner', 'team_lead', 'supervisors'], raisePriority: false },
    });
    // What is stored passes the same validation as an edit.
    expect(policiesBody.safeParse({ policies: INITIAL_POLICIES, reason: 'x' }).success).toBe(true);
  });

  it('saves an edit as a new version (who, when, why) and never changes an old one', async () => {
    const v1 = (await agent.get('/api/v1/sla/policies')).json().data;
    const policies = structuredClone(v1.policies);
    policies[0].targets[0].durationMs = 1 * H; // complaint registered: 2 h → 1 h
    policies[0].escalation.breach.raisePriority = true;
    const res = await admin.request('PUT', '/api/v1/sla/policies', {
      policies,
      reason: '投诉登记时限缩短为 1 小时',
      baseVersion: 1,
    });
    expect(res.statusCode).toBe(201);
    const v2 = res.json().data;
    expect(v2).toMatchObject({
      version: 2,
      reason: '投诉登记时限缩短为 1 小时',
      createdBy: { id: admin.user.id, name: admin.user.name },
      createdAt: t.clock.now().toISOString(),
    });
    expect((await agent.get('/api/v1/sla/policies')).json().data.version).toBe(2);
    const old = (await agent.get('/api/v1/sla/policies/versions/1')).json().data;
    expect(old.policies[0].targets[0].durationMs).toBe(2 * H);
    expect((await agent.get('/api/v1/sla/policies/versions/99')).statusCode).toBe(404);

    const history = (await agent.get('/api/v1/sla/policies/versions')).json();
    expect(history.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.data[0]).toMatchObject({ policyCount: 8, reason: '投诉登记时限缩短为 1 小时' });

    const diff = (await agent.get('/api/v1/sla/policies/diff?from=1&to=2')).json().data;
    expect(diff).toEqual({
      from: 1,
      to: 2,
      added: [],
      removed: [],
      orderChanged: false,
      changed: [
        {
          key: 'complaint',
          changes: [
            { path: 'escalation.breach.raisePriority', from: false, to: true },
            { path: 'targets.complaint_registered.durationMs', from: 2 * H, to: 1 * H },
          ],
        },
      ],
    });

    const audit = (await admin.get('/api/v1/audit-events?action=sla_policy.update')).json().data;
    expect(audit[0]).toMatchObject({ targetId: '2', actorId: admin.user.id });

    // The database itself refuses to rewrite a version.
    await expect(
      t.database.db.execute(sql`UPDATE sla_policy_versions SET reason = 'x' WHERE version = 1`),
    ).rejects.toThrow();
  });

  it('answers 409 to an edit based on an old version', async () => {
    const current = (await agent.get('/api/v1/sla/policies')).json().data;
    const res = await admin.request('PUT', '/api/v1/sla/policies', {
      policies: current.policies,
      reason: 'stale',
      baseVersion: 1,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('policy_version_conflict');
  });

  it('validates: durations > 0, warnAt in (0, 1), known target kinds; keys and kinds unique', async () => {
    const current = (await agent.get('/api/v1/sla/policies')).json().data;
    const put = (mutate: (p: EditablePolicy[]) => void) => {
      const policies = structuredClone(current.policies) as EditablePolicy[];
      mutate(policies);
      return admin.request('PUT', '/api/v1/sla/policies', { policies, reason: 'test' });
    };
    const first = (p: EditablePolicy[]) => p[0]!.targets[0]!;
    const zero = await put((p) => (first(p).durationMs = 0));
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].path).toBe('policies.0.targets.0.durationMs');
    expect((await put((p) => (first(p).warnAt = 1))).statusCode).toBe(400);
    expect((await put((p) => (first(p).warnAt = 0))).statusCode).toBe(400);
    expect((await put((p) => (first(p).kind = 'lunch_break'))).statusCode).toBe(400);
    expect((await put((p) => (p[0]!.match.channels = ['fax']))).statusCode).toBe(400);
    expect((await put((p) => (p[0]!.escalation.warning.notify = ['ceo']))).statusCode).toBe(400);

    const dupKey = await put((p) => (p[1]!.key = p[0]!.key));
    expect(dupKey.statusCode).toBe(422);
    expect(dupKey.json().errors).toEqual([
      { path: 'policies.1.key', message: 'is used by another policy', code: 'taken' },
    ]);
    const dupKind = await put((p) => p[0]!.targets.push(structuredClone(first(p))));
    expect(dupKind.statusCode).toBe(422);
    expect(dupKind.json().errors[0].path).toBe('policies.0.targets.5.kind');
    // An in-hours / off-hours pair of one kind is fine (the instant-channel first response).
    const pair = await put((p) =>
      p[0]!.targets.push(
        { ...structuredClone(first(p)), kind: 'first_response', onlyInsideWorkingHours: true },
        { ...structuredClone(first(p)), kind: 'first_response', onlyOutsideWorkingHours: true },
      ),
    );
    expect(pair.statusCode).toBe(201);
  });

  it('only administrators edit', async () => {
    const current = (await agent.get('/api/v1/sla/policies')).json().data;
    for (const role of ['agent', 'supervisor'] as const) {
      const client = await t.as(role);
      const res = await client.request('PUT', '/api/v1/sla/policies', {
        policies: current.policies,
        reason: 'mine now',
      });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('SLA preview', () => {
  const preview = (q: Record<string, string>) =>
    agent.get(`/api/v1/sla/preview?${new URLSearchParams(q)}`);

  it('a complaint received Friday 17:50 before National Day 2025 is due on the 调休 Sunday and after the holiday', async () => {
    const res = await preview({
      receivedAt: '2025-09-26T17:50:00+08:00',
      channel: 'email',
      category: 'complaint',
      tier: 'L3',
      priority: 'general',
      version: '1',
    });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({
      policyVersion: 1,
      policy: { key: 'complaint' },
      calendar: { name: '中国大陆工作日', timeZone: 'Asia/Shanghai' },
      receivedInWorkingHours: true,
    });
    const due = Object.fromEntries(
      data.targets.map((x: { kind: string; dueAtLocal: string }) => [x.kind, x.dueAtLocal]),
    );
    expect(due).toEqual({
      // 10 min on Friday; Saturday off; Sunday 28 Sep is a make-up working day (调休).
      complaint_registered: '2025-09-28T10:50:00.000+08:00',
      complaint_contacted: '2025-09-28T14:20:00.000+08:00',
      handling_plan: '2025-09-28T14:20:00.000+08:00',
      // 24 working hours: Fri 10 min + Sun, Mon, Tue 7.5 h each, then 1–8 Oct off → Thu 9 Oct.
      complaint_plan: '2025-10-09T10:20:00.000+08:00',
      progress_update: '2025-10-09T10:20:00.000+08:00',
    });
  });

  it('uses the version asked for, and the calendar asked for', async () => {
    const calendars = (await agent.get('/api/v1/sla/calendars')).json().data;
    const always = calendars.find((c: { seedKey: string }) => c.seedKey === '24x7');
    const q = {
      receivedAt: '2025-09-26T17:50:00+08:00',
      channel: 'email',
      category: 'complaint',
      tier: 'L3',
      priority: 'general',
    };
    const current = (await preview(q)).json().data;
    expect(current.policyVersion).toBeGreaterThan(1);
    // Version 2 cut complaint registration to 1 h.
    expect(current.targets[0]).toMatchObject({ kind: 'complaint_registered', limitMs: H });
    const roundTheClock = (await preview({ ...q, calendarId: always.id })).json().data;
    expect(roundTheClock.targets[0].dueAt).toBe('2025-09-26T10:50:00.000Z');
    expect(
      (await preview({ ...q, calendarId: '00000000-0000-4000-8000-000000000000' })).statusCode,
    ).toBe(404);
    expect((await preview({ ...q, tier: 'L9' })).statusCode).toBe(400);
  });
});
