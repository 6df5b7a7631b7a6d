import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { testConfig } from '../config.js';
import { ManualClock } from '../lib/clock.js';
import { createTestDatabase, TestClient } from '../test/harness.js';
import type { FastifyInstance } from 'fastify';

let app: FastifyInstance;
let drop: () => Promise<void>;
let logs = '';

beforeAll(async () => {
  const handle = await createTestDatabase();
  drop = handle.drop;
  const stream = new PassThrough();
  stream.on('data', (chunk) => (logs += String(chunk)));
  app = await buildApp({
    database: handle.database,
    clock: new ManualClock(),
    config: testConfig({ KEFU_LOG_LEVEL: 'trace' }),
    logStream: stream,
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await drop();
});

describe('logs', () => {
  it('carry request ids and never passwords, session secrets or API tokens', async () => {
    const password = 'Sup3r-Secret-Passw0rd';
    const setup = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { name: 'Boss', email: 'boss@example.com', password },
      headers: { 'x-request-id': 'log-test-1' },
    });
    expect(setup.statusCode).toBe(201);
    const secret = setup.cookies.find((c) => c.name === 'kefu_session')!.value;
    const admin = new TestClient(app, `kefu_session=${secret}`, setup.json().data.csrfToken);
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'boss@example.com', password: 'Wrong-Passw0rd-123' },
    });
    const token = (
      await admin.post('/api/v1/me/api-tokens', { name: 't', scopes: ['users:read'] })
    ).json().data.secret as string;
    await new TestClient(app, undefined, undefined, token).get('/api/v1/users');
    await admin.post('/api/v1/me/password', {
      currentPassword: password,
      newPassword: 'An0ther-Secret-Pass',
    });

    // Access logs keep the path, not the query string (searches carry phones and emails).
    await admin.get('/api/v1/customers?phone=13912345678&email=who%40example.com');
    await admin.get('/api/v1/customers?q=%00');

    expect(logs).toContain('log-test-1');
    expect(logs).toContain('/api/v1/customers?…');
    expect(logs).not.toContain('13912345678');
    expect(logs).not.toContain('who%40example.com');
    for (const secretValue of [
      password,
      'Wrong-Passw0rd-123',
      'An0ther-Secret-Pass',
      secret,
      token,
    ]) {
      expect(logs).not.toContain(secretValue);
    }
  });
});
