import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

/**
 * Issue 9: the demo's complaints, handled on time with a handling plan, are not red; an agent
 * records a handling plan on the ticket page; a closed complaint keeps each target's outcome.
 */
describe.skipIf(!available)('SLA clocks and the handling plan on the ticket page', () => {
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

  const text = (page: Page, testId: string) => () => page.getByTestId(testId).innerText();
  const outcome = (page: Page, kind: string) => () =>
    page.getByTestId(`sla-${kind}`).first().getAttribute('data-outcome');

  async function ticketId(page: Page, subject: string): Promise<string> {
    const res = await page.request.get(`${server.url}/api/v1/tickets?limit=50`);
    const all = (await res.json()).data as { id: string; subject: string }[];
    const found = all.find((x) => x.subject.startsWith(subject));
    if (!found) throw new Error(`demo ticket ${subject} missing`);
    return found.id;
  }

  it('an agent sees an open complaint on time and records a shared handling plan', async () => {
    const page = await signInStaff(browser, server.url, 'agent@kefu.demo', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const id = await ticketId(page, '投诉：门店店员服务态度恶劣');
    await page.goto(`${server.url}/tickets/${id}`);

    // Registered, contacted and planned in time: met, nothing red.
    await expect.poll(text(page, 'sla-card'), { timeout: 20_000 }).toContain('投诉登记');
    await expect.poll(outcome(page, 'complaint_registered')).toBe('met');
    await expect.poll(outcome(page, 'complaint_contacted')).toBe('met');
    await expect.poll(outcome(page, 'handling_plan')).toBe('met');
    await expect.poll(outcome(page, 'complaint_plan')).toBe('met');
    const card = await page.getByTestId('sla-card').innerText();
    expect(card).not.toContain('未达成');
    expect(card).not.toContain('已超时');
    // 24 working hours are shown as such, never as "1天".
    await expect.poll(text(page, 'sla-progress_update')).toContain('24 小时（工作时间）');
    expect(card).not.toContain('1天');

    // The demo's plan, shared with the customer.
    await expect
      .poll(text(page, 'handling-plan-card'), { timeout: 20_000 })
      .toContain('调取门店监控');
    await expect.poll(text(page, 'handling-plan-card')).toContain('客户可见');

    // Record another plan, shared with the customer.
    await page.getByTestId('handling-plan-add').click();
    await page.getByTestId('handling-plan-body').fill('店长亲自回电致歉，并赠送 200 元代金券。');
    await page.getByTestId('handling-plan-public-switch').click();
    await page.getByTestId('handling-plan-save').click();
    await expect.poll(() => page.getByTestId('handling-plan').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(text(page, 'handling-plan-card')).toContain('店长亲自回电致歉');
    await expect
      .poll(() => page.locator('[data-testid=timeline-entry][data-kind=handling_plan]').count())
      .toBe(2);
    const entry = page
      .locator('[data-testid=timeline-entry][data-kind=handling_plan]')
      .filter({ hasText: '店长亲自回电致歉' });
    expect(await entry.getAttribute('data-visibility')).toBe('public');
    await expect.poll(() => entry.innerText()).toContain('制定了处理方案');
    await page.context().close();
  });

  it('a closed complaint keeps each target with its outcome on the SLA card', async () => {
    const page = await signInStaff(browser, server.url, 'supervisor@kefu.demo', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const id = await ticketId(page, '投诉：快递包装破损');
    await page.goto(`${server.url}/tickets/${id}`);
    await expect.poll(text(page, 'sla-card'), { timeout: 20_000 }).toContain('投诉登记');
    await expect.poll(outcome(page, 'complaint_registered')).toBe('met');
    await expect.poll(outcome(page, 'handling_plan')).toBe('met');
    // Progress updates stopped when it was resolved, before the next was due.
    await expect.poll(outcome(page, 'progress_update')).toBe('cancelled');
    const card = await page.getByTestId('sla-card').innerText();
    expect(card).toContain('已达成');
    expect(card).not.toContain('未达成');
    expect(card).not.toContain('已超时');
    await page.context().close();
  });
});
