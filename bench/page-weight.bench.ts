import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Browser, Response } from 'playwright-core';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { inviteForTicket, mintToken } from '../server/src/modules/surveys/delivery.js';
import { issueConfirmation } from '../server/src/modules/tickets/confirmations.js';
import type { TicketRow } from '../server/src/modules/tickets/access.js';
import { browserAvailable, launchBrowser } from '../e2e/support/browser.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

/** Goal of issue 10: the customer-facing first loads, compressed as served. */
const GOAL_KB = 200;
const WEB_DIST = fileURLToPath(new URL('../web/dist/index.html', import.meta.url));

interface Page {
  key: string;
  path: string;
  /** What shows once the page has rendered its content (a CSS selector). */
  ready: string;
  /** Also count the page's fetch/XHR answers (the API docs page's OpenAPI document). */
  fetches?: boolean;
  /** The page's weight has a goal (the customer-facing pages). */
  goal?: boolean;
}

/**
 * First-load weight of the customer-facing pages: the help centre, the resolution
 * confirmation page and the satisfaction survey, opened in a fresh Chromium profile (empty
 * cache) against the built web app (`npm run build` first) served by the real server. Counts the
 * bytes of HTML, JS and CSS as sent over the wire (after brotli/gzip) until the page has
 * rendered and the network is idle; API answers and images are not counted. Also prints the
 * decoded size and the time until the content showed. Goal: ≤ 200 KB each. The API docs page
 * (Swagger UI, with its OpenAPI document counted) is weighed the same way, without a goal.
 */
export default async function pageWeightBench(): Promise<BenchResult[]> {
  if (!existsSync(WEB_DIST)) throw new Error('web/dist missing: run `npm run build` first');
  if (!browserAvailable()) throw new Error('no Chromium (KEFU_CHROMIUM or /usr/bin/chromium)');
  const { database, close } = await openBenchDatabase();
  let browser: Browser | undefined;
  const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
  try {
    const now = systemClock.now();
    await seedDemo(database.db, now);
    const [ticket] = rowsOf<{ id: string }>(
      await database.db.execute(sql`SELECT id FROM tickets ORDER BY received_at LIMIT 1`),
    );
    const { token } = await issueConfirmation(
      database.db,
      { id: ticket!.id } as TicketRow,
      now,
      7,
      null,
    );
    // A survey invitation for a ticket the demo has not surveyed yet, opened by its link.
    const [unsurveyed] = rowsOf<{ id: string }>(
      await database.db.execute(sql`
        SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id
        WHERE c.email IS NOT NULL AND t.close_kind IS DISTINCT FROM 'merged'
          AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.ticket_id = t.id)
        ORDER BY t.received_at LIMIT 1`),
    );
    const invitation = unsurveyed && (await inviteForTicket(database.db, now, unsurveyed.id));
    if (!invitation) throw new Error('the demo has no ticket left to survey');
    const surveyToken = await mintToken(database.db, invitation.id, 'link', now);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const pages: Page[] = [
      { key: 'help centre', path: '/help', ready: '[data-testid=help-search]', goal: true },
      {
        key: 'confirmation page',
        path: `/portal/confirm/${token}`,
        ready: '[data-testid=confirm-summary]',
        goal: true,
      },
      {
        key: 'survey page',
        path: `/survey/${surveyToken}`,
        ready: '[data-testid=survey-form]',
        goal: true,
      },
      // Swagger UI and the OpenAPI document (issue 10: 6 s to load); no goal of its own.
      { key: 'API docs', path: '/api/docs', ready: '.opblock-tag', fetches: true },
    ];
    const results: BenchResult[] = [];
    for (const p of pages) {
      const w = await weigh(browser, base, p);
      console.error(
        `  ${p.key}: ${(w.wire / 1024).toFixed(1)} KB compressed, ${(w.decoded / 1024).toFixed(1)} KB decoded, ${w.files.length} files`,
      );
      for (const f of w.files)
        console.error(`    ${(f.wire / 1024).toFixed(1).padStart(7)} KB  ${f.url}`);
      results.push(
        {
          name: 'page-weight',
          metric: `${p.key}: until shown (first load)`,
          value: w.shownMs,
          unit: 'ms',
        },
        {
          name: 'page-weight',
          metric: `${p.key}: HTML + JS + CSS${p.fetches ? ' + API' : ''} decoded`,
          value: w.decoded / 1024,
          unit: 'KB',
        },
        {
          name: 'page-weight',
          metric: `${p.key}: HTML + JS + CSS${p.fetches ? ' + API' : ''} compressed (first load, ${w.files.length} files)`,
          value: w.wire / 1024,
          unit: 'KB',
          ...(p.goal ? { goal: { atMost: GOAL_KB } } : {}),
          ...(w.uncompressed.length
            ? { invalid: `not compressed: ${w.uncompressed.join(', ')}` }
            : {}),
        },
      );
    }
    return results;
  } finally {
    await browser?.close();
    await app.close();
    await close();
  }
}

interface Weight {
  /** From navigation until the page's content showed. */
  shownMs: number;
  wire: number;
  decoded: number;
  files: { url: string; wire: number }[];
  /** Files of 1 KB or more sent without content-encoding (the build precompresses those). */
  uncompressed: string[];
}

async function weigh(browser: Browser, base: string, p: Page): Promise<Weight> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const responses: Response[] = [];
  const kinds = ['document', 'script', 'stylesheet', ...(p.fetches ? ['fetch', 'xhr'] : [])];
  page.on('response', (res) => {
    if (kinds.includes(res.request().resourceType())) responses.push(res);
  });
  const started = performance.now();
  await page.goto(`${base}${p.path}`);
  await page.locator(p.ready).first().waitFor();
  const shownMs = performance.now() - started;
  await page.waitForLoadState('networkidle');
  const w: Weight = { shownMs, wire: 0, decoded: 0, files: [], uncompressed: [] };
  for (const res of responses) {
    const sizes = await res.request().sizes();
    const body = await res.body();
    const url = res.url().replace(base, '');
    w.wire += sizes.responseBodySize;
    w.decoded += body.length;
    w.files.push({
      url: url.length > 60 ? `${url.slice(0, 57)}…` : url,
      wire: sizes.responseBodySize,
    });
    if (body.length >= 1024 && !res.headers()['content-encoding']) w.uncompressed.push(url);
  }
  w.files.sort((a, b) => b.wire - a.wire);
  await context.close();
  return w;
}
