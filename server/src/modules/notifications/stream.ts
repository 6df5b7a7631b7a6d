/**
 * One signed-in user's live notification stream (Server-Sent Events, `text/event-stream`):
 *
 * - `event: unread` `{ "count": n }` — on connect and whenever the count changes;
 * - `event: notification` — a notification the user did not have when the stream opened
 *   (`id:` is its id), with the fields of the REST list;
 * - a comment line every `heartbeatMs` so proxies keep the connection open.
 *
 * The stream never trusts the bus for content: a wake-up only makes it read the newest unread
 * rows of its user and send those it has not sent, so duplicates and reordered commits are
 * harmless. A browser's EventSource reconnects by itself (`retry:`); the page reloads its list
 * when the stream (re)opens.
 */
import type { ServerResponse } from 'node:http';
import type { Db } from '../../db/client.js';
import { countUnread, recentUnread, type NotificationView } from '../tickets/notifications.js';
import type { NotificationBus } from './bus.js';

/** Notifications written up to this long before the stream opened still count as news: a
 * sweep takes its `now` before its batch commits. */
const LOOKBACK_MS = 10 * 60_000;
const SENT_MEMORY = 500;

export interface StreamOptions {
  db: Db;
  bus: NotificationBus;
  userId: string;
  now: () => Date;
  heartbeatMs: number;
  /**
   * Whether the stream's session (or token) still stands — asked before every read and at
   * every heartbeat; once it says no the stream ends, so a signed-out or expired session
   * hears nothing more.
   */
  stillSignedIn?: () => Promise<boolean>;
}

export interface OpenStream {
  /** Ends the stream (server shutting down). */
  close(): void;
  /** Resolves when the client has gone or the stream was closed. */
  done: Promise<void>;
}

export async function openNotificationStream(
  res: ServerResponse,
  opts: StreamOptions,
): Promise<OpenStream> {
  const { db, userId } = opts;
  const since = new Date(opts.now().getTime() - LOOKBACK_MS);
  const sent = new Set<string>();
  let lastCount = -1;
  let ended = false;
  let running = false;
  let again = false;
  let end: () => void = () => {};
  const signedIn = async () => {
    if (!opts.stillSignedIn || (await opts.stillSignedIn())) return true;
    end();
    return false;
  };

  const write = (text: string) => {
    if (!ended) res.write(text);
  };
  const event = (name: string, data: unknown, id?: string) =>
    write(`${id ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  const remember = (n: NotificationView) => {
    sent.add(n.id);
    if (sent.size > SENT_MEMORY) sent.delete(sent.values().next().value!);
  };

  const look = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (!(await signedIn())) return;
        const fresh = (await recentUnread(db, userId, since)).filter((n) => !sent.has(n.id));
        for (const n of fresh.reverse()) {
          remember(n);
          event('notification', n, n.id);
        }
        const count = await countUnread(db, userId);
        if (count !== lastCount) {
          lastCount = count;
          event('unread', { count });
        }
      } while (again && !ended);
    } catch {
      // A failed read (database restarting) is retried on the next wake-up or heartbeat.
    } finally {
      running = false;
    }
  };

  // What exists when the stream opens is not news: the page lists it over REST.
  for (const n of await recentUnread(db, userId, since, 100)) remember(n);
  const unsubscribe = await opts.bus.subscribe(userId, () => void look());

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx: do not buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  write('retry: 5000\n\n');

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const heartbeat = setInterval(
    () => void signedIn().then((ok) => ok && write(': keep-alive\n\n'), end),
    opts.heartbeatMs,
  );
  heartbeat.unref();
  end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
    finish();
  };
  await look();
  res.on('close', end);
  res.on('error', end);
  return { close: end, done };
}
