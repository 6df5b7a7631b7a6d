/**
 * Where the time of one inbound mail goes, statement by statement (issue 13):
 *   DATABASE_URL=… node --import tsx bench/mail-profile.ts      (or PGlite without it)
 * Every statement sent through `pg` (or PGlite) is timed in-process; N messages, each from a new
 * address (so each also creates its customer), are ingested in batches of PROFILE_BATCH (default
 * 1) one batch after another after a warm-up; figures are per message.
 * Not a `.bench.ts` file: it explains the mail-inbound figure (docs/benchmarks.md).
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { ingestBatch } from '../server/src/modules/mail/inbound.js';
import { openBenchDatabase } from './lib.js';

const N = Number(process.env.PROFILE_RUNS ?? 64);
/** Messages a transaction (the receiver's queue batches what arrives together). */
const BATCH = Number(process.env.PROFILE_BATCH ?? 1);

interface Stat {
  count: number;
  ms: number;
}
let log: Map<string, Stat> | null = null;
const shorten = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 110);
function note(text: string, ms: number) {
  if (!log) return;
  const key = shorten(text);
  const s = log.get(key) ?? { count: 0, ms: 0 };
  s.count++;
  s.ms += ms;
  log.set(key, s);
}
type QueryFn = (this: unknown, ...args: unknown[]) => unknown;
function wrap(proto: { query: QueryFn }) {
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
    const t0 = performance.now();
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (...r: unknown[]) => unknown;
      args[last] = (...r: unknown[]) => {
        note(text, performance.now() - t0);
        return cb(...r);
      };
      return original.apply(this, args);
    }
    const out = original.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function')
      void (out as Promise<unknown>).then(
        () => note(text, performance.now() - t0),
        () => note(text, performance.now() - t0),
      );
    return out;
  };
}
wrap(pg.Client.prototype as unknown as { query: QueryFn });
wrap(PGlite.prototype as unknown as { query: QueryFn });

const message = (i: number) =>
  Buffer.from(
    [
      `From: "客户 ${i}" <profile-${i}@bench.example>`,
      'To: support@kefu.example',
      `Subject: =?UTF-8?B?${Buffer.from(`订单 ${i} 的发票需要重开`).toString('base64')}?=`,
      `Message-ID: <profile-${i}@bench.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `你好，订单 ${i} 的发票抬头写错了，请帮忙重开。`,
      '',
      '谢谢',
    ].join('\r\n'),
  );

const { database, close } = await openBenchDatabase();
try {
  const { db } = database;
  await seedDemo(db, systemClock.now());
  const run = async (from: number, n: number) => {
    const items = Array.from({ length: n }, (_, k) => ({
      raw: message(from + k),
      src: { source: 'smtp' as const, arrivedAt: systemClock.now() },
    }));
    for (const r of await ingestBatch(db, systemClock.now(), items))
      if (r instanceof Error || r.outcome !== 'ticket')
        throw new Error(`message: ${r instanceof Error ? r.message : r.outcome}`);
  };
  await run(-100, 5);
  log = new Map();
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) await run(i, Math.min(BATCH, N - i));
  const wall = (performance.now() - t0) / N;
  await new Promise((r) => setTimeout(r, 50));
  const stats = [...log.entries()].sort((a, b) => b[1].ms - a[1].ms);
  log = null;
  const per = stats.reduce((n, [, s]) => n + s.count, 0) / N;
  const dbMs = stats.reduce((n, [, s]) => n + s.ms, 0) / N;
  console.log(
    `\ningest in batches of ${BATCH} (${database.engine}): ${wall.toFixed(1)} ms a message, ` +
      `${per.toFixed(1)} statements, ${dbMs.toFixed(1)} ms in them`,
  );
  for (const [text, s] of stats)
    console.log(
      `  ${(s.count / N).toFixed(1).padStart(4)} × ${(s.ms / s.count).toFixed(2).padStart(6)} ms  ${text}`,
    );
} finally {
  await close();
}
