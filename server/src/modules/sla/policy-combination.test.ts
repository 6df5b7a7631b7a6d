/**
 * Issue 9, SLA item 3: urgency limits hold whatever the tier (SPEC 3), every target names the
 * policy it came from, and the priority suggested for a new ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket } from '../tickets/test-support.js';
import { LEGACY_INITIAL_POLICIES, seedSlaDefaults, URGENCY_UPGRADE_REASON } from './seed.js';

let t: TestContext;
let agent: TestClient;

const H = 3_600_000;
const cst = (local: string) => new Date(`${local}+08:00`);

beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent');
});
afterAll(() => t.close());

describe('an urgent L2 e-mail ticket (SPEC 3: urgent = respond within 2 h)', () => {
  it('the preview gives the 2-hour response, from the urgent policy, and shows what it overruled', async () => {
    const q = new URLSearchParams({
      receivedAt: '2026-03-02T10:00:00+08:00',
      channel: 'email',
      category: 'product_use',
      tier: 'L2',
      priority: 'urgent',
    });
    const res = await agent.get(`/api/v1/sla/preview?${q}`);
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.policy).toMatchObject({ key: 'level2' });
    expect(data.applying).toEqual([
      { key: 'level2', name: expect.any(Object), applies: 'first_match' },
      { key: 'urgent', name: { zh: '紧急', en: 'Urgent' }, applies: 'always' },
    ]);
    const first = data.targets.find((x: { kind: string }) => x.kind === 'first_response');
    expect(first).toMatchObject({
      source: { key: 'urgent', name: { zh: '紧急', en: 'Urgent' } },
      limitMs: 2 * H,
      dueAtLocal: '2026-03-02T12:00:00.000+08:00',
      overruled: [{ key: 'level2', limitMs: 3 * 7.5 * H, dueAt: '2026-03-05T02:00:00.000Z' }],
    });
    const sources = Object.fromEntries(
      data.targets.map((x: { kind: string; source: { key: string } }) => [x.kind, x.source.key]),
    );
    expect(sources).toEqual({
      first_response: 'urgent',
      assignment: 'level2',
      follow_up_contact: 'level2',
      progress: 'level2',
      resolution: 'level2',
    });
  });

  it('a registered ticket runs the 2-hour clock under the urgent policy', async () => {
    t.clock.set(cst('2026-03-02T10:00:00'));
    const signedIn = await t.as('agent');
    const ticket = await registerTicket(signedIn, {
      channel: 'email',
      category: 'product_use',
      tier: 'L2',
      priority: 'urgent',
    });
    const res = await signedIn.get(`/api/v1/tickets/${ticket.id}/sla`);
    expect(res.statusCode).toBe(200);
    const clocks = res.json().data as { kind: string; policyKey: string; dueAt: string }[];
    const first = clocks.find((c) => c.kind === 'first_response')!;
    expect(first).toMatchObject({
      policyKey: 'urgent',
      dueAt: cst('2026-03-02T12:00:00').toISOString(),
    });
    expect(clocks.find((c) => c.kind === 'resolution')!.policyKey).toBe('level2');
  });

  it('without urgency the L2 e-mail keeps its 3 working days', async () => {
    const q = new URLSearchParams({
      receivedAt: '2026-03-02T10:00:00+08:00',
      channel: 'email',
      category: 'product_use',
      tier: 'L2',
      priority: 'general',
    });
    const data = (await agent.get(`/api/v1/sla/preview?${q}`)).json().data;
    expect(data.applying.map((p: { key: string }) => p.key)).toEqual(['level2']);
    const first = data.targets.find((x: { kind: string }) => x.kind === 'first_response');
    expect(first).toMatchObject({ source: { key: 'level2' }, overruled: [] });
  });
});

describe('GET /sla/priority-suggestion', () => {
  const suggest = (q: Record<string, string>) =>
    agent.get(`/api/v1/sla/priority-suggestion?${new URLSearchParams(q)}`);

  it('suggests from category, tier and customer tier, with the reasons', async () => {
    expect((await suggest({ category: 'consultation', tier: 'L1' })).json().data).toEqual({
      priority: 'general',
      reasons: [],
      customerTier: 'regular',
    });
    expect(
      (await suggest({ category: 'complaint', tier: 'L1', customerTier: 'vip' })).json().data,
    ).toEqual({ priority: 'urgent', reasons: ['complaint', 'vip'], customerTier: 'vip' });
    expect((await suggest({ category: 'product_use', tier: 'L3' })).json().data.priority).toBe(
      'urgent',
    );
  });

  it('uses an existing customer’s tier; an unknown customer is 404 naming customerId', async () => {
    const ticket = await registerTicket(agent, { channel: 'phone' });
    const customerId = ticket.customer.id;
    const res = await suggest({ category: 'product_use', tier: 'L2', customerId });
    expect(res.json().data).toMatchObject({ priority: 'important', customerTier: 'regular' });
    const missing = await suggest({
      category: 'product_use',
      tier: 'L2',
      customerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(JSON.stringify(missing.json())).toContain('customerId');
    expect((await suggest({ category: 'product_use', tier: 'L9' })).statusCode).toBe(400);
    expect(
      (await t.anonymous.get('/api/v1/sla/priority-suggestion?category=a&tier=L1')).statusCode,
    ).toBe(401);
  });
});

describe('an existing installation', () => {
  it('an unchanged pre-issue-9 list is upgraded at start-up; an edited one is left alone', async () => {
    const admin = await t.as('admin');
    const put = async (policies: unknown, reason: string) => {
      const res = await admin.request('PUT', '/api/v1/sla/policies', { policies, reason });
      expect(res.statusCode).toBe(201);
      return res.json().data.version as number;
    };
    const legacy = await put(LEGACY_INITIAL_POLICIES, 'as shipped before issue 9');
    const q = new URLSearchParams({
      receivedAt: '2026-03-02T10:00:00+08:00',
      channel: 'email',
      category: 'product_use',
      tier: 'L2',
      priority: 'urgent',
    });
    const firstFrom = async () =>
      (await agent.get(`/api/v1/sla/preview?${q}`))
        .json()
        .data.targets.find((x: { kind: string }) => x.kind === 'first_response').source.key;
    expect(await firstFrom()).toBe('level2'); // the bug: 3 working days

    const seeded = await seedSlaDefaults(t.database.db, t.clock.now());
    expect(seeded.urgencyUpgradeVersion).toBe(legacy + 1);
    const current = (await agent.get('/api/v1/sla/policies')).json().data;
    expect(current).toMatchObject({ version: legacy + 1, reason: URGENCY_UPGRADE_REASON });
    expect(await firstFrom()).toBe('urgent');
    expect((await seedSlaDefaults(t.database.db, t.clock.now())).urgencyUpgradeVersion).toBe(
      undefined,
    );

    const edited = structuredClone(LEGACY_INITIAL_POLICIES);
    edited[0]!.name.en = 'Complaints';
    const mine = await put(edited, 'our own list');
    expect((await seedSlaDefaults(t.database.db, t.clock.now())).urgencyUpgradeVersion).toBe(
      undefined,
    );
    expect((await agent.get('/api/v1/sla/policies')).json().data.version).toBe(mine);
  });
});
