import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { pickOption } from './support/select.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

describe.skipIf(!available)('administration: custom fields and settings (demo workspace)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    // No KEFU_SMTP_URL / KEFU_MAIL_FROM: mail is not configured.
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

  it('a required select field for one category: the form asks for it, the ticket shows it', async () => {
    const admin = await staff('admin@kefu.demo');
    await admin.getByTestId('nav-admin-ticket-fields').click();
    await admin.waitForURL(/\/admin\/ticket-fields$/);
    // The demo workspace already has fields.
    await expect.poll(text(admin, 'fields-table')).toContain('产品型号');

    await admin.getByTestId('create-field').click();
    const form = admin.getByTestId('field-form');
    await form.locator('input#key').fill('purchase_channel');
    await form.locator('.ant-form-item').filter({ hasText: '类型' }).locator('.ant-select').click();
    await pickOption(admin, '单选');
    await form.locator('input#labelZh').fill('购买渠道');
    await form.locator('input#labelEn').fill('Purchase channel');
    for (const [value, zh, en] of [
      ['online', '线上商城', 'Online store'],
      ['store', '线下门店', 'Retail store'],
    ]) {
      await form.getByRole('button', { name: '添加选项' }).click();
      await form.getByPlaceholder('选项值').last().fill(value!);
      await form.getByPlaceholder('中文名称').last().fill(zh!);
      await form.getByPlaceholder('英文名称').last().fill(en!);
    }
    await form
      .locator('.ant-form-item')
      .filter({ hasText: '适用分类' })
      .locator('.ant-select')
      .click();
    await pickOption(admin, '业务申请');
    await admin.keyboard.press('Escape');
    await form.getByText('必填', { exact: true }).click();
    await admin.locator('.ant-modal-footer button.ant-btn-primary').click();
    await expect.poll(text(admin, 'fields-table')).toContain('购买渠道');

    // An agent registers a business application: the field shows for that category only.
    const agent = await staff('agent@kefu.demo');
    await agent.goto(`${server.url}/tickets/new`);
    await agent.getByTestId('ticket-channel').getByText('电话').click();
    await agent.getByTestId('customer-phone').locator('input').fill('13900001234');
    await agent.getByTestId('customer-name').fill('吴女士');
    await agent.getByTestId('ticket-category').click();
    await pickOption(agent, '咨询');
    await expect(agent.getByTestId('custom-field-purchase_channel').count()).resolves.toBe(0);
    await agent.getByTestId('ticket-category').click();
    await pickOption(agent, '业务申请');
    const field = agent.getByTestId('custom-field-purchase_channel');
    await field.waitFor();
    const subject = `申请开通分期付款 ${Date.now()}`;
    await agent.getByTestId('ticket-subject').fill(subject);
    await agent.getByTestId('ticket-description').fill('客户来电咨询企业账户能否开通分期付款。');

    // Missing the required value: refused, with the error on that field.
    await agent.getByTestId('ticket-submit').click();
    await expect.poll(() => field.innerText()).toContain('此项为必填项');
    expect(agent.url()).toMatch(/\/tickets\/new$/);

    await field.locator('.ant-select').click();
    await pickOption(agent, '线下门店');
    await agent.getByTestId('ticket-submit').click();
    await agent.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await expect.poll(text(agent, 'ticket-header')).toContain(subject);
    const header = await agent.getByTestId('ticket-header').innerText();
    expect(header).toContain('购买渠道');
    expect(header).toContain('线下门店');
  });

  it('settings: mail is not configured; a ticket setting the server refuses shows on its field', async () => {
    const admin = await staff('admin@kefu.demo');
    await admin.getByTestId('nav-admin-settings').click();
    await admin.waitForURL(/\/admin\/settings\/tickets$/);

    // The server's rule (archive not before the reopen window ends) lands on the field.
    const archive = admin.getByTestId('ticket-settings-archiveAfterDays');
    await expect.poll(() => archive.inputValue()).toBe('30');
    await archive.fill('5');
    await admin.getByTestId('settings-save').click();
    await expect.poll(text(admin, 'ticket-settings')).toContain('归档天数不能短于可重开期限');

    await admin.getByTestId('settings-tab-mail').click();
    await admin.waitForURL(/\/admin\/settings\/mail$/);
    await expect.poll(text(admin, 'mail-not-configured')).toContain('邮件未配置');
    const help = await admin.getByTestId('mail-not-configured').innerText();
    expect(help).toContain('KEFU_SMTP_URL');
    expect(help).toContain('KEFU_MAIL_FROM');
    await admin.getByTestId('mail-outbox').waitFor();

    // Another tab loads its values: the portal's code validity.
    await admin.getByTestId('settings-tab-portal').click();
    await expect
      .poll(() => admin.getByTestId('portal-settings-codeTtlMinutes').inputValue())
      .toBe('10');
  });

  it('the risk board draws its chart', async () => {
    const supervisor = await staff('supervisor@kefu.demo');
    await supervisor.getByTestId('nav-sla-risk-board').click();
    await supervisor.waitForURL(/\/sla\/risk-board$/);
    // Either bars (demo tickets past due) or the empty state, never an error.
    await supervisor
      .locator('[data-testid="risk-chart"], [data-testid="risk-chart-empty"]')
      .first()
      .waitFor();
    // Supervisors reach Settings for the mail that was not delivered (dead letters) only.
    expect(await supervisor.getByTestId('nav-admin-settings').count()).toBe(1);
  });
});
