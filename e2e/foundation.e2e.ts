import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { DEMO_PASSWORD } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

async function signIn(page: Page, url: string, email: string, password: string) {
  await page.goto(`${url}/sign-in`);
  await page.locator('input#email').fill(email);
  await page.locator('input#password').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

describe.skipIf(!available)('foundation in a real browser (demo workspace)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints one URL and the demo sign-in details', () => {
    expect(server.output()).toContain('Kefu 客服 is running at http://localhost:');
    expect(server.output()).toContain('admin@kefu.demo');
  });

  it('admin signs in, switches language, creates an agent; the agent is refused admin pages', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();

    await page.goto(server.url);
    await page.waitForURL(/\/sign-in/);
    await expect.poll(() => page.locator('body').innerText()).toContain('登录');

    await signIn(page, server.url, 'admin@kefu.demo', DEMO_PASSWORD);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('body').innerText()).toContain('Users');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('body').innerText()).toContain('用户');

    await page.getByTestId('nav-admin-users').click();
    await page.waitForURL(/\/admin\/users/);
    await page.getByTestId('create-user').click();
    const dialog = page
      .locator('.ant-modal, .ant-drawer')
      .filter({ has: page.locator('input#email') })
      .last();
    await dialog.locator('input#email').fill('new.agent@kefu.demo');
    await dialog.locator('input#name').fill('新客服 E2E');
    await dialog.locator('input#password').fill('agent-password-2026');
    // The role picker defaults to 一线客服 (agent).
    await expect.poll(() => dialog.getByTestId('user-roles').innerText()).toContain('一线客服');
    await dialog.locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('.ant-table').innerText())
      .toContain('new.agent@kefu.demo');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);

    await signIn(page, server.url, 'new.agent@kefu.demo', 'agent-password-2026');
    await page.goto(`${server.url}/admin/users`);
    await expect(
      page.getByTestId('forbidden').waitFor({ timeout: 15_000 }),
    ).resolves.toBeUndefined();
    await expect(page.getByTestId('nav-admin-users').count()).resolves.toBe(0);
    await context.close();
  });

  it('shuts down gracefully on SIGTERM (exit code 0)', async () => {
    expect(await server.stop()).toBe(0);
  });
});

describe.skipIf(!available)('first-run setup in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '0' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an empty workspace opens the setup page, which creates the first administrator', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForURL(/\/setup/);
    await page.locator('input#name').fill('首任管理员');
    await page.locator('input#email').fill('first.admin@example.com');
    await page.locator('input#password').fill('first-admin-password');
    await page.locator('input#confirm').fill('first-admin-password');
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    expect(me.data.user).toMatchObject({ email: 'first.admin@example.com', roles: ['admin'] });
  });
});
