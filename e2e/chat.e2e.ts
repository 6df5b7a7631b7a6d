import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { DEMO_PASSWORD, signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;

describe.skipIf(!available)('web chat: FAQ answer, then a person', () => {
  let server: RunningServer;
  let browser: Browser;
  /** The customer's own site: another origin than Kefu's, as when the widget is really embedded. */
  let host: Server;
  let hostUrl = '';

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '1' });
    browser = await launchBrowser();
    host = createServer((req, res) => {
      const key = new URL(req.url ?? '/', 'http://host').searchParams.get('key') ?? '';
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
          `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
          `<body><h1>示例商城</h1><script src="${server.url}/widget.js" data-kefu-key="${encodeURIComponent(key)}" async></script></body></html>`,
      );
    });
    await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((done) => host?.close(done));
  });

  async function adminApi() {
    const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@kefu.demo', password: DEMO_PASSWORD }),
    });
    const cookie = /kefu_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    const { csrfToken } = (await res.json()).data;
    return async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return r.json();
    };
  }

  it('a visitor asks in the widget, gets an article, asks for a person; an agent accepts and replies', async () => {
    const api = await adminApi();
    // The test runs at any hour: staffed round the clock, so the handover reaches the queue.
    const calendars = (await api('GET', '/sla/calendars?limit=100')).data as {
      id: string;
      seedKey: string | null;
    }[];
    const always = calendars.find((c) => c.seedKey === '24x7')!;
    await api('PATCH', `/sla/calendars/${always.id}`, { isDefault: true });
    const site = (await api('POST', '/chat/sites', { name: '示例商城' })).data as {
      publicKey: string;
    };

    // The visitor, on a phone.
    const phone = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const visitor = await phone.newPage();
    // Cross-origin, as on a real customer site: CORS on the public chat endpoints is exercised.
    expect(new URL(hostUrl).origin).not.toBe(new URL(server.url).origin);
    await visitor.goto(`${hostUrl}/?key=${site.publicKey}`);
    await visitor.locator('[data-kefu-widget] .btn').click();
    const input = visitor.locator('[data-kefu-widget] textarea');
    await input.fill('如何取消未发货的订单');
    await input.press('Enter');
    const answer = visitor.locator('[data-kefu-widget] .log a').first();
    await answer.waitFor();
    expect(await answer.innerText()).toContain('取消');
    expect(await visitor.locator('[data-kefu-widget] .log').innerText()).toContain('版本');
    if (SHOTS) await visitor.screenshot({ path: `${SHOTS}/chat-widget-390.png` });
    await visitor.locator('[data-kefu-widget] .person').click();
    await visitor.getByText('正在为您转接人工客服').waitFor();
    expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

    // The agent, on a desktop.
    const agent = await signInStaff(browser, server.url, 'agent@kefu.demo', {
      locale: 'zh-CN',
      viewport: { width: 1280, height: 900 },
    });
    await agent.getByTestId('nav-chat').click();
    await agent.getByTestId('chat-waiting-item').first().waitFor();
    if (SHOTS) await agent.screenshot({ path: `${SHOTS}/chat-queue-1280.png`, fullPage: true });
    await agent.getByTestId('chat-accept').first().click();
    await agent.getByTestId('chat-input').waitFor();
    expect(await agent.getByTestId('chat-log').innerText()).toContain('如何取消未发货的订单');
    await agent.getByTestId('chat-input').fill('您好，我来帮您取消订单，请提供订单号。');
    await agent.getByTestId('chat-send').click();

    // The visitor sees it.
    await visitor.getByText('您好，我来帮您取消订单，请提供订单号。').waitFor();
    expect(await visitor.locator('[data-kefu-widget] .log').innerText()).toContain('为您服务');
    if (SHOTS) await visitor.screenshot({ path: `${SHOTS}/chat-widget-agent-390.png` });
    if (SHOTS)
      await agent.screenshot({ path: `${SHOTS}/chat-conversation-1280.png`, fullPage: true });

    // The visitor sends a picture from the widget; the agent sees it.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    await visitor
      .locator('[data-kefu-widget] .file')
      .setInputFiles({ name: '截图.png', mimeType: 'image/png', buffer: png });
    await agent.getByTestId('chat-msg-file').getByText('截图.png').waitFor();

    // The visitor answers; the agent sees it live; the agent ends the chat and the visitor rates it.
    await input.fill('订单号 20260301');
    await input.press('Enter');
    await agent.getByTestId('chat-log').getByText('订单号 20260301').waitFor();
    await agent.getByTestId('chat-close').click();
    await visitor.getByText('请为本次服务评分').waitFor();
    await visitor.locator('[data-kefu-widget] .stars button').nth(4).click();
    await visitor.getByText('感谢您的评价').waitFor();

    // Phone-width queue page, for looking at.
    if (SHOTS) {
      await agent.setViewportSize({ width: 390, height: 844 });
      await agent.screenshot({ path: `${SHOTS}/chat-queue-390.png`, fullPage: true });
      await agent.goto(`${server.url}/admin/chat`);
    }
    await phone.close();
    await agent.context().close();
  });

  it('the admin page shows settings and the embed code', async () => {
    const admin = await signInStaff(browser, server.url, 'admin@kefu.demo', {
      locale: 'zh-CN',
      viewport: { width: 1280, height: 900 },
    });
    await admin.getByTestId('nav-admin-chat').click();
    await admin.getByTestId('chat-concurrency').waitFor();
    // the sites table fills after its own query; the settings form can be there first
    await expect
      .poll(() => admin.getByTestId('chat-admin-page').innerText())
      .toContain('widget.js');
    if (SHOTS) await admin.screenshot({ path: `${SHOTS}/chat-admin-1280.png`, fullPage: true });
    await admin.context().close();
  });
});
