import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { DEMO_PASSWORD, signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;

/** The current month in Asia/Shanghai: the demo tickets (three complaints) are received in it. */
function currentMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .slice(0, 7);
}

describe.skipIf(!available)('reports: the month, a red cell, its tickets, the Excel', () => {
  let server: RunningServer;
  let browser: Browser;
  const month = currentMonth();

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

  it('opens the month, clicks a red cell and lands on exactly its tickets', async () => {
    const page = await staff('admin@kefu.demo');
    await page.getByTestId('nav-reports').click();
    await page.waitForURL(/\/reports/);
    // Filters live in the URL: a shared link opens the same month.
    await page.goto(`${server.url}/reports?month=${month}`);
    const headline = page.getByTestId('reports-kpi-value-complaint_rate');
    await expect.poll(() => headline.innerText(), { timeout: 20_000 }).toMatch(/%/);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-before-1280.png`, fullPage: true });
    await page.getByTestId('reports-tabs').locator('.ant-tabs-tab').nth(1).click();
    const red = page
      .getByTestId('reports-teams')
      .locator(
        '[data-testid="reports-cell-team-complaint_rate"][data-status="below_target"],' +
          '[data-testid="reports-cell-team-complaint_rate"][data-status="below_floor"]',
      )
      .first();
    await expect.poll(() => red.count()).toBe(1);
    if (SHOTS) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: `${SHOTS}/reports-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOTS}/reports-390.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // The red cell's tooltip names the tickets counted: "numerator / denominator".
    await red.click();
    await page.waitForURL(/\/reports\/tickets\?/);
    expect(page.url()).toContain('kpi=complaint_rate');
    expect(page.url()).toContain('subject=team');
    const count = page.getByTestId('reports-drill-count');
    await expect.poll(() => count.innerText()).toMatch(/计入 \d+ 项/);
    const n = Number(/计入 (\d+) 项/.exec(await count.innerText())![1]);
    expect(n).toBeGreaterThan(0);
    const rows = page.getByTestId('reports-drill-tickets').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(Math.min(n, 50));
    // The numerator: the complaints among them.
    await page.getByTestId('reports-drill-part').getByText('计入分子的工单').click();
    await expect.poll(() => rows.first().innerText()).toContain('投诉');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-tickets-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-tickets-390.png`, fullPage: true });
    await page.context().close();
  });

  it('shows the 12-month trend as a table whose numbers open their tickets', async () => {
    const page = await staff('admin@kefu.demo');
    await page.goto(`${server.url}/reports?month=${month}`);
    await expect
      .poll(() => page.getByTestId('kpi-trend-chart').count(), { timeout: 20_000 })
      .toBe(1);
    // The chart/table switch is a radio group named for screen readers.
    const view = page.getByTestId('reports-trend-view');
    await view.getByText('表格').click();
    const table = page.getByTestId('reports-trend-table');
    await table.waitFor();
    expect(await page.getByTestId('kpi-trend-chart').count()).toBe(0);
    // 12 months, newest first.
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(12);
    const cell = page.getByTestId(`reports-trend-cell-${month}-complaint_rate`);
    await expect.poll(() => cell.innerText()).toMatch(/%/);
    await cell.click();
    await page.waitForURL(/\/reports\/tickets\?/);
    expect(page.url()).toContain(`month=${month}`);
    expect(page.url()).toContain('kpi=complaint_rate');
    await expect
      .poll(() => page.getByTestId('reports-drill-count').innerText(), { timeout: 20_000 })
      .toMatch(/计入 \d+ 项/);
    // And back: the chart is the default again.
    await page.goBack();
    await page.getByTestId('reports-trend-view').getByText('图表').waitFor();
    await page.context().close();
  });

  it('downloads the agents table as Excel and reads it back', async () => {
    const page: Page = await staff('admin@kefu.demo');
    await page.goto(`${server.url}/reports?month=${month}`);
    const table = page.getByTestId('reports-agents');
    await expect.poll(() => table.innerText(), { timeout: 20_000 }).toContain('李小红');
    await page.getByTestId('reports-export-agents').click();
    const link = page.getByTestId('reports-export-agents-xlsx');
    await link.waitFor();
    const [download] = await Promise.all([
      // The export computes the month first: generous under a loaded machine.
      page.waitForEvent('download', { timeout: 90_000 }),
      link.click(),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'kefu-reports-')), 'agents.xlsx');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`kefu-agents-${month}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toContain('客服');
    const names: string[] = [];
    ws.eachRow((row, i) => {
      if (i > 1) names.push(String(row.getCell(1).value));
    });
    expect(names).toContain('李小红');
    await page.context().close();
  }, 150_000); // the download alone may take 90 s on a loaded machine

  it('shows today on the floor, opens a number’s tickets, and the month’s service ledger', async () => {
    // A ticket received now, so today has one whatever the hour (the demo's are hours old).
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@kefu.demo', password: DEMO_PASSWORD }),
    });
    const cookie = /kefu_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
    const { csrfToken } = (await signIn.json()).data as { csrfToken: string };
    const created = await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        channel: 'email',
        category: 'consultation',
        subject: '报表测试：今日来件',
        description: '今日实况的分时表格',
        customer: { name: '报表测试客户', phone: '13700001234' },
      }),
    });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    const page: Page = await staff('supervisor@kefu.demo');
    await page.goto(`${server.url}/reports?view=today`);
    const received = page.getByTestId('reports-today-received');
    await expect.poll(() => received.innerText(), { timeout: 20_000 }).toMatch(/今日受理\s*\d+/);
    await expect.poll(() => page.getByTestId('reports-today-queues').innerText()).toContain('全部');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-today-1280.png`, fullPage: true });
    // A number opens exactly the tickets it counts: the waiting ones, oldest first.
    const waiting = page.getByTestId('reports-today-waiting-link');
    await waiting.waitFor();
    const shown = Number((await waiting.innerText()).replace(/\D/g, ''));
    expect(shown).toBeGreaterThan(0);
    await waiting.click();
    await page.waitForURL(/\/reports\/today\/tickets\?figure=waiting/);
    await expect
      .poll(() => page.getByTestId('reports-today-drill-title').innerText())
      .toContain('待处理');
    const count = page.getByTestId('reports-drill-count');
    await expect.poll(() => count.innerText(), { timeout: 20_000 }).toMatch(/计入 \d+ 项/);
    expect(Number(/计入 (\d+) 项/.exec(await count.innerText())![1])).toBe(shown);
    const rows = page.getByTestId('reports-drill-tickets').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(Math.min(shown, 50));
    if (SHOTS)
      await page.screenshot({ path: `${SHOTS}/reports-today-drill-1280.png`, fullPage: true });
    // The whole list leaves as CSV (streamed, audited): the header and one line per ticket.
    const [csv] = await Promise.all([
      page.waitForEvent('download', { timeout: 90_000 }),
      page.getByTestId('reports-today-export-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toBe('kefu-today-waiting.csv');
    const csvFile = join(mkdtempSync(join(tmpdir(), 'kefu-today-')), 'waiting.csv');
    await csv.saveAs(csvFile);
    const lines = readFileSync(csvFile, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('工单号');
    expect(lines).toHaveLength(shown + 1);

    // The volume chart as a table: each number opens its tickets, as a bar does.
    await page.goto(`${server.url}/reports?view=today`);
    await page.getByTestId('reports-volume-view').getByText('表格').click();
    const volume = page.getByTestId('reports-volume-table');
    await volume.waitFor();
    const links = volume.locator('a[data-testid^="reports-volume-cell-total-"]');
    await expect.poll(() => links.count()).toBeGreaterThan(0);
    const last = links.last(); // this hour's, with the ticket just created
    const n = Number(await last.innerText());
    await last.click();
    await page.waitForURL(/\/reports\/today\/tickets\?figure=received&hour=\d+/);
    await expect
      .poll(() => page.getByTestId('reports-drill-count').innerText(), { timeout: 20_000 })
      .toMatch(new RegExp(`计入 ${n} 项`));
    await page.goto(`${server.url}/reports?view=today`);
    await page.getByTestId('reports-view').getByText('服务台账').click();
    await page.waitForURL(/view=ledger/);
    const causes = page.getByTestId('reports-ledger-categories');
    await expect.poll(() => causes.innerText(), { timeout: 20_000 }).toContain('投诉');
    await expect
      .poll(() => page.getByTestId('reports-ledger-funnel').innerText())
      .toContain('新登记');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-ledger-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-ledger-390.png`, fullPage: true });
    await page.context().close();
  });

  it('opens the printable service report and downloads its PDF', async () => {
    const page: Page = await staff('admin@kefu.demo');
    await page.goto(`${server.url}/reports?month=${month}`);
    await page.getByTestId('reports-print-link').click();
    await page.waitForURL(/\/reports\/print\?period=/);
    await expect
      .poll(() => page.getByTestId('service-report-kpis').innerText(), { timeout: 60_000 })
      .toContain('响应及时率');
    await expect
      .poll(() => page.getByTestId('service-report-assessments').innerText())
      .toContain('服务之星候选');
    // The trend is printed as numbers too, the report's month among them.
    await expect
      .poll(() => page.getByTestId('service-report-trend-table').innerText())
      .toContain(month);
    // The print CSS hides the app around the report.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('service-report-pdf').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-print-1280.png`, fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 90_000 }),
      page.getByTestId('service-report-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`kefu-service-report-${month}.pdf`);
    const file = join(mkdtempSync(join(tmpdir(), 'kefu-pdf-')), 'report.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await page.setViewportSize({ width: 390, height: 844 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-print-390.png`, fullPage: true });
    await page.goto(`${server.url}/reports/schedules`);
    await expect
      .poll(() => page.getByTestId('reports-schedules').innerText())
      .toContain('还没有定时报表');
    if (SHOTS)
      await page.screenshot({ path: `${SHOTS}/reports-schedules-390.png`, fullPage: true });
    await page.context().close();
  });

  // Last: it adds agents, whom every later month would list.
  it('shows a large team’s agents 20 a page', async () => {
    const page = await staff('admin@kefu.demo');
    const me = await page.request.get(`${server.url}/api/v1/me`);
    const csrf = ((await me.json()) as { data: { csrfToken: string } }).data.csrfToken;
    for (let i = 1; i <= 21; i++) {
      const res = await page.request.post(`${server.url}/api/v1/users`, {
        headers: { 'x-csrf-token': csrf },
        data: {
          email: `pager${i}@kefu.test`,
          name: `翻页坐席 ${String(i).padStart(2, '0')}`,
          password: 'pager-pass-2026',
          roles: ['agent'],
        },
      });
      expect(res.status(), await res.text()).toBe(201);
    }
    await page.goto(`${server.url}/reports?month=${month}`);
    const table = page.getByTestId('reports-agents');
    const rows = table.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(20);
    const names = async () => (await rows.allInnerTexts()).join('\n');
    const first = await names();
    // The pager is the table wrapper's, beside the element carrying the test id.
    await page.locator('.ant-table-pagination .ant-pagination-item-2').click();
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    await expect.poll(names).not.toBe(first);
    expect(await rows.count()).toBeLessThanOrEqual(20);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-agents-page2.png`, fullPage: true });
    await page.context().close();
  });
});
