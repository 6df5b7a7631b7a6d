import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

describe.skipIf(!available)('SLA administration and the risk board (demo workspace)', () => {
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

  const staff = (email: string) =>
    signInStaff(browser, server.url, email, { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

  const text = (page: Page, testId: string) => () => page.getByTestId(testId).innerText();

  it('admin adds a holiday to the default calendar, then previews a complaint before National Day', async () => {
    const page = await staff('admin@kefu.demo');

    await page.getByTestId('nav-admin-sla-calendars').click();
    await page.waitForURL(/\/admin\/sla\/calendars$/);
    await expect.poll(text(page, 'calendars-table')).toContain('中国大陆工作日');
    await expect.poll(text(page, 'calendars-table')).toContain('24×7');
    await page.getByTestId('calendar-link').filter({ hasText: '中国大陆工作日' }).click();
    await page.waitForURL(/\/admin\/sla\/calendars\/[0-9a-f-]{36}$/);
    // The bundled days of the year: National Day is listed.
    await page.getByTestId('days-year').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '2026' })
      .click();
    await expect.poll(text(page, 'days-table')).toContain('2026-10-01');

    // Add a company holiday on the last day of the year.
    await page.getByTestId('add-day-name').fill('公司年会');
    const date = page.getByTestId('add-day-form').locator('.ant-picker input');
    await date.click();
    await date.fill('2026-12-31');
    // Enter confirms the typed date (and may submit the form, which then clears).
    await date.press('Enter');
    if (await date.inputValue()) await page.getByTestId('add-day').click();
    await expect.poll(text(page, 'days-table')).toContain('公司年会');
    await expect.poll(text(page, 'days-table')).toContain('2026-12-31');

    // The week editor refuses an impossible time, on that field.
    await page.getByRole('tab', { name: '每周工作时间' }).click();
    const mondayEnd = page.getByTestId('week-day-1').getByLabel('结束时间').first();
    await mondayEnd.fill('25:00');
    await page.getByTestId('calendar-save').click();
    await expect.poll(text(page, 'week-day-1')).toContain('请输入 HH:MM');

    // Policies: the preview of SPEC chapter 3's example.
    await page.getByTestId('nav-admin-sla-policies').click();
    await page.waitForURL(/\/admin\/sla\/policies$/);
    await expect.poll(text(page, 'policy-editor')).toContain('complaint');
    await page.getByRole('tab', { name: '时效预览' }).click();
    await page.getByTestId('preview-example').click();
    await expect.poll(text(page, 'preview-result'), { timeout: 15_000 }).toContain('投诉登记');
    const result = await page.getByTestId('preview-result').innerText();
    // Received Wed 30 Sep 17:50: 10 working minutes that day, then the holiday until Thu 8 Oct.
    expect(result).toContain('中国大陆工作日');
    expect(result).toContain('2026-10-08 10:50 (+08:00)');

    await page.getByRole('tab', { name: '版本历史' }).click();
    await expect.poll(text(page, 'policy-history')).toContain('v1');
    await page.context().close();
  });

  it('a supervisor opens the risk board; an agent has no entry for it', async () => {
    const page = await staff('supervisor@kefu.demo');
    await page.getByTestId('nav-sla-risk-board').click();
    await page.waitForURL(/\/sla\/risk-board$/);
    await expect.poll(text(page, 'risk-board')).toContain('时效风险看板');
    await expect.poll(text(page, 'risk-board')).toContain('已超时');
    // Counts and lists come from the API; the demo's old tickets have overdue clocks.
    const board = await page.evaluate(() => fetch('/api/v1/sla/risk-board').then((r) => r.json()));
    await expect
      .poll(text(page, 'risk-total-breached'))
      .toContain(String(board.data.totals.breached));
    if (board.data.breached.length > 0) {
      await expect
        .poll(text(page, 'risk-breached-table'))
        .toContain(board.data.breached[0].ticket.number);
    }
    await page.context().close();

    const agent = await staff('agent@kefu.demo');
    await agent.getByTestId('side-menu').waitFor();
    await expect(agent.getByTestId('nav-sla-risk-board').count()).resolves.toBe(0);
    await agent.goto(`${server.url}/sla/risk-board`);
    await expect(
      agent.getByTestId('forbidden').waitFor({ timeout: 15_000 }),
    ).resolves.toBeUndefined();
    await agent.context().close();
  });
});
