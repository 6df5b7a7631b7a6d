import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDF, PNG_1PX } from '../server/src/modules/attachments/test-support.js';
import { startTestSmtp, type TestSmtp } from '../server/src/modules/mail/test-smtp.js';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

describe.skipIf(!available)(
  'portal: a customer signs in by mail, asks with a file, talks to an agent',
  () => {
    let smtp: TestSmtp;
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      // Mail goes to an SMTP server inside this test process; the sender runs every 200 ms.
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

    /** The 6-digit code of the latest sign-in mail to `email` (polls the received mail). */
    async function mailedCode(email: string): Promise<string> {
      let code: string | undefined;
      await expect
        .poll(
          () => {
            const mail = [...smtp.received]
              .reverse()
              .find((m) => JSON.stringify(m.to).includes(email) && /\d{6}/.test(m.subject ?? ''));
            code = /(\d{6})/.exec(mail?.subject ?? '')?.[1];
            return code;
          },
          { timeout: 30_000 },
        )
        .toBeDefined();
      return code!;
    }

    const staff = (email: string) => signInStaff(browser, server.url, email);

    const timelineOf = (page: Page) => page.getByTestId('portal-timeline').innerText();

    it('signs in with a mailed code, submits with an attachment, gets a reply and answers it', async () => {
      const email = `li.na.${Date.now()}@example.com`;
      const subject = `发票抬头开错了 ${Date.now()}`;

      // 1. The customer opens "my requests" and is sent to sign in; asks for a code by mail.
      const customer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
      await customer.goto(`${server.url}/portal/requests`);
      await customer.waitForURL(/\/portal\/sign-in/);
      await customer.getByTestId('portal-email').fill(email);
      await customer.getByTestId('portal-send-code').click();
      await customer.getByTestId('portal-code').waitFor();
      await customer.getByTestId('portal-code').fill(await mailedCode(email));
      await customer.getByTestId('portal-verify').click();
      await customer.waitForURL(/\/portal\/requests$/);
      await expect
        .poll(() => customer.getByTestId('portal-account-email').innerText())
        .toContain(email);

      // 2. A new request with a screenshot attached.
      await customer.getByTestId('portal-nav-new').click();
      await customer.getByTestId('portal-category').click();
      await customer
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .first()
        .click();
      await customer.getByTestId('portal-subject').fill(subject);
      await customer.getByTestId('portal-description').fill('发票抬头应为“上海某某科技有限公司”。');
      await customer
        .getByTestId('portal-new-files')
        .locator('input[type=file]')
        .setInputFiles({ name: '发票截图.png', mimeType: 'image/png', buffer: PNG_1PX });
      await customer.getByTestId('portal-submit').click();
      await customer.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
      const requestId = customer.url().split('/').pop()!;
      const fileLink = customer
        .getByTestId('portal-timeline')
        .getByTestId('portal-file-link')
        .filter({ hasText: '发票截图.png' });
      await fileLink.waitFor();
      // The link downloads the file with the customer's session.
      const href = await fileLink.getAttribute('href');
      const download = await customer.context().request.get(`${server.url}${href}`);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toBe('image/png');
      expect(Buffer.from(await download.body()).equals(PNG_1PX)).toBe(true);

      // 3. It is listed under "my requests".
      await customer.getByTestId('portal-nav-requests').click();
      await expect
        .poll(() => customer.getByTestId('portal-requests').innerText(), { timeout: 15_000 })
        .toContain(subject);

      // 4. An agent answers publicly in the console and sees the customer's file.
      const agent = await staff('agent@kefu.demo');
      await agent.goto(`${server.url}/tickets/${requestId}`);
      await expect
        .poll(() => agent.getByTestId('ticket-timeline').innerText(), { timeout: 15_000 })
        .toContain('发票截图.png');
      const answer = '您好，请把正确的抬头和税号发给我们，我们为您重开发票。';
      await agent.getByTestId('reply-body').fill(answer);
      await agent.getByTestId('reply-send').click();
      await expect.poll(() => agent.getByTestId('ticket-timeline').innerText()).toContain(answer);

      // 5. The customer sees the answer and replies with a document.
      await customer.getByTestId('portal-requests').getByText(subject).click();
      await customer.getByTestId('portal-timeline').waitFor();
      await expect.poll(() => timelineOf(customer), { timeout: 15_000 }).toContain(answer);
      const back = '抬头：上海某某科技有限公司，税号见附件。';
      await customer.getByTestId('portal-reply-body').fill(back);
      await customer
        .getByTestId('portal-reply-files')
        .locator('input[type=file]')
        .setInputFiles({ name: '税号.pdf', mimeType: 'application/pdf', buffer: PDF });
      await customer.getByTestId('portal-reply-send').click();
      await expect.poll(() => timelineOf(customer), { timeout: 15_000 }).toContain(back);
      await customer
        .getByTestId('portal-event-reply')
        .filter({ hasText: back })
        .getByTestId('portal-file-link')
        .filter({ hasText: '税号.pdf' })
        .waitFor();

      // 6. The agent sees the customer's reply and its file.
      await agent.reload();
      await expect
        .poll(() => agent.getByTestId('ticket-timeline').innerText(), { timeout: 15_000 })
        .toContain(back);
      await expect(agent.getByTestId('ticket-timeline').innerText()).resolves.toContain('税号.pdf');
    }, 180_000);
  },
);
