/**
 * Where an agent page's first visit spends its time, in Chromium's own terms:
 *   npm run build && node --import tsx bench/agent-pages-profile.ts [/tickets /kpi …]
 * For each path: a fresh context with the supervisor's session, Chromium's sampling CPU profiler
 * (CDP `Profiler`) from navigation until the page's content is visible and its API calls are
 * done, then the main thread's self time per script file (the entry, shared and route chunks)
 * and the request timeline (scripts, CSS and API calls: start → end, ms from navigation), which
 * shows waterfalls. Not a `.bench.ts` file: no goal, it explains the figures of agent-pages
 * (docs/benchmarks.md).
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import type { Browser } from 'playwright-core';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { rowsOf } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { launchBrowser } from '../e2e/support/browser.js';
import { signInStaff } from '../e2e/support/demo.js';
import { fillAgentQueue } from './agent-pages.bench.js';
import { openBenchDatabase } from './lib.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number; columnNumber?: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const READY: Record<string, string> = {
  '/sign-in': 'input#email',
  '/tickets': '[data-testid="tickets-table"]',
  '/tickets/new': '[data-testid="ticket-subject"]',
  '/knowledge': '[data-testid="kb-articles"]',
  '/kpi': '[data-testid="kpi-empty"], [data-testid="kpi-snapshot"]',
  '/reports': '[data-testid="reports-tabs"]',
  '/qa': '[data-testid="qa-tab-results"]',
  '/chat': '[data-testid="chat-queue-page"]',
  '/calls': '[data-testid="calls-table"]',
  '/admin/users': '[data-testid="users-table"]',
  '/admin/settings': '[data-testid="settings-tabs"]',
};

const { database, close } = await openBenchDatabase();
let browser: Browser | undefined;
const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
try {
  await seedDemo(database.db, systemClock.now());
  const [ticket] = rowsOf<{ id: string }>(
    await database.db.execute(sql`SELECT id FROM tickets ORDER BY received_at DESC LIMIT 1`),
  );
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  // PROFILE_AS=agent: the demo agent, with a full first page in their queue (as agent-pages).
  const as = process.env.PROFILE_AS === 'agent' ? 'agent@kefu.demo' : 'admin@kefu.demo';
  if (as === 'agent@kefu.demo') await fillAgentQueue(base);
  const signedIn = await signInStaff(browser, base, as);
  const session = await signedIn.context().storageState();
  await signedIn.context().close();
  const paths = process.argv.slice(2);
  for (const path of paths.length ? paths : ['/tickets', '/tickets/:id', '/kpi']) {
    const url = path.replace(':id', ticket!.id);
    const ready = READY[path] ?? '[data-testid="ticket-timeline"]';
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      ...(path === '/sign-in' ? {} : { storageState: session }),
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(`${base}${url}`, { waitUntil: 'commit' });
    await page.locator(ready).first().waitFor({ state: 'visible', timeout: 20_000 });
    const visibleAt = await page.evaluate(() => performance.now());
    await page.waitForLoadState('networkidle');
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    const entries = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => {
        const r = e as PerformanceResourceTiming;
        return { name: r.name, start: r.startTime, end: r.responseEnd, size: r.encodedBodySize };
      }),
    );
    await context.close();

    // Self time per script file (and per pseudo-node: (program), (garbage collector), (idle)).
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const file = n.callFrame.url
        ? n.callFrame.url.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '.js')
        : n.callFrame.functionName;
      self.set(file, (self.get(file) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const busy = [...self].filter(([k]) => k !== '(idle)').reduce((s, [, v]) => s + v, 0);
    console.log(
      `\n== ${path}: visible at ${visibleAt.toFixed(0)} ms; main thread busy ${busy.toFixed(0)} ms`,
    );
    for (const [file, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${file}`);
    if (process.env.PROFILE_FUNCTIONS) printFunctionsAndTimeline(profile, byId);
    if (process.env.PROFILE_SOURCES) printSources(profile, byId);
    console.log('  requests (ms from navigation):');
    for (const e of entries.sort((a, b) => a.start - b.start)) {
      const u = new URL(e.name);
      console.log(
        `  ${e.start.toFixed(0).padStart(6)} → ${e.end.toFixed(0).padStart(6)}  ${(e.size / 1024).toFixed(1).padStart(6)} KB  ${u.pathname.replace(/^\/assets\//, '')}${u.search}`,
      );
    }
  }
} finally {
  await browser?.close();
  await app.close();
  await close();
}

/**
 * `PROFILE_FUNCTIONS=1`: the 30 functions with the most self time (name, file:line), and the main
 * thread per 50 ms of the profile — which file was busiest in each slice — to see what runs when.
 */
