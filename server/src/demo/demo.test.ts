import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../test/harness.js';
import { TestClient } from '../test/harness.js';
import { DEMO_PASSWORD, DEMO_PORTAL_EMAIL, seedDemo } from './seed.js';
import { seedDemoTicketFeatures } from './ticket-features.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.database.db, t.clock.now());
});
afterAll(() => t.close());

interface Row {
  id: string;
  subject: string;
  customFields: Record<string, unknown>;
  team: { name: string } | null;
  handler: { name: string } | null;
}

describe('demo workspace: ticket features', () => {
  it('has custom fields, assignment rules, a shared view and a ticket the rules routed', async () => {
    const admin = await t.signIn('admin@kefu.demo', DEMO_PASSWORD);
    const fields = (await admin.get('/api/v1/ticket-fields')).json().data;
    expect(fields.map((f: { key: string }) => f.key)).toEqual(
      expect.arrayContaining(['order_no', 'product_model', 'under_warranty']),
    );
    const model = fields.find((f: { key: string }) => f.key === 'product_model');
    expect(model).toMatchObject({ type: 'select', labelZh: '产品型号', required: false });

    const rules = (await admin.get('/api/v1/ticket-assignment-rules')).json().data;
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({ keywords: ['退款', 'refund'], strategy: 'least_loaded' });
    expect(rules[0].team.name).toBe('售后');
    expect(rules[1]).toMatchObject({ customerTiers: ['vip'], strategy: 'round_robin' });

    // The front line sees the view their supervisor shared.
    const agent = await t.signIn('agent@kefu.demo', DEMO_PASSWORD);
    const views = (await agent.get('/api/v1/ticket-views')).json().data;
    expect(views).toContainEqual(
      expect.objectContaining({ name: '一线：待受理的新工单', mine: false }),
    );

    const all: Row[] = (await agent.get('/api/v1/tickets?limit=50')).json().data;
    const routed = all.find((x) => x.subject.startsWith('申请退款'))!;
    expect(routed.team?.name).toBe('售后');
    expect(routed.handler?.name).toBe('刘师傅');
    expect(routed.customFields).toMatchObject({ product_model: 'KJ600' });
    const timeline = (await agent.get(`/api/v1/tickets/${routed.id}/timeline`)).json().data;
    const assignment = timeline.find((e: { kind: string }) => e.kind === 'assignment');
    expect(assignment.data.rule.name).toBe(rules[0].name);

    const fridge = all.find((x) => x.subject.startsWith('冰箱不制冷'))!;
    expect(fridge.customFields).toEqual({
      order_no: 'JD20260315-8842',
      product_model: 'BCD-501',
      under_warranty: true,
    });
    // The console filters by them.
    const filtered = (
      await agent.get(`/api/v1/tickets?customField=${encodeURIComponent('product_model:BCD-501')}`)
    ).json().data;
    expect(filtered.map((x: Row) => x.id)).toEqual([fridge.id]);
  });

  it('has a demo portal account: the customer signs in with the demo password, no mail server', async () => {
    const res = await t.anonymous.post('/api/v1/portal/auth/sign-in', {
      email: DEMO_PORTAL_EMAIL,
      password: DEMO_PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'kefu_portal')!;
    const portal = new TestClient(t.app, `kefu_portal=${cookie.value}`, res.json().data.csrfToken);
    const mine = await portal.get('/api/v1/portal/requests');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().data.length).toBeGreaterThan(0);
  });

  it('seeds once: running it again (also on restart of a demo workspace) adds nothing', async () => {
    const admin = await t.signIn('admin@kefu.demo', DEMO_PASSWORD);
    const before = (await admin.get('/api/v1/tickets/counts')).json().data.all;
    expect(await seedDemo(t.database.db, t.clock.now())).toBeNull();
    expect(await seedDemoTicketFeatures(t.database.db, t.clock.now())).toEqual({
      fields: 0,
      rules: 0,
      views: 0,
      tickets: 0,
    });
    expect((await admin.get('/api/v1/tickets/counts')).json().data.all).toBe(before);
    expect((await admin.get('/api/v1/ticket-fields')).json().data).toHaveLength(3);
    expect((await admin.get('/api/v1/ticket-assignment-rules')).json().data).toHaveLength(2);
  });

  it('tops up a workspace whose demo data predates the features', async () => {
    const fresh = await createTestContext();
    try {
      await seedDemo(fresh.database.db, fresh.clock.now());
      const { db } = fresh.database;
      // Simulate an older demo workspace: no rules, views or fields yet.
      await db.execute('DELETE FROM ticket_assignment_rules');
      await db.execute('DELETE FROM ticket_saved_views');
      const added = await seedDemoTicketFeatures(db, fresh.clock.now());
      expect(added).toEqual({ fields: 0, rules: 2, views: 1, tickets: 0 });
    } finally {
      await fresh.close();
    }
  });

  it('does nothing in a workspace without the demo users', async () => {
    const fresh = await createTestContext();
    try {
      expect(await seedDemoTicketFeatures(fresh.database.db, fresh.clock.now())).toEqual({
        fields: 0,
        rules: 0,
        views: 0,
        tickets: 0,
      });
    } finally {
      await fresh.close();
    }
  });
});
