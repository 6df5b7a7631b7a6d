import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { DEMO_PASSWORD, seedDemo } from '../../demo/seed.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('first-run setup', () => {
  it('creates the first administrator once, signed in, and then refuses', async () => {
    expect((await t.anonymous.get('/api/v1/setup')).json().data.needsSetup).toBe(true);
    const weak = await t.anonymous.post('/api/v1/setup', {
      name: 'Boss',
      email: 'boss@example.com',
      password: 'short',
    });
    expect(weak.statusCode).toBe(422);
    expect((await t.anonymous.get('/api/v1/setup')).json().data.needsSetup).toBe(true);

    const [a, b] = await Promise.all([
      t.anonymous.post('/api/v1/setup', {
        name: 'Boss',
        email: 'boss@example.com',
        password: 'long-enough-password',
      }),
      t.anonymous.post('/api/v1/setup', {
        name: 'Rival',
        email: 'rival@example.com',
        password: 'long-enough-password',
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const winner = a.statusCode === 201 ? a : b;
    expect(winner.json().data.user.roles).toEqual(['admin']);
    expect(String(winner.headers['set-cookie'])).toMatch(/kefu_session=.*HttpOnly/);
    expect((a.statusCode === 409 ? a : b).json().code).toBe('setup_done');
    expect((await t.anonymous.get('/api/v1/setup')).json().data.needsSetup).toBe(false);
  });

  it('does not seed demo data into a workspace that has users', async () => {
    expect(await seedDemo(t.database.db, t.clock.now())).toBeNull();
  });
});

describe('demo workspace', () => {
  it('seeds teams and one user per staff role on an empty database', async () => {
    const fresh = await createTestContext();
    try {
      const users = await seedDemo(fresh.database.db, fresh.clock.now());
      expect(users?.map((u) => u.roles[0])).toEqual(
        expect.arrayContaining([
          'admin',
          'supervisor',
          'agent',
          'specialist',
          'qa_inspector',
          'knowledge_editor',
          'reviewer',
        ]),
      );
      const admin = await fresh.signIn('admin@kefu.demo', DEMO_PASSWORD);
      const teams = (await admin.get('/api/v1/teams'))
        .json()
        .data.map((x: { name: string }) => x.name);
      expect(teams.sort()).toEqual(['一线客服', '技术支持', '售后', '投诉处理', '质检组'].sort());
    } finally {
      await fresh.close();
    }
  });
});
