import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../demo/seed.js';
import { createTestContext, type TestContext } from '../../test/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.database.db, t.clock.now());
});
afterAll(() => t.close());

describe('demo workspace: surveys', () => {
  it('has answered ticket surveys, one still open, and last month’s campaign with its rate', async () => {
    const admin = await t.signIn('admin@kefu.demo', DEMO_PASSWORD);
    const rows = (await admin.get('/api/v1/survey-responses?limit=200')).json().data;
    const tickets = rows.filter((r: { kind: string }) => r.kind === 'ticket');
    expect(tickets.length).toBeGreaterThan(1);
    expect(tickets.some((r: { state: string }) => r.state === 'answered')).toBe(true);
    expect(tickets.some((r: { state: string }) => r.state === 'open')).toBe(true);
    const campaigns = (await admin.get('/api/v1/survey-campaigns')).json().data;
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0].sent).toBeGreaterThan(0);
    expect(campaigns[0].responseRate).toBeGreaterThan(0);
    // Seeding again adds nothing.
    await seedDemo(t.database.db, t.clock.now());
    expect((await admin.get('/api/v1/survey-campaigns')).json().data).toHaveLength(1);
  });
});
