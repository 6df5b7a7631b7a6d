import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { choose, pickOption } from './support/select.js';
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
    await choose(page, 'days-year', '2026');
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
  it('urgency holds whatever the tier: the preview names the policy; the new ticket gets a suggested priority', async () => {
    const page = await staff('admin@kefu.demo');
    await page.goto(`${server.url}/admin/sla/policies`);
    await page.getByRole('tab', { name: '时效预览' }).click();
    await page.getByTestId('preview-tier').click();
    await pickOption(page, 'L2');
    await choose(page, 'preview-priority', '紧急');
    await page.getByTestId('preview-received').fill('2026-03-02T10:00');
    await page.getByTestId('run-preview').click();
    // An urgent L2 e-mail: answered within 2 h (the urgent policy), not 3 working days.
    await expect
      .poll(text(page, 'preview-source-first_response'), { timeout: 15_000 })
      .toContain('urgent');
    expect(await page.getByTestId('preview-source-first_response').innerText()).toContain('紧急');
    expect(await page.getByTestId('preview-source-resolution').innerText()).toContain('level2');
    expect(await page.getByTestId('preview-applying').innerText()).toContain('紧急');
    expect(await page.getByTestId('preview-result').innerText()).toContain('2026-03-02 12:00');
    await page.context().close();

    const agent = await staff('agent@kefu.demo');
    await agent.goto(`${server.url}/tickets/new`);
    await choose(agent, 'ticket-category', '投诉'); // → L3, green channel
    await expect.poll(text(agent, 'priority-suggestion')).toContain('建议优先级：紧急');
    const checked = () =>
      agent.getByTestId('ticket-priority').locator('.ant-radio-button-wrapper-checked').innerText();
    await expect.poll(checked).toBe('紧急');
    // The agent's own choice stands; the suggestion stays offered.
    await agent.getByTestId('ticket-priority').getByText('一般').click();
    await expect.poll(checked).toBe('一般');
    await agent.getByTestId('apply-priority-suggestion').click();
    await expect.poll(checked).toBe('紧急');
    await agent.context().close();
  });

  it('a calendar without next year’s holidays: risk board, console banner, the year imported in one step', async () => {
    const page = await staff('admin@kefu.demo');
    // Warn a year ahead, so the test does not depend on today's date.
    await page.evaluate(async () => {
      const me = await fetch('/api/v1/me').then((r) => r.json());
      await fetch('/api/v1/sla/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
        body: JSON.stringify({ calendarWarningDays: 366 }),
      });
    });
    const coverage = await page.evaluate(() =>
      fetch('/api/v1/sla/calendar-coverage').then((r) => r.json()),
    );
    const cn = coverage.data.calendars.find((c: { name: string }) => c.name === '中国大陆工作日');
    expect(cn.warn).toBe(true);
    const year: number = cn.missingYear;

    const supervisor = await staff('supervisor@kefu.demo');
    await supervisor.getByTestId('nav-sla-risk-board').click();
    await expect
      .poll(text(supervisor, 'risk-calendar-warnings'), { timeout: 15_000 })
      .toContain(`中国大陆工作日”自 ${year}-01-01 起没有节假日数据`);
    await supervisor.context().close();

    await page.reload();
    await expect
      .poll(text(page, 'calendar-coverage-banner'), { timeout: 15_000 })
      .toContain('中国大陆工作日');
    await page
      .getByTestId('calendar-coverage-banner')
      .getByRole('button', { name: `导入 ${year} 年` })
      .click();
    await page.waitForURL(new RegExp(`/admin/sla/calendars/${cn.id}\\?importYear=${year}$`));
    const modal = page.getByTestId('import-year-form');
    await modal.waitFor();
    // Kefu ships no data for that year: said so, and the file is offered instead.
    await page.getByTestId('import-year-bundled').click();
    await expect.poll(() => modal.innerText()).toContain(`随附数据不含 ${year} 年`);
    await page.getByTestId('import-year-file').click();
    // Test data only: one statutory day, not the official schedule.
    const file = JSON.stringify({
      days: [{ date: `${year}-01-01`, kind: 'holiday', nameZh: '元旦' }],
    });
    await modal.locator('input[type=file]').setInputFiles({
      name: `holidays-${year}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(file),
    });
    await page.locator('#import-year-ok').click();
    await expect.poll(() => page.getByTestId('import-year-form').count()).toBe(0);
    await expect.poll(text(page, 'days-table')).toContain(`${year}-01-01`);
    await expect.poll(text(page, 'days-coverage')).toContain(`${year}-12-31`);
    await expect.poll(() => page.getByTestId('calendar-coverage-banner').count()).toBe(0);
    await page.context().close();
  });
});
