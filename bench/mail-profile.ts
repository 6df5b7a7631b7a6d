/**
 * Where the time of one inbound mail goes, statement by statement (issue 13):
 *   DATABASE_URL=… node --import tsx bench/mail-profile.ts      (or PGlite without it)
 * Every statement sent through `pg` (or PGlite) is timed in-process; N messages, each from a new
 * address (so each also creates its customer), are ingested in batches of PROFILE_BATCH (default
 * 1) one batch after another after a warm-up; figures are per message.
 * Not a `.bench.ts` file: it explains the mail-inbound figure (docs/benchmarks.md).
 */
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { ingestBatch } from '../server/src/modules/mail/inbound.js';
import { openBenchDatabase } from './lib.js';
import { profileStatements } from './statement-profile.js';

const N = Number(process.env.PROFILE_RUNS ?? 64);
/** Messages a transaction (the receiver's queue batches what arrives together). */
const BATCH = Number(process.env.PROFILE_BATCH ?? 1);

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
  await profileStatements(
    `ingest in batches of ${BATCH} (${database.engine})`,
    'a message',
    N,
    async () => {
      for (let i = 0; i < N; i += BATCH) await run(i, Math.min(BATCH, N - i));
    },
  );
} finally {
  await close();
}
