import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';

let t: TestContext;
let admin: TestClient & { user: { id: string } };
beforeAll(async () => {
  t = await createTestContext();
  admin = await t.as('admin');
});
afterAll(() => t.close());

describe('users administration', () => {
  it('creates a user with roles and teams, audited, and refuses a duplicate email', async () => {
    const team = (
      await admin.post('/api/v1/teams', { name: '一线客服', description: 'Front line' })
    ).json().data;
    const res = await admin.post('/api/v1/users', {
      email: 'Li.Xiaohong@Example.com',
      name: '李小红',
      password: 'a-strong-password',
      roles: ['agent'],
      teamIds: [team.id],
    });
    expect(res.statusCode).toBe(201);
    const user = res.json().data;
    expect(user).toMatchObject({
      email: 'li.xiaohong@example.com',
      name: '李小红',
      roles: ['agent'],
      locale: 'zh-CN',
      active: true,
    });
    expect(user.teams).toEqual([{ id: team.id, name: '一线客服' }]);
    expect(JSON.stringify(user)).not.toMatch(/password/i);

    const dup = await admin.post('/api/v1/users', {
      email: 'li.xiaohong@example.com',
      name: 'Dup',
      password: 'a-strong-password',
      roles: ['agent'],
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      code: 'email_taken',
      errors: [{ path: 'email', message: 'already in use', code: 'taken' }],
    });

    const audit = (
      await admin.get(`/api/v1/audit-events?targetType=user&targetId=${user.id}`)
    ).json().data;
    const created = audit.find((e: { action: string }) => e.action === 'user.create');
    expect(created.actorId).toBe(admin.user.id);
    expect(created.diff.email).toEqual({ from: null, to: 'li.xiaohong@example.com' });
  });

  it('applies the password policy to new users', async () => {
    const res = await admin.post('/api/v1/users', {
      email: 'weak@example.com',
      name: 'Weak',
      password: 'short',
      roles: ['agent'],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ path: 'password' });
  });

  it('edits roles and teams, records before/after, and filters the list', async () => {
    const user = await t.buildUser({ roles: ['agent'], name: 'Filter Target' });
    const team = await t.buildTeam('投诉处理');
    const res = await admin.patch(`/api/v1/users/${user.id}`, {
      roles: ['agent', 'specialist'],
      teamIds: [team.id],
      locale: 'en-US',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      roles: ['agent', 'specialist'],
      locale: 'en-US',
      teams: [{ id: team.id }],
    });

    const audit = (
      await admin.get(`/api/v1/audit-events?action=user.update&targetId=${user.id}`)
    ).json().data[0];
    expect(audit.diff.roles).toEqual({ from: ['agent'], to: ['agent', 'specialist'] });
    expect(audit.diff.teamIds).toEqual({ from: [], to: [team.id] });

    const bySpecialist = (await admin.get('/api/v1/users?role=specialist')).json().data;
    expect(bySpecialist.map((u: { id: string }) => u.id)).toContain(user.id);
    const byText = (await admin.get('/api/v1/users?q=filter%20target')).json().data;
    expect(byText).toHaveLength(1);
  });

  it('deactivates (sessions end, sign-in refused) and reactivates', async () => {
    const user = await t.buildUser();
    const session = await t.signIn(user.email);
    const off = await admin.patch(`/api/v1/users/${user.id}`, { active: false });
    expect(off.json().data.active).toBe(false);
    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    expect(
      (await admin.get(`/api/v1/audit-events?action=user.deactivate&targetId=${user.id}`)).json()
        .data,
    ).toHaveLength(1);
    expect(
      (await admin.get('/api/v1/users?active=false')).json().data.map((u: { id: string }) => u.id),
    ).toContain(user.id);

    await admin.patch(`/api/v1/users/${user.id}`, { active: true });
    await t.signIn(user.email);
  });

  it('stops an administrator locking themselves out', async () => {
    const self = await admin.patch(`/api/v1/users/${admin.user.id}`, { active: false });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('cannot_lock_out_self');
    const demote = await admin.patch(`/api/v1/users/${admin.user.id}`, { roles: ['agent'] });
    expect(demote.statusCode).toBe(409);
  });

  it('answers 404 for an unknown user and audits reads of personal data', async () => {
    const missing = await admin.get('/api/v1/users/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    const user = await t.buildUser();
    const supervisor = await t.as('supervisor');
    expect((await supervisor.get(`/api/v1/users/${user.id}`)).statusCode).toBe(200);
    const reads = (
      await admin.get(`/api/v1/audit-events?action=user.read&targetId=${user.id}`)
    ).json().data;
    expect(reads[0].actorId).toBe(supervisor.user.id);
  });

  it('keeps team names unique and counts members', async () => {
    const first = await admin.post('/api/v1/teams', { name: '质检组' });
    expect(first.statusCode).toBe(201);
    const dup = await admin.post('/api/v1/teams', { name: '质检组' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('team_name_taken');
    const id = first.json().data.id;
    await t.buildUser({ teamIds: [id] });
    const renamed = await admin.patch(`/api/v1/teams/${id}`, { description: 'QA group' });
    expect(renamed.json().data).toMatchObject({
      name: '质检组',
      description: 'QA group',
      memberCount: 1,
    });
  });
});
