import { WebSocket, WebSocketServer } from 'ws';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { chatConversations } from '../server/src/db/schema/index.js';
import { systemClock } from '../server/src/lib/clock.js';
import { signVisitor } from '../server/src/modules/chat/rules/identity.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

/**
 * 1,000 concurrent chat conversations on one instance over real WebSockets (issue 14). Each
 * conversation has two widget connections (the visitor's two tabs): one sends, and the fan-out
 * latency is the time from sending a `msg` frame until the other connection receives the `msg`
 * event (sequence number from the database, published on the chat bus, delivered). Each
 * conversation sends MESSAGES messages at random moments over SPREAD_MS. Baseline, same run,
 * same sockets and schedule: a bare `ws` server relaying each frame to the other connection of
 * its pair. Goal: p95 ≤ 100 ms. Also the process RSS with all connections open (server and the
 * 2,000 client sockets share this process, so it is an upper bound for the server).
 * Conversations are seeded as active with no ticket: the timeline write of a ticketed chat is
 * not in the figure.
 */
const CONVERSATIONS = Number(process.env.BENCH_CHAT_CONVERSATIONS ?? 1000);
// A visitor writes about every 20 s: 2 messages each over 40 s (1,000 conversations: 50 msg/s).
const MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 2);
const SPREAD_MS = Number(process.env.BENCH_CHAT_SPREAD_MS ?? 40_000);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

interface Pair {
  a: WebSocket;
  b: WebSocket;
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Sends on `a`, waits for the matching delivery on `b`; the latencies of all messages. */
async function drive(
  pairs: Pair[],
  frame: (i: number, k: number) => string,
  delivered: (data: string) => string | null,
): Promise<{ latencies: number[]; lost: number }> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let expected = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  pairs.forEach((p) =>
    p.b.on('message', (data: Buffer) => {
      const key = delivered(data.toString('utf8'));
      if (!key) return;
      const t0 = sentAt.get(key);
      if (t0 === undefined) return;
      sentAt.delete(key);
      latencies.push(performance.now() - t0);
      if (latencies.length === expected) done();
    }),
  );
  const timers: NodeJS.Timeout[] = [];
  pairs.forEach((p, i) => {
    for (let k = 0; k < MESSAGES; k++) {
      expected += 1;
      timers.push(
        setTimeout(() => {
          sentAt.set(`${i}:${k}`, performance.now());
          p.a.send(frame(i, k));
        }, Math.random() * SPREAD_MS),
      );
    }
  });
  await Promise.race([all, new Promise((r) => setTimeout(r, SPREAD_MS + 30_000))]);
  timers.forEach(clearTimeout);
  return { latencies, lost: expected - latencies.length };
}

async function connectAll(n: number, url: (i: number) => string): Promise<Pair[]> {
  const pairs: Pair[] = [];
  // In batches: a burst of 2,000 handshakes at once is not what is measured here.
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async (_, j) => ({
        a: await open(url(i + j)),
        b: await open(url(i + j)),
      })),
    );
    pairs.push(...batch);
  }
  return pairs;
}

const closeAll = (pairs: Pair[]) =>
  pairs.forEach((p) => {
    p.a.terminate();
    p.b.terminate();
  });

export default async function chatFanoutBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  const engine = database.engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
  // Baseline: a bare relay, same sockets and schedule.
  const bare = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => bare.once('listening', () => r()));
  const peers = new Map<string, WebSocket[]>();
  bare.on('connection', (ws, req) => {
    const pair = new URL(req.url ?? '/', 'http://x').searchParams.get('pair') ?? '';
    const list = peers.get(pair) ?? [];
    list.push(ws);
    peers.set(pair, list);
    ws.on('message', (data: Buffer) => {
      for (const other of peers.get(pair) ?? []) if (other !== ws) other.send(data.toString());
    });
  });
  const bareAddr = bare.address() as { port: number };
  const barePairs = await connectAll(
    CONVERSATIONS,
    (i) => `ws://127.0.0.1:${bareAddr.port}/?pair=${i}`,
  );
  const bareRun = await drive(
    barePairs,
    (i, k) => JSON.stringify({ t: 'msg', cid: `${i}:${k}` }),
    (d) => (JSON.parse(d) as { cid?: string }).cid ?? null,
  );
  closeAll(barePairs);
  await new Promise((r) => bare.close(r));

  const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
  try {
    const site = await app.chat.createSite(
      {
        actorId: null,
        actorName: 'bench',
        ip: null,
        userAgent: null,
        requestId: null,
        at: systemClock.now(),
      },
      { name: 'bench' },
    );
    const now = systemClock.now();
    const convs = await database.db
      .insert(chatConversations)
      .values(
        Array.from({ length: CONVERSATIONS }, (_, i) => ({
          siteId: site.id,
          visitorKey: `anon:bench-${i}`,
          state: 'active',
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: chatConversations.id, visitorKey: chatConversations.visitorKey });
    const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
    const rssBefore = process.memoryUsage().rss;
    const pairs = await connectAll(CONVERSATIONS, (i) => {
      const c = convs[i]!;
      const token = encodeURIComponent(signVisitor(site.secret, c.visitorKey));
      return `${base}/chat/ws?key=${site.publicKey}&token=${token}&conversation=${c.id}&after=0`;
    });
    const rssOpen = process.memoryUsage().rss;
    const run = await drive(
      pairs,
      (i, k) => JSON.stringify({ t: 'msg', cid: `${i}:${k}`, body: `消息 ${k}` }),
      (d) => {
        const f = JSON.parse(d) as { t: string; m?: { clientId?: string | null } };
        return f.t === 'msg' ? (f.m?.clientId ?? null) : null;
      },
    );
    const rssPeak = process.memoryUsage().rss;
    closeAll(pairs);
    const lost = run.lost ? { invalid: `${run.lost} messages not delivered within 30 s` } : {};
    const name = 'chat-fanout';
    return [
      {
        name,
        metric: `bare relay p95 (${CONVERSATIONS}×2 sockets)`,
        value: percentile(bareRun.latencies, 95),
        unit: 'ms',
      },
      {
        name,
        metric: `fan-out p50 (${engine})`,
        value: percentile(run.latencies, 50),
        unit: 'ms',
        ...lost,
      },
      {
        name,
        metric: `fan-out p95 (${engine}, ${CONVERSATIONS} conversations, ${Math.round((CONVERSATIONS * MESSAGES * 1000) / SPREAD_MS)} msg/s)`,
        value: percentile(run.latencies, 95),
        unit: 'ms',
        goal: { atMost: 100 },
        ...lost,
      },
      {
        name,
        metric: `fan-out p99 (${engine})`,
        value: percentile(run.latencies, 99),
        unit: 'ms',
        ...lost,
      },
      {
        name,
        metric: 'process RSS, all sockets open (server + clients)',
        value: Math.round(rssPeak / 2 ** 20),
        unit: 'MiB',
      },
      {
        name,
        metric: 'RSS growth opening the chat sockets',
        value: Math.round((rssOpen - rssBefore) / 2 ** 20),
        unit: 'MiB',
      },
    ];
  } finally {
    await app.close();
    await close();
  }
}