function printFunctionsAndTimeline(profile: Profile, byId: Map<number, ProfileNode>): void {
  const short = (url: string) => url.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '.js');
  const fn = new Map<string, number>();
  const slices = new Map<number, Map<string, number>>();
  let t = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    t += dt;
    const n = byId.get(id)!;
    const f = n.callFrame as { functionName: string; url: string; lineNumber?: number };
    const key = `${f.functionName || '(anonymous)'}  ${short(f.url)}:${(f.lineNumber ?? 0) + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const slice = Math.floor(t / 50) * 50;
    const m = slices.get(slice) ?? new Map<string, number>();
    const file = f.url ? short(f.url) : f.functionName;
    m.set(file, (m.get(file) ?? 0) + dt);
    slices.set(slice, m);
  });
  console.log('  functions by self time:');
  for (const [k, ms] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${k}`);
  console.log('  main thread per 50 ms (from the profile start; busiest three files):');
  for (const [slice, m] of [...slices].sort((a, b) => a[0] - b[0])) {
    const top = [...m]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ');
    console.log(
      `  ${String(slice).padStart(6)}  idle ${(m.get('(idle)') ?? 0).toFixed(0).padStart(2)}  ${top}`,
    );
  }
}

/**
 * `PROFILE_SOURCES=1` (with a build made by `KEFU_BUILD_SOURCEMAP=1 npm run build`): main-thread
 * time per source module — a package's component folder (`antd/es/table`, `rc-menu`) or an app
 * file — both self (the module's own functions) and total (the module anywhere on the stack,
 * counted once per sample), to see which components a page's first render pays for.
 * `PROFILE_SOURCE_FNS=<module>` also lists that module's ten busiest functions (line:column in
 * the built chunk).
 */
function printSources(profile: Profile, byId: Map<number, ProfileNode>): void {
  const maps = new Map<string, SourceMapConsumer | null>();
  const consumer = (url: string) => {
    const file = url.replace(/^.*\/assets\//, '');
    if (!maps.has(file)) {
      try {
        const raw = JSON.parse(
          readFileSync(new URL(`../web/dist/assets/${file}.map`, import.meta.url), 'utf8'),
        ) as RawSourceMap;
        maps.set(file, new SourceMapConsumer(raw));
      } catch {
        maps.set(file, null);
      }
    }
    return maps.get(file) ?? null;
  };
  const moduleOf = new Map<number, string>();
  const nameOf = (n: ProfileNode): string => {
    const cached = moduleOf.get(n.id);
    if (cached !== undefined) return cached;
    const f = n.callFrame;
    let name = f.url ? f.url.replace(/^.*\//, '') : f.functionName;
    const c = f.url ? consumer(f.url) : null;
    if (c) {
      const pos = c.originalPositionFor({
        line: (f.lineNumber ?? 0) + 1,
        column: f.columnNumber ?? 0,
      });
      if (pos.source) {
        const src = pos.source.replace(/^.*node_modules\//, 'npm:');
        const m = /^npm:((?:@[^/]+\/)?[^/]+)\/(?:es|lib|dist|cjs|esm)?\/?([^/]+)?/.exec(src);
        name = m
          ? `${m[1]}${m[2] && !m[2].includes('.') ? `/${m[2]}` : ''}`
          : src.replace(/^.*\/web\/src\//, 'src/');
      }
    }
    moduleOf.set(n.id, name);
    return name;
  };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const fns = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const n = byId.get(id)!;
    const own = nameOf(n);
    if (own === '(idle)') return;
    self.set(own, (self.get(own) ?? 0) + dt);
    if (process.env.PROFILE_SOURCE_FNS && own.includes(process.env.PROFILE_SOURCE_FNS)) {
      const k = `${own} ${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
      fns.set(k, (fns.get(k) ?? 0) + dt);
    }
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const m = nameOf(byId.get(at)!);
      if (!seen.has(m)) {
        seen.add(m);
        total.set(m, (total.get(m) ?? 0) + dt);
      }
    }
  });
  console.log('  source modules: self ms / total ms (any stack frame)');
  for (const [k, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 45))
    console.log(
      `  ${(self.get(k) ?? 0).toFixed(0).padStart(6)} / ${ms.toFixed(0).padStart(6)}  ${k}`,
    );
  for (const [k, ms] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 10))
    console.log(`  fn ${ms.toFixed(1).padStart(6)}  ${k}`);
}
