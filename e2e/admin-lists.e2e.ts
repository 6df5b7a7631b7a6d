import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { pickOption } from './support/select.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
const PASSWORD = 'first-admin-password';

/**
 * Issue 9: a workspace started without the demo must be configurable from the web app alone —
 * knowledge categories, ticket categories, phrase lists — and the language picked on the
 * sign-in page wins over the profile for that session.
 */
describe.skipIf(!available)('configurable lists in an empty workspace (KEFU_DEMO=0)', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Page;

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '0' });
    browser = await launchBrowser();
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 800 },
    });
    admin = await context.newPage();
    // A step that cannot happen fails with its own message instead of the test's timeout.
    admin.setDefaultTimeout(30_000);
    await admin.goto(server.url);
    await admin.waitForURL(/\/setup/);
    await admin.locator('input#name').fill('首任管理员');
    await admin.locator('input#email').fill('first.admin@example.com');
    await admin.locator('input#password').fill(PASSWORD);
    await admin.locator('input#confirm').fill(PASSWORD);
    await admin.locator('button[type=submit]').click();
    await admin.waitForURL((u) => !u.pathname.startsWith('/setup'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const modal = (page: Page) => page.locator('.ant-modal-wrap:visible .ant-modal').last();
  const names = (page: Page) =>
    page.getByTestId('kb-category-name').evaluateAll((els) => els.map((e) => e.textContent));

  async function newKbCategory(name: string) {
    await admin.getByTestId('kb-category-create').click();
    await modal(admin).locator('input#name').fill(name);
    await modal(admin).locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => names(admin)).toContain(name);
  }

  // 150 s: this file runs first in CI, on a cold browser and server (one CI run timed out at 60 s).
  it('no categories: the new-article modal leads to the category admin, which creates, reorders, renames and archives', async () => {
    await admin.goto(`${server.url}/knowledge`);
    await admin.getByTestId('kb-create').click();
    await admin.getByTestId('kb-new-no-categories').waitFor();
    await admin.getByTestId('kb-new-manage-categories').click();
    await admin.waitForURL(/\/admin\/lists\/kb-categories/);

    await newKbCategory('售后服务');
    await newKbCategory('物流配送');
    expect(await names(admin)).toEqual(['售后服务', '物流配送']);

    await admin.getByTestId('kb-category-up').nth(1).click();
    await expect.poll(() => names(admin)).toEqual(['物流配送', '售后服务']);

    await admin.getByTestId('kb-category-edit').first().click();
    await modal(admin).locator('input#name').fill('物流与配送');
    await modal(admin).locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => names(admin)).toEqual(['物流与配送', '售后服务']);

    await admin.getByTestId('kb-category-archive').nth(1).click();
    await admin.getByTestId('kb-category-restore').waitFor();
    expect(await admin.getByTestId('kb-categories-table').innerText()).toContain('已归档');

    // The new-article modal offers the open category only.
    await admin.goto(`${server.url}/knowledge`);
    await admin.getByTestId('kb-create').click();
    const form = admin.getByTestId('kb-new-form');
    await form.waitFor();
    const options = admin.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // The modal zooms in when it first shows. A forced click aimed mid-animation landed on the
    // mask and closed the modal (then nothing was left to click); an ordinary click waits until
    // the select stands still. Opened again until its dropdown is there.
    const categorySelect = form
      .locator('.ant-select')
      .filter({ has: admin.locator('input#categoryId') });
    await expect
      .poll(
        async () => {
          if (!(await admin.locator('.ant-select-dropdown:visible').count()))
            await categorySelect.click();
          return options.allInnerTexts();
        },
        { timeout: 20_000 },
      )
      .toEqual(['物流与配送']);
    await admin.keyboard.press('Escape');
  }, 150_000);

  it('ticket categories get a default tier; phrase lists explain where they come from; no placeholders in the menu', async () => {
    await admin.goto(`${server.url}/admin/lists/ticket-categories`);
    const table = admin.getByTestId('ticket-categories-table');
    await expect.poll(() => table.innerText()).toContain('投诉');
    await admin.getByTestId('ticket-category-create').click();
    const m = modal(admin);
    await m.locator('input#key').fill('warranty_claim');
    await m.locator('input#labelZh').fill('保修索赔');
    await m.locator('input#labelEn').fill('Warranty claim');
    // Picked again until the select shows it: in CI (this file runs first, on a cold browser)
    // one pick once did not register and the category was saved with the default tier.
    await expect
      .poll(
        async () => {
          const shown = await m.getByTestId('ticket-category-tier-select').innerText();
          if (!shown.includes('L2')) {
            if (!(await admin.locator('.ant-select-dropdown:visible').count()))
              await m.getByTestId('ticket-category-tier-select').click();
            await pickOption(admin, 'L2');
          }
          return m.getByTestId('ticket-category-tier-select').innerText();
        },
        { timeout: 20_000 },
      )
      .toContain('L2');
    await m.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => table.innerText()).toContain('保修索赔');
    const created = await admin.evaluate(() =>
      fetch('/api/v1/ticket-categories').then((r) => r.json()),
    );
    expect(created.data.find((c: { key: string }) => c.key === 'warranty_claim')).toMatchObject({
      labelEn: 'Warranty claim',
      defaultTier: 'L2',
      active: true,
    });

    await admin.getByTestId('lists-tab-phrases').click();
    await admin.getByTestId('phrases-empty').waitFor();

    expect(await admin.getByTestId('nav-quality').count()).toBe(0);
    // Reports are built (issue 12): their entry shows for an administrator.
    expect(await admin.getByTestId('nav-reports').count()).toBe(1);
    await admin.goto(`${server.url}/quality`);
    await admin.getByTestId('not-found').waitFor();
  }, 150_000);

  it('the language picked on the sign-in page wins for the session and is offered for the profile', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByTestId('lang-switch').click(); // → English
    await page.locator('input#email').fill('first.admin@example.com');
    await page.locator('input#password').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    // The profile says zh-CN; the session stays English and says so.
    const offer = page.getByTestId('locale-offer');
    await offer.waitFor();
    expect(await offer.innerText()).toContain('English is used for this session');
    expect(await page.getByTestId('side-menu').innerText()).toContain('Knowledge');

    await page.getByTestId('locale-offer-save').click();
    await offer.waitFor({ state: 'detached' });
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    expect(me.data.user.locale).toBe('en-US');

    // The header switch changes the session only, and offers again.
    await page.getByTestId('lang-switch').click();
    await offer.waitFor();
    expect(await page.getByTestId('side-menu').innerText()).toContain('知识库');
    const after = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    expect(after.data.user.locale).toBe('en-US');
    await page.getByTestId('locale-offer-dismiss').click();
    await offer.waitFor({ state: 'detached' });
    await page.context().close();
  });
});
