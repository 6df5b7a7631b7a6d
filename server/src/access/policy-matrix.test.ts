import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../test/harness.js';
import type { Actor } from './actor.js';
import { ROLES, type Role } from './roles.js';

/**
 * Walks every /api/v1 route for every role: a role the policy allows must get past
 * authorisation (any status but 401/403), every other role gets 403, and anonymous callers
 * get 401. A route without a declared policy cannot even be registered (see plugins/auth.ts).
 */
let t: TestContext;
const emails = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestContext();
  for (const role of ROLES) emails.set(role, (await t.buildUser({ roles: [role] })).email);
});
afterAll(() => t.close());

const sample = (url: string) => url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000');
const fakeActor = (role: Role): Actor => ({
  userId: 'x',
  name: 'x',
  email: 'x',
  roles: [role],
  teamIds: [],
  via: 'session',
  principalKey: 'x',
});

describe('role × route matrix', () => {
  it('every /api/v1 route declares a permission or is explicitly public', () => {
    expect(t.app.apiRoutes.length).toBeGreaterThan(10);
    for (const r of t.app.apiRoutes)
      expect(r.public || r.permission, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('anonymous callers get 401 on every non-public route', async () => {
    for (const r of t.app.apiRoutes.filter((x) => !x.public)) {
      const res = await t.anonymous.request(
        r.method as 'GET',
        sample(r.url),
        r.method === 'GET' ? undefined : {},
      );
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  for (const role of ROLES) {
    it(`role ${role} is allowed exactly what the policies say`, async () => {
      let client = await t.signIn(emails.get(role)!);
      for (const r of t.app.apiRoutes.filter((x) => !x.public && x.permission)) {
        const res = await client.request(
          r.method as 'GET',
          sample(r.url),
          r.method === 'GET' ? undefined : {},
        );
        const allowed = r.permission!.allow(fakeActor(role));
        if (allowed)
          expect([401, 403], `${role} ${r.method} ${r.url} → ${res.statusCode}`).not.toContain(
            res.statusCode,
          );
        else expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
        // Signing in hashes a password (slow by design): start a new session only when a route
        // (sign-out) may have ended this one.
        if (r.url.includes('sign-out')) client = await t.signIn(emails.get(role)!);
      }
    });
  }
});
