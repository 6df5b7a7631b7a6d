import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../server/src/db/client.js';
import { hashPassword } from '../server/src/modules/auth/passwords.js';
import type { BenchResult } from './lib.js';
import { openSeededDatabase } from './kpi-seed.js';

const MONTH = '2026-03';
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-04-01T02:00:00Z');
/** 1 % of the seed is merged away: 1,010,101 tickets leave 1,000,000 counted as received. */
const TICKETS = Number(process.env.BENCH_EXPORT_TICKETS ?? 1_010_101);
/** Peak server RSS over its baseline while exporting (see docs/benchmarks.md for the why). */
const RSS_GOAL_MB = 200;
const EMAIL = 'export-admin@reports.bench';
const PASSWORD = 'bench-export-password';

/**
 * The drill-down export of a month's received tickets (`GET /api/v1/reports/month/export?
 * table=tickets&kpi=complaint_rate&part=denominator`) as CSV and as Excel, 1,000,000 rows, on
 * PostgreSQL, through the real HTTP route of a separate server process
 * (bench/reports-export-server.ts). The server's RSS (/proc/<pid>/status) is sampled every 50 ms:
 * baseline just before, peak during, and the peak up to the middle of the download (a bounded
 * export reaches its plateau early: the second half adds nothing). Rows/s = rows / wall time.
 * The data set: bench/kpi-seed.ts with one month of TICKETS, kept in BENCH_EXPORT_DB
 * (default kefu_bench_export_1m) and reused.
 */
export default async function reportsExportBench(): Promise<BenchResult[]> {
  if (!process.env.DATABASE_URL) {
    console.error('  reports-export: PostgreSQL only (set DATABASE_URL); skipped');
    return [];
  }
  const name = process.env.BENCH_EXPORT_DB ?? 'kefu_bench_export_1m';
  const seeded = await openSeededDatabase(
    { tickets: TICKETS, surveys: 30_000, months: 1, lastMonth: MONTH, timeZone: TZ },
    NOW,
    name,
  );
  const results: BenchResult[] = [];
  let agentId: string;
  try {
    const db = seeded.database.db;
    if (seeded.seedMs !== null)
      results.push({
        name: 'reports-export',
        metric: `seed ${TICKETS.toLocaleString('en')} tickets in one month`,
        value: seedMs(seeded.seedMs),
        unit: 's',
      });
    // An administrator to sign in as (kept with the data set).
    await db.execute(sql`INSERT INTO users (email, name, roles, password_hash, created_at, updated_at)
      VALUES (${EMAIL}, 'export bench', '{admin}', ${await hashPassword(PASSWORD)}, now(), now())
      ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash`);
    const [agent] = rowsOf<{ id: string }>(
      await db.execute(sql`SELECT id FROM users WHERE email = 'agent1@kpi.bench'`),
    );
    agentId = agent!.id;
  } finally {
    await seeded.close();
  }

  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/reports-export-server.ts'], {
    cwd: new URL('../', import.meta.url),
    env: { ...process.env, BENCH_EXPORT_URL: url.toString() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`export server exited (${code})`)));
      createInterface({ input: child.stdout! }).once('line', (l) =>
        resolve((JSON.parse(l) as { url: string }).url),
      );
    });
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}`);
    const cookie = signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('kefu_session='))!
      .split(';')[0]!;
    const exportUrl = (format: string, who = '') =>
      `${base}/api/v1/reports/month/export?month=${MONTH}&table=tickets&format=${format}` +
      `&kpi=complaint_rate&part=denominator${who}`;
    // Warm-up: one agent's tickets (≈ 2,000) in both formats — code loaded, JIT warm.
    for (const format of ['csv', 'xlsx'])
      await download(exportUrl(format, `&subject=agent&id=${agentId}`), cookie, child.pid!);

    let csvRows = 0;
    // BENCH_EXPORT_FORMATS=csv measures one format only (rows are counted on the CSV: with xlsx
    // alone, the row count is not known and the rate is reported per 1,000,000).
    const formats = (process.env.BENCH_EXPORT_FORMATS ?? 'csv,xlsx').split(',');
    for (const format of ['csv', 'xlsx'].filter((f) => formats.includes(f))) {
      const load = loadAverage();
      const r = await download(exportUrl(format), cookie, child.pid!);
      if (format === 'csv') csvRows = r.lines - 1; // the header
      const rows = csvRows || 1_000_000;
      const tag = `${format.toUpperCase()}, ${rows.toLocaleString('en')} rows, PostgreSQL, load ${load}→${loadAverage()}`;
      const invalid =
        r.status !== 200
          ? `answered ${r.status}`
          : format === 'xlsx' && !r.zipEnd
            ? 'not a complete .xlsx (no end of the zip directory)'
            : format === 'csv' && rows < 1_000_000 && TICKETS >= 1_010_101
              ? `${rows} rows, expected 1,000,000`
              : undefined;
      results.push(
        {
          name: 'reports-export',
          metric: `${tag}: throughput (${(r.bytes / 1e6).toFixed(0)} MB in ${(r.ms / 1000).toFixed(0)} s)`,
          value: rows / (r.ms / 1000),
          unit: 'rows/s',
          ...(invalid ? { invalid } : {}),
        },
        {
          name: 'reports-export',
          metric: `${tag}: server RSS baseline before`,
          value: r.baselineMb,
          unit: 'MB',
        },
        {
          name: 'reports-export',
          metric: `${tag}: server RSS peak up to the middle of the download`,
          value: r.halfPeakMb,
          unit: 'MB',
        },
        {
          name: 'reports-export',
          metric: `${tag}: server RSS peak`,
          value: r.peakMb,
          unit: 'MB',
        },
        {
          name: 'reports-export',
          metric: `${tag}: server RSS peak − baseline`,
          value: r.peakMb - r.baselineMb,
          unit: 'MB',
          goal: { atMost: RSS_GOAL_MB },
        },
      );
    }
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
  return results;
}

const seedMs = (ms: number) => ms / 1000;

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
}

/** The resident set of a process, MB (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

interface Download {
  status: number;
  bytes: number;
  lines: number;
  ms: number;
  zipEnd: boolean;
  baselineMb: number;
  halfPeakMb: number;
  peakMb: number;
}

/** Reads the whole answer as fast as it comes, counting, while sampling the server's RSS. */
async function download(url: string, cookie: string, pid: number): Promise<Download> {
  // Baseline: the median of a few samples with the server idle.
  const idle: number[] = [];
  for (let i = 0; i < 5; i++) {
    idle.push(rssMb(pid));
    await new Promise((r) => setTimeout(r, 100));
  }
  const baselineMb = idle.sort((a, b) => a - b)[2]!;
  let peakMb = baselineMb;
  const watch = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 50);
  const start = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  let bytes = 0;
  let lines = 0;
  let halfPeakMb = 0;
  let tail = Buffer.alloc(0);
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
    tail = Buffer.concat([tail, Buffer.from(value)]).subarray(-64);
    // "The middle": 40 MB of CSV or 15 MB of Excel, about half of either at a million rows.
    if (!halfPeakMb && bytes >= (url.includes('format=csv') ? 40e6 : 15e6)) halfPeakMb = peakMb;
  }
  const ms = performance.now() - start;
  clearInterval(watch);
  peakMb = Math.max(peakMb, rssMb(pid));
  return {
    status: res.status,
    bytes,
    lines,
    ms,
    zipEnd: tail.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06])),
    baselineMb,
    halfPeakMb: halfPeakMb || peakMb,
    peakMb,
  };
}
