import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { helpSearch as searchHelp } from './support/help.js';
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

  /** Opens the public help centre and searches it. */
  async function helpSearch(page: Page, q: string): Promise<string> {
    await page.goto(`${server.url}/help`);
    return searchHelp(page, q);
  }

  it('an administrator gives a word synonyms; the help centre finds its article by a synonym', async () => {
    // The demo's payments FAQ names 借记卡 but never 储蓄卡 nor 扣账卡.
    const article = '支持哪些付款方式';
    const guest = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    expect(await helpSearch(guest, '储蓄卡')).not.toContain(article);
    expect(await helpSearch(guest, '扣账卡')).not.toContain(article);

    const page = await signInStaff(browser, server.url, 'admin@kefu.demo', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await page.goto(`${server.url}/admin/settings/kb`);
    const words = page.getByTestId('kb-dictionary-words');
    await expect.poll(() => words.innerText()).toContain('还没有添加词语');

    // The word and one synonym (typed, then Enter) in one go.
    await page.getByTestId('kb-dictionary-word').fill('借记卡');
    const synonyms = page.getByTestId('kb-dictionary-synonyms').locator('input');
    await synonyms.fill('储蓄卡');
    await synonyms.press('Enter');
    await expect
      .poll(() => page.getByTestId('kb-dictionary-synonyms').innerText())
      .toContain('储蓄卡');
    await page.getByTestId('kb-dictionary-add').click();
    // Adding re-indexes the articles containing the word or a synonym: slow on a loaded machine.
    await page.getByText('已添加，重新索引了').first().waitFor({ timeout: 30_000 });
    const entry = page.getByTestId('kb-dictionary-entry-借记卡');
    await expect.poll(() => entry.innerText()).toBe('借记卡 = 储蓄卡');
    // The form is empty again for the next word.
    expect(await page.getByTestId('kb-dictionary-synonyms').innerText()).not.toContain('储蓄卡');

    // A search for the synonym finds the article that names the word.
    expect(await helpSearch(guest, '储蓄卡')).toContain(article);

    // Click the entry: the modal shows its synonyms.
    await entry.getByRole('button', { name: '借记卡 = 储蓄卡' }).click();
    const modal = page.getByRole('dialog');
    await expect.poll(() => modal.innerText()).toContain('“借记卡”的同义词');
    const edit = page.getByTestId('kb-dictionary-edit-synonyms');
    await expect.poll(() => edit.innerText()).toContain('储蓄卡');

    // The word itself is refused, before anything is sent; the modal stays open.
    await edit.locator('input').fill('借记卡');
    await edit.locator('input').press('Enter');
    await page.getByTestId('kb-dictionary-save-synonyms').click();
    await expect.poll(() => modal.innerText()).toContain('同义词不能与词语本身相同');
    await edit
      .locator('.ant-select-selection-item', { hasText: '借记卡' })
      .locator('.ant-select-selection-item-remove')
      .click();

    // A second synonym, typed with a separator (、 ends a synonym as Enter does).
    await edit.locator('input').fill('扣账卡、');
    await expect.poll(() => edit.innerText()).toContain('扣账卡');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: '/tmp/kefu-dictionary-modal-1280.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/kefu-dictionary-modal-390.png' });
    await page.getByTestId('kb-dictionary-save-synonyms').click();
    await page.getByText('同义词已保存').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => modal.count()).toBe(0);
    await expect.poll(() => entry.innerText()).toBe('借记卡 = 储蓄卡、扣账卡');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: '/tmp/kefu-dictionary-synonyms-1280.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/kefu-dictionary-synonyms-390.png', fullPage: true });

    // The new synonym finds the article too.
    expect(await helpSearch(guest, '扣账卡')).toContain(article);

    // Removing the word removes its synonyms from search.
    await entry.locator('.ant-tag-close-icon').click();
    await expect.poll(() => words.innerText()).toContain('还没有添加词语');
    expect(await helpSearch(guest, '储蓄卡')).not.toContain(article);
    await guest.context().close();
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

  it('the API docs page shows the operations; its script and document arrive compressed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers: Response[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/docs') && res.status() === 200) answers.push(res);
    });
    await page.goto(`${server.url}/api/docs`);
    await page.locator('.opblock-tag', { hasText: 'tickets' }).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    // Bodies read once the page has settled (not in the listener, which nothing awaits).
    const big: { url: string; encoding?: string }[] = [];
    for (const res of answers)
      if ((await res.body()).length >= 1024)
        big.push({ url: res.url(), encoding: res.headers()['content-encoding'] });
    expect(big.map((b) => b.url)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/api/docs/static/swagger-ui-bundle.js'),
        expect.stringContaining('/api/docs/json'),
      ]),
    );
    for (const b of big) expect(b.encoding, b.url).toMatch(/^(br|gzip)$/);
    await context.close();
  });
});
