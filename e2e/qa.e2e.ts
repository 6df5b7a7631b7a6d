import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;

describe.skipIf(!available)('quality inspection (demo workspace)', () => {
  let server: RunningServer;
  let browser: Browser;
  let ticketNumber = '';

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const staff = (email: string, width = 1280) =>
    signInStaff(browser, server.url, email, {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width, height: 900 },
    });
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it('an inspector draws the sample, scores an item of 李小红 (draft, then submit)', async () => {
    const page = await staff('qa@kefu.demo');
    await page.getByTestId('nav-qa').click();
    await page.waitForURL(/\/qa$/);
    // The demo tickets span the last weeks: draw this week and the two before.
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('qa-draw-week').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').nth(i).click();
      await page.getByTestId('qa-draw').click();
      await page.locator('.ant-message-notice').last().waitFor();
    }
    const row = page.locator('[data-testid^="qa-item-"]').filter({ hasText: '李小红' }).first();
    await row.waitFor();
    ticketNumber = ((await row.getAttribute('data-testid')) ?? '').replace('qa-item-', '');
    expect(ticketNumber).not.toBe('');
    await row.click();
    await page.getByTestId('qa-timeline').waitFor();
    const score = (key: string, v: number) =>
      page.getByTestId(`qa-score-${key}-${v}`).locator('xpath=ancestor::label[1]').click();
    await score('attitude', 3);
    await page.getByTestId('qa-comment-attitude').fill('语气可以更热情');
    await page.getByTestId('qa-save').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('草稿已保存');
    for (const [key, v] of [
      ['timeliness', 5],
      ['resolution', 5],
      ['accuracy', 5],
      ['script', 5],
      ['no_violation', 1],
    ] as const)
      await score(key, v);
    await shot(page, 'qa-workspace-1280');
    await page.getByTestId('qa-submit').click();
    await expect.poll(() => page.getByTestId('qa-total').innerText()).toContain('总分 90');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'qa-workspace-390');
    await page.context().close();
  });

  it('the agent sees the result and appeals it; a supervisor upholds the appeal', async () => {
    const page = await staff('agent@kefu.demo');
    await page.getByTestId('nav-qa').click();
    await page.waitForURL(/\/qa$/);
    await page.getByTestId('qa-tab-results').click();
    await expect
      .poll(() => page.getByTestId(`qa-result-total-${ticketNumber}`).innerText())
      .toBe('90');
    await page.getByTestId(`qa-appeal-${ticketNumber}`).click();
    await page.getByTestId('qa-appeal-reason').fill('客户当时情绪激动，我已尽力安抚');
    await page.getByTestId('qa-appeal-confirm').click();
    await expect
      .poll(() => page.getByTestId(`qa-appeal-status-${ticketNumber}`).innerText())
      .toContain('待处理');
    await shot(page, 'qa-results-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'qa-results-390');
    expect(await page.getByTestId('qa-tab-workspace').count()).toBe(0);
    await page.context().close();

    const sup = await staff('supervisor@kefu.demo');
    await sup.goto(`${server.url}/qa`);
    await sup.getByTestId('qa-tab-appeals').click();
    await sup.getByTestId(`qa-decide-${ticketNumber}`).click();
    // check() verifies the radio took the click (a click during the modal's opening animation can be lost).
    await sup.locator('.ant-modal').getByRole('radio', { name: '申诉成立' }).check();
    await sup.locator('.ant-modal textarea').fill('情有可原');
    await sup.getByTestId('qa-decide-confirm').click();
    await expect.poll(() => sup.getByTestId('qa-appeals').innerText()).toContain('申诉成立');
    await sup.context().close();
  });
  it('an administrator changes a QA setting and saves a new scorecard version', async () => {
    const page = await staff('admin@kefu.demo');
    await page.getByTestId('nav-admin-qa').click();
    await page.waitForURL(/\/admin\/qa$/);
    const days = page.getByTestId('qa-admin-appealWorkingDays');
    await expect.poll(() => days.inputValue()).toBe('3');
    await days.fill('5');
    await page.getByTestId('qa-admin-settings-save').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('设置已保存');
    await page.getByTestId('qa-admin-add-criterion').click();
    const last = (await page.locator('[data-testid^="qa-admin-criterion-"]').count()) - 1;
    await page.getByTestId(`qa-admin-key-${last}`).fill('empathy');
    await page.getByTestId(`qa-admin-label-${last}`).fill('共情能力');
    await page.getByTestId('qa-admin-reason').fill('增加共情能力');
    await page.getByTestId('qa-admin-scorecard-save').click();
    await expect
      .poll(() => page.getByTestId('qa-admin-versions').innerText())
      .toContain('增加共情能力');
    await shot(page, 'qa-admin-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'qa-admin-390');
    await page.context().close();
  });
});
