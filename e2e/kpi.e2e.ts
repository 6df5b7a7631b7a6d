import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

/** Two months before the current one in Asia/Shanghai: the demo's campaign month (kpi/demo.ts). */
function demoMonth(): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - 2;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** The <input> of an antd field whose test id may sit on the input or on its wrapper. */
async function inputOf(field: Locator): Promise<Locator> {
  const tag = await field.first().evaluate((e) => e.tagName);
  return tag === 'INPUT' ? field.first() : field.first().locator('input').first();
}

describe.skipIf(!available)('KPI assessment (demo workspace)', () => {
  let server: RunningServer;
  let browser: Browser;
  const month = demoMonth();

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
  const pickMonth = async (page: Page) => {
    const input = await inputOf(page.getByTestId('kpi-month'));
    await input.click();
    await input.fill(month);
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe(month);
  };

  it('an administrator sets a CSAT warning floor: a new version of the targets', async () => {
    const page = await staff('admin@kefu.demo');
    await page.getByTestId('nav-admin-kpi-targets').click();
    await page.waitForURL(/\/admin\/kpi\/targets$/);
    const floor = await inputOf(page.getByTestId('kpi-floor-csat'));
    await expect
      .poll(async () => (await inputOf(page.getByTestId('kpi-target-csat'))).inputValue())
      .toBe('90');
    await floor.fill('88');
    await page.getByTestId('kpi-targets-reason').fill('满意度低于 88 分给予书面警告');
    await page.getByTestId('kpi-targets-save').click();
    await expect
      .poll(async () => page.locator('.ant-table').last().innerText())
      .toContain('满意度低于 88 分给予书面警告');
    await page.context().close();
  });

  it('a supervisor runs the month, sees a Service Star and a warning, and signs the snapshot', async () => {
    const page = await staff('supervisor@kefu.demo');
    await page.getByTestId('nav-kpi').click();
    await page.waitForURL(/\/kpi$/);
    await pickMonth(page);
    await expect.poll(text(page, 'kpi-empty')).toContain(month);
    await page.getByTestId('kpi-run').click();
    await expect.poll(text(page, 'kpi-snapshot-status'), { timeout: 20_000 }).toContain('草稿');
    await expect.poll(text(page, 'kpi-stars')).toContain('李小红');
    await expect.poll(text(page, 'kpi-warnings')).toContain('Chen Wei');
    expect(await page.getByTestId('kpi-warnings').innerText()).toContain('满意度');
    // The CSAT cells: green for the star, red below the floor.
    const statuses = await page
      .getByTestId('kpi-agents')
      .locator('[data-testid="kpi-cell-csat"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-status')));
    expect(statuses).toEqual(expect.arrayContaining(['met', 'below_floor']));
    await expect.poll(text(page, 'kpi-trend-subject')).toContain('王主管');
    // The trend's numbers as a table: this month's row carries the CSAT column.
    await page.getByTestId('kpi-trend-view').getByText('表格').click();
    const trendTable = page.getByTestId('kpi-trend-table');
    await expect.poll(() => trendTable.innerText()).toContain(month);
    expect(await trendTable.innerText()).toContain('满意度');

    await page.getByTestId('kpi-sign').click();
    await page.getByTestId('kpi-sign-note').fill('已与两位坐席确认');
    await page.getByTestId('kpi-sign-confirm').click();
    await expect.poll(text(page, 'kpi-snapshot-status')).toContain('已签核');
    await expect.poll(text(page, 'kpi-snapshot')).toContain('已与两位坐席确认');
    // Signed: it can only be corrected now.
    expect(await page.getByTestId('kpi-sign').count()).toBe(0);
    await expect.poll(() => page.getByTestId('kpi-correct').count()).toBe(1);
    await page.context().close();
  });

  it('an agent sees only their own row, and cannot run or sign', async () => {
    const page = await staff('agent@kefu.demo');
    await page.getByTestId('nav-kpi').click();
    await page.waitForURL(/\/kpi$/);
    await pickMonth(page);
    await expect.poll(text(page, 'kpi-agents')).toContain('李小红');
    expect(await page.getByTestId('kpi-agents').innerText()).not.toContain('Chen Wei');
    expect(await page.getByTestId('kpi-run').count()).toBe(0);
    expect(await page.getByTestId('kpi-sign').count()).toBe(0);
    expect(await page.getByTestId('nav-admin-kpi-targets').count()).toBe(0);
    await page.context().close();
  });
});
