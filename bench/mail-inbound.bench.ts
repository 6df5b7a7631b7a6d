import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { rowsOf, type Db } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { systemClock } from '../server/src/lib/clock.js';
import { createSmtpReceiver } from '../server/src/modules/mail/receiver.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

/**
 * Inbound mail (issue 13): messages per second from receipt to committed ticket, through Kefu's
 * own SMTP receiver (it answers 250 only after the message's ticket committed, so a sender's
 * `sendMail` resolving is the ticket being there). `BENCH_MAIL_CONNECTIONS` senders (default 8)
 * each send their share one after another; every message comes from a new address, so each also
 * creates its customer. Baseline in the same run: the same senders against a bare `smtp-server`
 * that reads the message and answers at once. Goal (PostgreSQL): ≥ 200 messages/s.
 */
const COUNT = Number(process.env.BENCH_MAIL_COUNT ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_MAIL_CONNECTIONS ?? 8);

export default async function mailInboundBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  const engine = database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  try {
    await seedDemo(database.db, systemClock.now());
    const port = await freePort();
    await database.db.execute(sql`UPDATE mail_inbound_settings
      SET smtp_enabled = true, smtp_host = '127.0.0.1', smtp_port = ${port}, sender_limit = 10000`);
    const receiver = createSmtpReceiver({ db: database.db, clock: systemClock });
    const state = await receiver.reconcile();
    if (!state.listening) throw new Error(`the SMTP receiver did not start: ${state.error}`);

    const bare = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => callback());
      },
    });
    const barePort = await freePort();
    await new Promise<void>((resolve) => bare.listen(barePort, '127.0.0.1', resolve));
    try {
      const baseline = await send(barePort, 'bare');
      const before = await ticketCount(database.db);
      const run = await send(port, 'kefu');
      const made = (await ticketCount(database.db)) - before;
      const invalid =
        run.failed > 0 || made !== COUNT
          ? { invalid: `${run.failed} refused, ${made} of ${COUNT} tickets registered` }
          : {};
      return [
        { name: 'mail-inbound', metric: 'bare SMTP msg/s', value: baseline.perSec, unit: 'msg/s' },
        {
          name: 'mail-inbound',
          metric: `receipt → committed ticket msg/s (${engine}, ${CONNECTIONS} senders)`,
          value: run.perSec,
          unit: 'msg/s',
          goal: { atLeast: 200 },
          ...invalid,
        },
        {
          name: 'mail-inbound',
          metric: `receipt → committed ticket p95 (${engine})`,
          value: run.p95Ms,
          unit: 'ms',
          ...invalid,
        },
        {
          name: 'mail-inbound',
          metric: `Kefu ÷ bare msg/s (${engine})`,
          value: run.perSec / baseline.perSec,
          unit: 'ratio',
        },
      ];
    } finally {
      await new Promise<void>((resolve) => bare.close(() => resolve()));
      await receiver.stop();
    }
  } finally {
    await close();
  }
}

async function send(port: number, tag: string) {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, worker) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
        maxMessages: Infinity,
      });
      try {
        for (let i = next++; i < COUNT; i = next++) {
          const t0 = performance.now();
          try {
            await transport.sendMail({
              from: `"客户 ${i}" <customer-${tag}-${i}@bench.example>`,
              to: 'support@kefu.example',
              subject: `订单 ${i} 的发票需要重开`,
              text: `你好，订单 ${i} 的发票抬头写错了，请帮忙重开。\n\n谢谢\n-- \n客户 ${i}`,
              messageId: `<bench-${tag}-${worker}-${i}@bench.example>`,
            });
            latencies.push(performance.now() - t0);
          } catch {
            failed += 1;
          }
        }
      } finally {
        transport.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSec: (COUNT - failed) / seconds,
    p95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
    failed,
  };
}

async function ticketCount(db: Db) {
  return rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM tickets`))[0]!.n;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
