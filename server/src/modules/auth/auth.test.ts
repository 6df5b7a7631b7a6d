import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  TEST_PASSWORD,
  TestClient,
  type TestContext,
} from '../../test/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({
    KEFU_LOGIN_MAX_FAILURES: 3,
    KEFU_LOGIN_LOCK_MINUTES: 15,
    KEFU_SESSION_TTL_HOURS: 12,
  });
});
afterAll(() => t.close());

describe('sign-in and sessions', () => {
  it('signs in, sets an HttpOnly SameSite=Lax cookie, and answers /me with abilities', async () => {
    const user = await t.buildUser({
      roles: ['agent'],
      email: 'Agent.One@Example.com'.toLowerCase(),
    });
    const res = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: 'AGENT.ONE@example.com',
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/kefu_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(res.json().data.user.id).toBe(user.id);

    const client = await t.signIn(user.email);
    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().data.user.email).toBe(user.email);
    expect(me.json().data.abilities['users.create']).toBe(false);
    expect(me.json().data.abilities['profile.read']).toBe(true);
  });

  it('refuses wrong credentials with 401 problem+json and locks after repeated failures', async () => {
    const user = await t.buildUser();
    for (let i = 0; i < 3; i++) {
      const res = await t.anonymous.post('/api/v1/auth/sign-in', {
        email: user.email,
        password: 'wrong-password!',
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('invalid_credentials');
    }
    const locked = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: user.email,
      password: TEST_PASSWORD,
    });
    // Locked, even with the right password — and the very answer an unknown email gets.
    const unknown = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: 'nobody-at-all@example.com',
      password: TEST_PASSWORD,
    });
    expect(locked.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: 0, instance: 0 });
    expect(strip(locked.json())).toEqual(strip(unknown.json()));
    expect(locked.headers['retry-after']).toBeUndefined();

    t.clock.advance(15 * 60_000 + 1000);
    const again = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: user.email,
      password: TEST_PASSWORD,
    });
    expect(again.statusCode).toBe(200);
  });

  it('counts parallel wrong passwords one by one, then refuses the right one', async () => {
    const user = await t.buildUser();
    const tries = await Promise.all(
      Array.from({ length: 9 }, () =>
        t.anonymous.post('/api/v1/auth/sign-in', { email: user.email, password: 'wrong-guess-1' }),
      ),
    );
    expect(tries.map((r) => r.statusCode)).toEqual(Array(9).fill(401));
    const right = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: user.email,
      password: TEST_PASSWORD,
    });
    expect(right.statusCode).toBe(401);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await t.signIn(user.email)).cookie).toBeTruthy();
  });

  it('does not reveal whether an email exists', async () => {
    const res = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: 'nobody@example.com',
      password: 'whatever-123',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
  });

  it('ends the session on sign-out and on expiry', async () => {
    const user = await t.buildUser();
    const client = await t.signIn(user.email);
    expect((await client.post('/api/v1/auth/sign-out')).statusCode).toBe(204);
    const after = await client.get('/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('session_expired');

    const second = await t.signIn(user.email);
    t.clock.advance(13 * 3_600_000);
    expect((await second.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('does not take a session secret for an API token, even while the session is cached', async () => {
    const client = await t.signIn((await t.buildUser()).email);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200); // now in the principal cache
    const secret = /kefu_session=([^;]+)/.exec(client.cookie ?? '')?.[1];
    expect(secret).toBeTruthy();
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('invalid_token');
    }
  });

  it('requires the CSRF token for cookie-authenticated writes', async () => {
    const client = await t.as('agent');
    const noToken = new TestClient(t.app, client.cookie);
    const res = await noToken.patch('/api/v1/me', { name: 'X' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
    const wrong = new TestClient(t.app, client.cookie, 'not-the-token');
    expect((await wrong.patch('/api/v1/me', { name: 'X' })).statusCode).toBe(403);
    expect(
      (await client.patch('/api/v1/me', { name: 'Renamed', locale: 'en-US' })).json().data,
    ).toMatchObject({
      name: 'Renamed',
      locale: 'en-US',
    });
  });

  it('refuses deactivated users at sign-in', async () => {
    const admin = await t.as('admin');
    const user = await t.buildUser();
    const victim = await t.signIn(user.email);
    expect((await admin.patch(`/api/v1/users/${user.id}`, { active: false })).statusCode).toBe(200);
    expect((await victim.get('/api/v1/me')).statusCode).toBe(401);
    const res = await t.anonymous.post('/api/v1/auth/sign-in', {
      email: user.email,
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('account_deactivated');
  });
});

describe('password change', () => {
  it('enforces the policy, checks the current password, and ends other sessions', async () => {
    const user = await t.buildUser();
    const here = await t.signIn(user.email);
    const elsewhere = await t.signIn(user.email);

    const short = await here.post('/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().errors[0].path).toBe('newPassword');

    const wrong = await here.post('/api/v1/me/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'a-good-new-password',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].path).toBe('currentPassword');

    const ok = await here.post('/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-good-new-password',
    });
    expect(ok.statusCode).toBe(204);
    expect((await here.get('/api/v1/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/v1/me')).statusCode).toBe(401);
    await t.signIn(user.email, 'a-good-new-password');
  });

  it('revokes the user’s API tokens', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/v1/me/api-tokens', {
      name: 'integration',
      scopes: ['users:read'],
      expiresInDays: 30,
    });
    const bot = new TestClient(t.app, undefined, undefined, created.json().data.secret);
    expect((await bot.get('/api/v1/users')).statusCode).toBe(200);
    const ok = await admin.post('/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-fresh-password-42',
    });
    expect(ok.statusCode).toBe(204);
    const refused = await bot.get('/api/v1/users');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('invalid_token');
    expect((await admin.get('/api/v1/me/api-tokens')).json().data).toEqual([]);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, scoped, expire and can be revoked', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/v1/me/api-tokens', {
      name: 'CRM sync',
      scopes: ['users:read'],
      expiresInDays: 1,
    });
    expect(created.statusCode).toBe(201);
    const { secret, token } = created.json().data;
    expect(secret).toMatch(/^kefu_/);
    expect(JSON.stringify((await admin.get('/api/v1/me/api-tokens')).json())).not.toContain(secret);

    const bot = new TestClient(t.app, undefined, undefined, secret);
    expect((await bot.get('/api/v1/users')).statusCode).toBe(200);
    const noScope = await bot.post('/api/v1/teams', { name: 'Bots' });
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().code).toBe('insufficient_scope');
    // Tokens cannot mint tokens, even with every scope.
    expect((await bot.get('/api/v1/me/api-tokens')).statusCode).toBe(403);

    expect((await admin.delete(`/api/v1/me/api-tokens/${token.id}`)).statusCode).toBe(204);
    const revoked = await bot.get('/api/v1/users');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('invalid_token');

    const second = (
      await admin.post('/api/v1/me/api-tokens', {
        name: 'short',
        scopes: ['users:read'],
        expiresInDays: 1,
      })
    ).json().data;
    t.clock.advance(86_400_000 + 1);
    expect(
      (await new TestClient(t.app, undefined, undefined, second.secret).get('/api/v1/users'))
        .statusCode,
    ).toBe(401);
  });

  it('rejects unknown scopes with a field error', async () => {
    const admin = await t.as('admin');
    const res = await admin.post('/api/v1/me/api-tokens', {
      name: 'x',
      scopes: ['everything'],
      expiresInDays: 1,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { path: 'scopes', message: 'unknown scope(s): everything', code: 'unknown_scope' },
    ]);
  });
});
