import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtiSimulator, fetchSender } from '../server/src/modules/calls/simulator.js';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { DEMO_PASSWORD, signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();
/** Where screenshots go when KEFU_SCREENSHOTS is set (for looking at the pages by eye). */
const SHOTS = process.env.KEFU_SCREENSHOTS;
const SECRET = 'e2e-cti-secret-0123456789';

describe.skipIf(!available)(
  'phone: a ringing call pops up and becomes a ticket in one click',
  () => {
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

    /** A staff API session (cookie + CSRF). */
    async function staffApi(email: string) {
      const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      const cookie = /kefu_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
      const { csrfToken } = (await res.json()).data;
      return async (method: string, path: string, body: unknown) => {
        const r = await fetch(`${server.url}/api/v1${path}`, {
          method,
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify(body),
        });
        expect(r.status, await r.clone().text()).toBeLessThan(300);
        return (await r.json()) as { data: { id: string; number: string } };
      };
    }

    it('the simulator rings the signed-in agent; the pop shows the customer; one click registers', async () => {
      const admin = await staffApi('admin@kefu.demo');
      await admin('PATCH', '/call-settings', {
        providers: [{ key: 'sim', name: '模拟 CTI', secret: SECRET, dial: { kind: 'simulator' } }],
      });
      const agentApi = await staffApi('agent@kefu.demo');
      const number = `1370000${String(Date.now()).slice(-4)}`;
      await agentApi('POST', '/tickets', {
        channel: 'email',
        category: 'consultation',
        subject: '上次的发票问题',
        description: '客户询问发票',
        customer: { name: '来电测试客户', phone: number },
      });

      const page = await signInStaff(browser, server.url, 'agent@kefu.demo');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${server.url}/calls`);
      await page.getByTestId('calls-table').waitFor();

      const sim = new CtiSimulator({
        send: fetchSender(server.url),
        provider: 'sim',
        secret: SECRET,
      });
      await sim.call({
        callerNumber: number,
        agent: 'agent@kefu.demo',
        queue: '热线',
        outcome: 'ringing',
      });

      const pop = page.getByTestId('call-screen-pop');
      await pop.waitFor({ timeout: 20_000 });
      await expect
        .poll(() => pop.getByTestId('call-pop-customer').textContent())
        .toContain('来电测试客户');
      expect(await pop.textContent()).toContain('上次的发票问题');
      // Masked for an agent.
      expect(await pop.textContent()).toContain('****');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/calls-pop-1280.png` });

      await page.getByTestId('call-register-ticket').click();
      await expect
        .poll(() => new URL(page.url()).pathname, { timeout: 20_000 })
        .toMatch(/^\/tickets\/[0-9a-f-]{36}$/);
      await page.getByTestId('call-records').waitFor();
      await expect
        .poll(() => page.getByTestId('call-records').textContent(), { timeout: 15_000 })
        .toContain('KF-');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/calls-ticket-1280.png`, fullPage: true });

      // Click-to-call the ticket's customer: the simulator provider dials, its events come back
      // through the signed webhook and the outbound call joins the records.
      await page.getByTestId('call-records').getByTestId('dial').click();
      await expect
        .poll(() => page.getByTestId('call-records').locator('tbody tr').count(), {
          timeout: 15_000,
        })
        .toBeGreaterThanOrEqual(2);

      // The call log and the figures, at desktop and phone width.
      await page.goto(`${server.url}/calls`);
      await page.getByTestId('calls-table').waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/calls-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/calls-390.png`, fullPage: true });
      await page.getByRole('tab', { name: '接通率' }).click();
      await page.getByTestId('calls-figure-peak').waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/calls-figures-390.png`, fullPage: true });

      if (SHOTS) {
        const adminPage = await signInStaff(browser, server.url, 'admin@kefu.demo');
        for (const width of [1280, 390]) {
          await adminPage.setViewportSize({ width, height: 900 });
          await adminPage.goto(`${server.url}/admin/calls`);
          await adminPage.getByTestId('call-settings-save').waitFor();
          await adminPage.screenshot({
            path: `${SHOTS}/calls-settings-${width}.png`,
            fullPage: true,
          });
        }
      }
    });
  },
);
