import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

/**
 * A staff page opened by its address asks for its data right after /me, beside its chunks
 * (router.tsx, the pages' prefetch modules; issue 10). The prefetch and the page's hooks must
 * share their query options: if they drifted apart the page would silently ask for everything
 * twice. So each page here must show its data with every API call made once.
 */
describe.skipIf(!available)('staff pages opened by address: early data, every call once', () => {
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

  /** Opens `path` in a new tab and returns the API calls it made until none started for 1 s. */
  async function callsOf(signedIn: Page, path: string, ready: string): Promise<string[]> {
    const tab = await signedIn.context().newPage();
    const calls: string[] = [];
    let last = Date.now();
    tab.on('request', (r) => {
      const url = new URL(r.url());
      if (!url.pathname.startsWith('/api/') || url.pathname.endsWith('/stream')) return;
      calls.push(`${r.method()} ${url.pathname}${url.search}`);
      last = Date.now();
    });
    await tab.goto(`${server.url}${path}`);
    await tab.getByTestId(ready).first().waitFor();
    await expect.poll(() => Date.now() - last, { timeout: 15_000 }).toBeGreaterThan(1_000);
    await tab.close();
    return calls;
  }

  const twice = (calls: string[]) =>
    // The bell's list may be asked again when a live notification arrives (the demo's SLA
    // sweepers run on the real clock): that one is allowed to repeat.
    calls.filter((c, i) => calls.indexOf(c) !== i && !c.includes('/api/v1/notifications'));

  it('the ticket list, a ticket and the month report ask for each thing once', async () => {
    const supervisor = await signInStaff(browser, server.url, 'supervisor@kefu.demo');
    const res = await supervisor.request.get(`${server.url}/api/v1/tickets?queue=all&limit=1`);
    expect(res.status()).toBe(200);
    const [ticket] = ((await res.json()) as { data: { id: string }[] }).data;

    const list = await callsOf(supervisor, '/tickets', 'tickets-table');
    expect(list.some((c) => c.startsWith('GET /api/v1/tickets?'))).toBe(true);
    expect(twice(list)).toEqual([]);

    const detail = await callsOf(supervisor, `/tickets/${ticket!.id}`, 'ticket-timeline');
    expect(detail).toContain(`GET /api/v1/tickets/${ticket!.id}`);
    expect(detail).toContain('GET /api/v1/ticket-categories');
    expect(twice(detail)).toEqual([]);

    const reports = await callsOf(supervisor, '/reports', 'reports-tabs');
    expect(reports.some((c) => c.startsWith('GET /api/v1/reports/month?'))).toBe(true);
    expect(twice(reports)).toEqual([]);
  });

  it('the new-ticket form, the knowledge base and the KPI page ask for each thing once', async () => {
    const supervisor = await signInStaff(browser, server.url, 'supervisor@kefu.demo');

    const form = await callsOf(supervisor, '/tickets/new', 'ticket-subject');
    expect(form).toContain('GET /api/v1/ticket-fields');
    expect(twice(form)).toEqual([]);

    const kb = await callsOf(supervisor, '/knowledge', 'kb-articles');
    expect(kb.some((c) => c.startsWith('GET /api/v1/kb/articles?'))).toBe(true);
    expect(twice(kb)).toEqual([]);

    const kpi = await callsOf(supervisor, '/kpi', 'kpi-month');
    expect(kpi.some((c) => c.startsWith('GET /api/v1/kpi/snapshots?'))).toBe(true);
    expect(twice(kpi)).toEqual([]);
  });
});
