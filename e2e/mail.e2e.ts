import { createServer, type AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';
import { startTestSmtp, type TestSmtp } from '../server/src/modules/mail/test-smtp.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe.skipIf(!available)('inbound mail (demo workspace)', () => {
  let server: RunningServer;
  let browser: Browser;
  let smtpPort: number;
  let outbound: TestSmtp;

  beforeAll(async () => {
    smtpPort = await freePort();
    // Where Kefu's own mail goes: a real SMTP server that reads back what arrived.
    outbound = await startTestSmtp();
    server = await startServer({
      KEFU_DEMO: '1',
      KEFU_SMTP_URL: outbound.url,
      KEFU_MAIL_FROM: 'Kefu <service@kefu.test>',
      KEFU_MAIL_SEND_MS: '300',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await outbound?.close();
  });

  it('an admin turns the SMTP receiver on and adds a mailbox; a mailed request becomes a ticket an agent replies to', async () => {
    const admin = await signInStaff(browser, server.url, 'admin@kefu.demo');
    await admin.goto(`${server.url}/admin/settings/inbound`);
    await admin.getByTestId('smtp-enabled').click();
    const port = admin.getByTestId('inbound-settings').locator('input#smtpPort');
    await port.fill(String(smtpPort));
    await admin.getByTestId('inbound-save').click();
    await expect
      .poll(() => admin.getByTestId('receiver-state').innerText())
      .toContain(String(smtpPort));

    // An IMAP mailbox (the password is write-only).
    await admin.getByTestId('mailbox-add').click();
    await admin.getByTestId('mailbox-name').fill('售后邮箱');
    await admin.getByTestId('mailbox-address').fill('aftersales@example.test');
    await admin.getByTestId('mailbox-host').fill('imap.example.test');
    await admin.getByTestId('mailbox-username').fill('aftersales@example.test');
    await admin.getByTestId('mailbox-password').fill('s3cret-imap');
    await admin.getByTestId('mailbox-submit').click();
    await expect.poll(() => admin.getByTestId('mailboxes').innerText()).toContain('售后邮箱');
    expect(await admin.content()).not.toContain('s3cret-imap');

    // A customer writes in.
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: '"周敏" <zhou.min@example.test>',
      to: 'support@kefu.test',
      subject: '订单 8812 一直没有发货',
      text: '你好，我上周下的订单 8812 到现在还没有发货，请帮忙查一下。',
      messageId: '<e2e-order-8812@example.test>',
    });
    transport.close();
    await admin.reload();
    await expect
      .poll(() => admin.getByTestId('inbound-list').innerText(), { timeout: 15_000 })
      .toContain('订单 8812 一直没有发货');
    const href = await admin
      .getByTestId('inbound-list')
      .locator('a[href^="/tickets/"]')
      .first()
      .getAttribute('href');
    expect(href).toMatch(/^\/tickets\/[0-9a-f-]{36}$/);
    if (SHOTS) {
      await admin.setViewportSize({ width: 1280, height: 900 });
      await admin.screenshot({ path: `${SHOTS}/mail-inbound-1280.png`, fullPage: true });
      await admin.setViewportSize({ width: 390, height: 844 });
      await admin.screenshot({ path: `${SHOTS}/mail-inbound-390.png`, fullPage: true });
    }
    await admin.context().close();

    // A supervisor (sees every ticket) opens it and replies to the customer.
    const sup = await signInStaff(browser, server.url, 'supervisor@kefu.demo');
    await sup.goto(`${server.url}${href}`);
    await expect
      .poll(() => sup.locator('body').innerText(), { timeout: 30_000 })
      .toContain('订单 8812 一直没有发货');
    expect(await sup.locator('body').innerText()).toContain('请帮忙查一下');
    await sup.getByTestId('reply-body').fill('已联系仓库，今天内发出。');
    await sup.getByTestId('reply-send').click();
    await expect
      .poll(() => sup.locator('body').innerText(), { timeout: 30_000 })
      .toContain('已联系仓库，今天内发出。');

    // The reply arrives back by mail, threaded under the customer's message…
    await expect
      .poll(() => outbound.received.find((m) => m.text?.includes('已联系仓库'))?.inReplyTo, {
        timeout: 30_000,
      })
      .toBe('<e2e-order-8812@example.test>');
    const mail = outbound.received.find((m) => m.text?.includes('已联系仓库'))!;
    expect(mail.subject).toMatch(/^Re: \[KF-\d{4}-\d{6}\] 订单 8812 一直没有发货$/);
    // …and the timeline says it was emailed.
    await expect
      .poll(() => sup.getByTestId('mail-delivery').first().getAttribute('data-status'), {
        timeout: 30_000,
      })
      .toBe('sent');
    // The customer's contact preference ("replies by email", any channel): switched in the panel.
    const prefers = () => sup.getByTestId('customer-prefers-email');
    await expect.poll(() => prefers().getAttribute('aria-checked')).toBe('false');
    await prefers().click();
    await expect.poll(() => prefers().getAttribute('aria-checked')).toBe('true');
    await sup.reload();
    await expect
      .poll(() => prefers().getAttribute('aria-checked'), { timeout: 30_000 })
      .toBe('true');
    if (SHOTS) {
      await sup.setViewportSize({ width: 1280, height: 900 });
      await sup.screenshot({ path: `${SHOTS}/mail-reply-1280.png`, fullPage: true });
    }
    await sup.context().close();

    // The administrator edits the reply template and previews it.
    const admin2 = await signInStaff(browser, server.url, 'admin@kefu.demo');
    await admin2.goto(`${server.url}/admin/settings/mailTemplates`);
    await admin2.getByTestId('mail-template-body').fill('{{body}}\n\n—— {{team}}');
    await admin2.getByTestId('mail-template-preview').click();
    await expect
      .poll(() => admin2.getByTestId('mail-template-preview-result').innerText())
      .toContain('KF-2026-000123');
    if (SHOTS) {
      await admin2.setViewportSize({ width: 1280, height: 900 });
      await admin2.screenshot({ path: `${SHOTS}/mail-templates-1280.png`, fullPage: true });
      await admin2.setViewportSize({ width: 390, height: 844 });
      await admin2.screenshot({ path: `${SHOTS}/mail-templates-390.png`, fullPage: true });
    }
    await admin2.context().close();
  }, 150_000);
});
