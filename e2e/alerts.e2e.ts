import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../server/src/modules/alerts/rules/signing.js';
import { aliyunSignature } from '../server/src/modules/alerts/sms/aliyun.js';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;

describe.skipIf(!available)('staff alerts: an admin adds a signed webhook and test-sends', () => {
  let server: RunningServer;
  let browser: Browser;
  let receiver: Server;
  let hookUrl = '';
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  /** Requests that reached the fake Aliyun SMS gateway. */
  const sms: URL[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (req.url?.startsWith('/sms/')) {
          sms.push(new URL(req.url, 'http://x'));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"Code":"OK"}');
          return;
        }
        got.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const a = receiver.address();
    hookUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/kefu-alerts`;
    server = await startServer({ KEFU_DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise<void>((r) => receiver?.close(() => r()));
  });

  const text = (page: Page, testId: string) => () => page.getByTestId(testId).innerText();

  it('saves the channel with its secret masked; the test message arrives signed and is logged', async () => {
    const admin = await signInStaff(browser, server.url, 'admin@kefu.demo', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await admin.getByTestId('nav-admin-alerts').click();
    await admin.waitForURL(/\/admin\/alerts$/);
    await expect.poll(text(admin, 'channels-table')).toContain('尚未配置告警通道');

    await admin.getByTestId('create-channel').click();
    await admin.getByTestId('channel-name').fill('值班 Webhook');
    await admin.getByTestId('channel-type').getByText('Webhook').click();
    await admin.getByTestId('channel-url').fill(hookUrl);
    await admin.getByTestId('channel-secret').fill('whsec-e2e-0123456789');
    await admin.getByTestId('channel-save').click();
    await expect.poll(text(admin, 'channels-table')).toContain('值班 Webhook');
    const table = await admin.getByTestId('channels-table').innerText();
    expect(table).toContain('••••6789');
    expect(table).not.toContain('whsec-e2e');

    await admin.getByTestId('test-channel').click();
    // The demo server runs its sweepers on the real clock: a live alert (an SLA warning on a demo
    // ticket) can reach the new channel beside the test message, so look for the test message.
    const isTest = (r: { body: string }) =>
      (JSON.parse(r.body) as { event?: string }).event === 'test';
    await expect.poll(() => got.filter(isTest).length).toBe(1);
    const req = got.find(isTest);
    expect(
      verifyWebhookSignature(
        'whsec-e2e-0123456789',
        req!.headers['x-kefu-timestamp'] as string,
        req!.body,
        req!.headers['x-kefu-signature'] as string,
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    expect(JSON.parse(req!.body)).toMatchObject({ event: 'test' });
    await expect.poll(text(admin, 'deliveries-table')).toContain('已送达');
    expect(await admin.getByTestId('deliveries-table').innerText()).toContain('204');
    if (SHOTS) await admin.screenshot({ path: `${SHOTS}/alerts-1280.png`, fullPage: true });
    if (SHOTS) {
      await admin.setViewportSize({ width: 390, height: 844 });
      await admin.screenshot({ path: `${SHOTS}/alerts-390.png`, fullPage: true });
    }
    await admin.context().close();
  });

  it('SMS and retry settings: Aliyun saved with its secret masked, a signed test SMS, retries changed', async () => {
    const admin = await signInStaff(browser, server.url, 'admin@kefu.demo', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await admin.goto(`${server.url}/admin/alerts`);
    const card = admin.getByTestId('sms-settings');
    await expect.poll(() => card.innerText()).toContain('短信与重试');
    // Until saved, the environment's values show as such.
    expect(await card.innerText()).toContain('环境变量');

    await admin.getByTestId('sms-provider').getByText('阿里云短信').click();
    await admin.getByTestId('sms-settings-save').click();
    // The server names what Aliyun cannot do without, on the fields.
    await expect.poll(() => card.innerText()).toContain('所选服务商需要此项');

    await admin.getByTestId('sms-access-key-id').fill('LTAI-e2e');
    await admin.getByTestId('sms-access-key-secret').fill('aliyun-e2e-secret-4321');
    await admin.getByTestId('sms-sign-name').fill('客服中心');
    await admin.getByTestId('sms-template').fill('SMS_100');
    await admin.getByTestId('sms-endpoint').fill(hookUrl.replace('/kefu-alerts', '/sms/'));
    await admin.getByTestId('alert-max-attempts').fill('3');
    await admin.getByTestId('sms-settings-save').click();
    await expect.poll(() => card.innerText()).toContain('••••4321');
    expect(await admin.content()).not.toContain('aliyun-e2e-secret');

    await admin.getByTestId('sms-test-phone').fill('13912345678');
    await admin.getByTestId('sms-test').click();
    await expect.poll(() => sms.length).toBe(1);
    const params = Object.fromEntries(sms[0]!.searchParams);
    const { Signature, ...rest } = params;
    expect(Signature).toBe(aliyunSignature(rest, 'aliyun-e2e-secret-4321'));
    expect(rest).toMatchObject({ AccessKeyId: 'LTAI-e2e', PhoneNumbers: '13912345678' });
    await expect.poll(() => admin.locator('.ant-message').innerText()).toContain('阿里云短信');

    // Saved across a reload: the attempts, and the secret still only as its hint.
    await admin.reload();
    await expect.poll(() => admin.getByTestId('alert-max-attempts').inputValue()).toBe('3');
    expect(await admin.getByTestId('sms-access-key-secret').inputValue()).toBe('');
    if (SHOTS) await admin.screenshot({ path: `${SHOTS}/alerts-sms-1280.png`, fullPage: true });
    await admin.context().close();
  });
});
