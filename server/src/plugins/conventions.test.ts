import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../test/harness.js';

let t: TestContext;
let admin: TestClient;
beforeAll(async () => {
  t = await createTestContext({ KEFU_BODY_LIMIT: 4096 });
  admin = await t.as('admin');
});
afterAll(() => t.close());

const problemShape = {
  type: expect.any(String),
  title: expect.any(String),
  status: expect.any(Number),
  code: expect.any(String),
  requestId: expect.any(String),
};

describe('bad input gets problem+json and changes nothing', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const res = await admin.request('POST', '/api/v1/teams', '{"name": ', {
      'content-type': 'application/json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ ...problemShape, code: 'malformed_json' });
  });

  it('wrong types and unknown fields → 400 with one entry per field', async () => {
    const res = await admin.post('/api/v1/users', {
      email: 'not-an-email',
      name: 42,
      password: 'x'.repeat(12),
      roles: ['wizard'],
      colour: 'red',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('invalid_request');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(body.errors).toContainEqual({
      path: 'colour',
      message: 'is not a known field',
      code: 'unknown_field',
    });
    expect(paths).toEqual(expect.arrayContaining(['email', 'name', 'roles.0', 'colour']));
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
  });

  it('oversized body → 413', async () => {
    const res = await admin.post('/api/v1/teams', { name: 'big', description: 'x'.repeat(10_000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('body_too_large');
  });

  it('unsupported content type → 415', async () => {
    const res = await admin.request('POST', '/api/v1/teams', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.statusCode).toBe(415);
  });

  it('unknown route → 404 problem', async () => {
    const res = await admin.get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('route_not_found');
  });

  it('invalid path parameter → 400 naming it', async () => {
    const res = await admin.get('/api/v1/users/not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('id');
  });

  it('a failed write leaves nothing behind (transaction)', async () => {
    const before = (await admin.get('/api/v1/users?limit=200')).json().data.length;
    const res = await admin.post('/api/v1/users', {
      email: 'half@example.com',
      name: 'Half Written',
      password: 'long-enough-password',
      roles: ['agent'],
      teamIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].path).toBe('teamIds');
    expect((await admin.get('/api/v1/users?limit=200')).json().data.length).toBe(before);
    const audit = await admin.get('/api/v1/audit-events?action=user.create&limit=200');
    expect(
      audit
        .json()
        .data.some((e: { diff: unknown }) => JSON.stringify(e.diff).includes('half@example.com')),
    ).toBe(false);
  });

  it('rate-limits sign-in per address with 429', async () => {
    const limited = await createTestContext({ KEFU_LOGIN_RATE_PER_MINUTE: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push(
          (
            await limited.anonymous.post('/api/v1/auth/sign-in', {
              email: 'a@example.com',
              password: 'nope-nope-nope',
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer and never creates twice', async () => {
    const headers = { 'idempotency-key': 'create-team-support-1' };
    const first = await admin.post('/api/v1/teams', { name: '技术支持' }, headers);
    const retry = await admin.post('/api/v1/teams', { name: '技术支持' }, headers);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().data.id).toBe(first.json().data.id);
    const teams = (await admin.get('/api/v1/teams'))
      .json()
      .data.filter((x: { name: string }) => x.name === '技术支持');
    expect(teams).toHaveLength(1);
  });

  it('refuses the same key with a different body', async () => {
    const headers = { 'idempotency-key': 'create-team-2-abcdef' };
    expect((await admin.post('/api/v1/teams', { name: '售后' }, headers)).statusCode).toBe(201);
    const res = await admin.post('/api/v1/teams', { name: '投诉处理' }, headers);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('idempotency_key_reused');
  });

  it('concurrent retries create one team', async () => {
    const headers = { 'idempotency-key': 'concurrent-key-1234' };
    const results = await Promise.all(
      [1, 2, 3].map(() => admin.post('/api/v1/teams', { name: '质检组' }, headers)),
    );
    // The retries wait for the first request and replay its answer.
    for (const r of results) expect(r.statusCode).toBe(201);
    expect(new Set(results.map((r) => r.json().data.id)).size).toBe(1);
    const teams = (await admin.get('/api/v1/teams'))
      .json()
      .data.filter((x: { name: string }) => x.name === '质检组');
    expect(teams).toHaveLength(1);
  });
});

describe('cursor pagination', () => {
  it('walks every row once and rejects forged cursors', async () => {
    for (let i = 0; i < 7; i++) await t.buildUser();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.get(`/api/v1/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { data: { id: string }[]; nextCursor: string | null };
      seen.push(...body.data.map((u) => u.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(8);
    const forged = await admin.get('/api/v1/users?cursor=bm9wZQ');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_cursor');
  });
});
