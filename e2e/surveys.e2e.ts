import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtp, type TestSmtp } from '../server/src/modules/mail/test-smtp.js';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { DEMO_PASSWORD, signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;

describe.skipIf(!available)(
  'surveys: a customer answers on a phone, an admin sees campaigns',
  () => {
    let smtp: TestSmtp;
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      smtp = await startTestSmtp();
      server = await startServer({
        KEFU_DEMO: '1',
        KEFU_SMTP_URL: smtp.url,
        KEFU_MAIL_FROM: 'service@kefu.example.com',
        KEFU_MAIL_SEND_MS: '200',
      });
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await smtp?.close();
    });

    /** The agent's API session (cookie + CSRF), to resolve a ticket quickly. */
    async function staffApi(email: string) {
      const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      const cookie = /kefu_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
      const { csrfToken } = (await res.json()).data;
      return async (path: string, body: unknown) => {
        const r = await fetch(`${server.url}/api/v1${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify(body),
        });
        expect(r.status, await r.clone().text()).toBeLessThan(300);
        return (await r.json()) as { data: { id: string; number: string } };
      };
    }

    it('the customer opens the mailed link on a 390 px phone, answers in Chinese and is thanked', async () => {
      const email = `survey.${Date.now()}@example.com`;
      const post = await staffApi('agent@kefu.demo');
      const { data: ticket } = await post('/tickets', {
        channel: 'phone',
        category: 'consultation',
        subject: '会员积分兑换失败',
        description: '客户来电：积分兑换礼品时提示失败',
        customer: { name: '问卷客户', email },
      });
      // Sent when the ticket closes (the default) — here the customer confirmed by phone.
      for (const to of ['accepted', 'in_progress', 'resolved'])
        await post(`/tickets/${ticket.id}/transitions`, { to });
      await post(`/tickets/${ticket.id}/transitions`, { to: 'closed', customerConfirmed: true });

      let path: string | undefined;
      await expect
        .poll(
          () => {
            const mail = smtp.received.find(
              (m) => JSON.stringify(m.to).includes(email) && /\/survey\//.test(m.text ?? ''),
            );
            path = /\/survey\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
            return path;
          },
          { timeout: 30_000 },
        )
        .toBeDefined();

      const context = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('服务满意度调查');
      expect(await page.getByTestId('survey-about').innerText()).toContain(ticket.number);
      // Nothing wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );

      // Sending without answers points at the questions.
      await page.getByTestId('survey-submit').click();
      await page.getByTestId('survey-q-solved-missing').waitFor();

      await page.getByTestId('survey-q-solved-yes').click();
      await page.getByTestId('survey-q-attitude-star-5').click();
      await page.getByTestId('survey-q-overall-star-4').click();
      await page.getByTestId('survey-comment').fill('客服很耐心');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/survey-390.png`, fullPage: true });
      await page.getByTestId('survey-submit').click();
      await page.getByTestId('survey-thanks').waitFor();
      expect(await page.getByTestId('survey-thanks').innerText()).toContain('感谢您的反馈');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/survey-thanks-390.png`, fullPage: true });

      // The link is single use: opening it again says so.
      await page.reload();
      await page.getByTestId('survey-spent').waitFor();
      expect(await page.getByTestId('survey-spent').innerText()).toContain('您已完成此调查');
      // A made-up link gets a clear page too.
      await page.goto(`${server.url}/survey/${'x'.repeat(43)}`);
      await page.getByTestId('survey-invalid').waitFor();
      await context.close();

      // The agent sees the result on the ticket page.
      const agent = await signInStaff(browser, server.url, 'agent@kefu.demo');
      await agent.goto(`${server.url}/tickets/${ticket.id}`);
      await agent.getByTestId('ticket-survey-card').waitFor();
      expect(await agent.getByTestId('survey-score').innerText()).toContain('80');
      await agent.context().close();
    });

    it('the admin page shows settings, templates and the campaigns with response rate', async () => {
      const admin = await signInStaff(browser, server.url, 'admin@kefu.demo', {
        locale: 'zh-CN',
        viewport: { width: 1280, height: 900 },
      });
      await admin.getByTestId('nav-admin-surveys').click();
      await admin.getByTestId('survey-settings-form').waitFor();
      await admin.getByRole('tab', { name: '月度调查' }).click();
      await admin.getByTestId('campaign-table').locator('.ant-progress').first().waitFor();
      if (SHOTS)
        await admin.screenshot({ path: `${SHOTS}/surveys-admin-1280.png`, fullPage: true });
      await admin.getByRole('tab', { name: '问卷模板' }).click();
      await admin.getByTestId('survey-template-edit').first().waitFor();
      expect(await admin.getByTestId('surveys-admin').innerText()).toContain('默认满意度调查');
      await admin.context().close();
    });
  },
);
