import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

describe.skipIf(!available)('search dictionary and compressed pages (demo workspace)', () => {
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

  it('an administrator adds a product name to the search dictionary and removes it', async () => {
    const page = await signInStaff(browser, server.url, 'admin@kefu.demo', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await page.goto(`${server.url}/admin/settings/kb`);
    const words = page.getByTestId('kb-dictionary-words');
    await expect.poll(() => words.innerText()).toContain('还没有添加词语');
    await page.getByTestId('kb-dictionary-word').fill('花呗');
    await page.getByTestId('kb-dictionary-add').click();
    // Adding a word re-indexes the published articles before it answers: slow on a loaded machine.
    await expect.poll(() => words.innerText(), { timeout: 30_000 }).toContain('花呗');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: '/tmp/kefu-search-dictionary-1280.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/kefu-search-dictionary-390.png', fullPage: true });
    await words.locator('.ant-tag-close-icon').first().click();
    await expect.poll(() => words.innerText()).toContain('还没有添加词语');
    await page.context().close();
  });

  it('the help centre loads compressed, hashed assets that are cached as immutable', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const assets: { url: string; encoding?: string; cache?: string }[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/assets/'))
        assets.push({
          url: res.url(),
          encoding: res.headers()['content-encoding'],
          cache: res.headers()['cache-control'],
        });
    });
    const index = await page.goto(`${server.url}/help`);
    expect(index?.headers()['cache-control']).toBe('no-cache');
    await page.waitForLoadState('networkidle');
    const scripts = assets.filter((a) => /\.(js|css)$/.test(a.url));
    expect(scripts.length).toBeGreaterThan(0);
    for (const a of scripts) expect(a.cache, a.url).toBe('public, max-age=31536000, immutable');
    // Files under 1 KB are not precompressed; the entry chunk always is.
    const entry = scripts.find((a) => /\/assets\/index-[^/]+\.js$/.test(a.url));
    expect(entry?.encoding).toMatch(/br|gzip/);
    await context.close();
  });
});
