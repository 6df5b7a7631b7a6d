import { createServer, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { startAlertJob } from '../../jobs/alerts.js';
import { secretKeyFor } from '../../lib/secret-box.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { configuredSmsSender } from './settings.js';
import { aliyunSignature } from './sms/aliyun.js';

let t: TestContext;
let admin: TestClient;
let agent: TestClient;
let supervisor: TestClient;
let server: Server;
let base = '';
const seen: { path: string; url: string }[] = [];
/** The SMS gateway's answer; the webhook path always answers 500. */
let smsAnswer = { status: 200, body: '{"Code":"OK","Message":"OK"}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ path: url.pathname, url: req.url ?? '' });
      if (url.pathname === '/hook') res.writeHead(500).end('down');
      else
        res.writeHead(smsAnswer.status, { 'content-type': 'application/json' }).end(smsAnswer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  // The environment says "log" with 8 attempts every 30 s: the admin screen overrides it.
  t = await createTestContext({
    KEFU_SMS_PROVIDER: 'log',
    KEFU_ALERT_MAX_ATTEMPTS: 8,
    KEFU_ALERT_RETRY_SECONDS: 30,
  });
  admin = await t.as('admin');
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
});

afterAll(async () => {
  await t.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const aliyun = () => ({
  provider: 'aliyun',
  accessKeyId: 'LTAI-e2e',
  accessKeySecret: 'aliyun-secret-0123456789',
  signName: '客服中心',
  template: 'SMS_100',
  endpoint: base,
});

describe('SMS and alert-retry settings (admin screen, environment as fallback)', () => {
  it('shows the environment values until something is saved; administrators only', async () => {
    const res = await admin.get('/api/v1/alerts/settings');
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data).toMatchObject({
      sms: { provider: 'log', accessKeySecretSet: false, templateParam: 'content' },
      retry: { maxAttempts: 8, retrySeconds: 30 },
      updatedAt: null,
    });
    expect(data.fromEnvironment).toEqual(
      expect.arrayContaining(['provider', 'templateParam', 'maxAttempts', 'retrySeconds']),
    );
    for (const client of [agent, supervisor]) {
      expect((await client.get('/api/v1/alerts/settings')).statusCode).toBe(403);
      expect((await client.patch('/api/v1/alerts/settings', { sms: {} })).statusCode).toBe(403);
      expect((await client.post('/api/v1/alerts/sms/test', { to: '13912345678' })).statusCode).toBe(
        403,
      );
    }
  });

  it('refuses bad input with 4xx: missing provider settings name the fields', async () => {
    const missing = await admin.patch('/api/v1/alerts/settings', { sms: { provider: 'aliyun' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'sms.accessKeyId',
      'sms.accessKeySecret',
      'sms.signName',
      'sms.template',
    ]);
    const tencent = await admin.patch('/api/v1/alerts/settings', {
      sms: { ...aliyun(), provider: 'tencent' },
    });
    expect(tencent.statusCode).toBe(422);
    expect(tencent.json().errors).toEqual([expect.objectContaining({ path: 'sms.appId' })]);
    for (const body of [
      { retry: { maxAttempts: 0 } },
      { retry: { retrySeconds: 86_401 } },
      { sms: { provider: 'carrier-pigeon' } },
      { sms: { endpoint: 'ftp://x' } },
      { sms: { signName: '' } },
      { other: 1 },
    ])
      expect((await admin.patch('/api/v1/alerts/settings', body)).statusCode).toBe(400);
    expect((await admin.post('/api/v1/alerts/sms/test', { to: 'call me' })).statusCode).toBe(400);
    // Nothing was saved by the refusals.
    expect((await admin.get('/api/v1/alerts/settings')).json().data.updatedAt).toBeNull();
  });

  it('saves Aliyun with the secret sealed and masked; the test SMS goes out signed', async () => {
    const res = await admin.patch('/api/v1/alerts/settings', { sms: aliyun() });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.sms).toMatchObject({
      provider: 'aliyun',
      accessKeyId: 'LTAI-e2e',
      accessKeySecretSet: true,
      accessKeySecretHint: '••••6789',
      signName: '客服中心',
      template: 'SMS_100',
      endpoint: base,
    });
    expect(res.body).not.toContain('aliyun-secret');
    expect(res.json().data.fromEnvironment).not.toContain('provider');
    const [stored] = rowsOf<{ sms_access_key_secret: string }>(
      await t.database.db.execute(sql`SELECT sms_access_key_secret FROM alert_settings`),
    );
    expect(stored!.sms_access_key_secret).toMatch(/^enc:v1:/);
    const audit = rowsOf<{ action: string; diff: unknown }>(
      await t.database.db.execute(
        sql`SELECT action, diff FROM audit_events WHERE target_type = 'alert_settings' ORDER BY at`,
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(['alert_settings.update']);
    expect(JSON.stringify(audit)).not.toMatch(/aliyun-secret|6789/);

    seen.length = 0;
    const sent = await admin.post('/api/v1/alerts/sms/test', { to: '13912345678' });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().data).toEqual({ ok: true, provider: 'aliyun', error: null });
    const params = Object.fromEntries(new URL(seen[0]!.url, base).searchParams);
    const { Signature, ...rest } = params;
    expect(Signature).toBe(aliyunSignature(rest, 'aliyun-secret-0123456789'));
    expect(rest).toMatchObject({
      AccessKeyId: 'LTAI-e2e',
      PhoneNumbers: '13912345678',
      TemplateCode: 'SMS_100',
    });

    // A refusal by the gateway is answered, not thrown.
    smsAnswer = { status: 200, body: '{"Code":"isv.SMS_SIGNATURE_ILLEGAL"}' };
    const refused = await admin.post('/api/v1/alerts/sms/test', { to: '13912345678' });
    expect(refused.json().data).toMatchObject({ ok: false, provider: 'aliyun' });
    expect(refused.json().data.error).toContain('SMS_SIGNATURE_ILLEGAL');
    smsAnswer = { status: 200, body: '{"Code":"OK","Message":"OK"}' };
    const tests = rowsOf<{ diff: unknown }>(
      await t.database.db.execute(
        sql`SELECT diff FROM audit_events WHERE action = 'alert_settings.sms_test'`,
      ),
    );
    expect(tests).toHaveLength(2);
    expect(JSON.stringify(tests)).toContain('139******78');
    expect(JSON.stringify(tests)).not.toContain('13912345678');
  });

  it('keeps the secret when omitted; the jobs send through what is saved, without a restart', async () => {
    const kept = await admin.patch('/api/v1/alerts/settings', { sms: { signName: '服务中心' } });
    expect(kept.json().data.sms).toMatchObject({
      signName: '服务中心',
      accessKeySecretSet: true,
      accessKeySecretHint: '••••6789',
    });
    seen.length = 0;
    const sender = configuredSmsSender(t.database.db, secretKeyFor(t.config), t.config);
    await sender.send({ to: '13800000000', text: 'hi', ref: 'r1' });
    expect(new URL(seen[0]!.url, base).searchParams.get('SignName')).toBe('服务中心');

    // Back to the environment ("log"): nothing reaches the gateway.
    const back = await admin.patch('/api/v1/alerts/settings', { sms: { provider: null } });
    expect(back.json().data.sms.provider).toBe('log');
    expect(back.json().data.fromEnvironment).toContain('provider');
    seen.length = 0;
    await sender.send({ to: '13800000000', text: 'hi', ref: 'r2' });
    expect(seen).toHaveLength(0);
    const viaLog = await admin.post('/api/v1/alerts/sms/test', { to: '+8613912345678' });
    expect(viaLog.json().data).toEqual({ ok: true, provider: 'log', error: null });
  });

  it('the alert job retries as saved: 2 attempts, 10 s back-off', async () => {
    const saved = await admin.patch('/api/v1/alerts/settings', {
      retry: { maxAttempts: 2, retrySeconds: 10 },
    });
    expect(saved.json().data.retry).toEqual({ maxAttempts: 2, retrySeconds: 10 });
    const ch = await admin.post('/api/v1/alerts/channels', {
      name: 'down',
      eventTypes: ['incident'],
      channelType: 'webhook',
      url: `${base}/hook`,
    });
    expect(ch.statusCode).toBe(201);
    await t.database.db.execute(sql`INSERT INTO alert_events (event_type, occurred_at, data)
      VALUES ('incident', ${t.clock.now().toISOString()}::timestamptz, '{}'::jsonb)`);
    const job = startAlertJob({
      db: t.database.db,
      clock: t.clock,
      intervalMs: 0,
      maxAttempts: t.config.KEFU_ALERT_MAX_ATTEMPTS,
      retrySeconds: t.config.KEFU_ALERT_RETRY_SECONDS,
      publicUrl: 'https://kefu.example.com',
      key: secretKeyFor(t.config),
    });
    try {
      expect(await job.runOnce()).toMatchObject({ attempted: 1, delivered: 0 });
      t.clock.advance(9_000);
      expect(await job.runOnce()).toMatchObject({ attempted: 0 });
      t.clock.advance(1_000);
      expect(await job.runOnce()).toMatchObject({ attempted: 1, delivered: 0 });
    } finally {
      await job.stop();
    }
    const log = (await admin.get('/api/v1/alerts/deliveries')).json().data;
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 500 });
  });
});
