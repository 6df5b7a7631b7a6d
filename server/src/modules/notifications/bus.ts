/**
 * Live notifications: whoever inserts notifications calls `publishNotifications(tx, userIds)` in
 * the same transaction; the open streams of those users hear about it once the transaction has
 * committed (never when it rolls back) and read what is new themselves.
 *
 * Publishing is PostgreSQL's NOTIFY (`pg_notify`), which both engines deliver at COMMIT — so the
 * sweeper's bulk inserts and a ticket command's single insert publish the same way, and a crash
 * before COMMIT publishes nothing. The payload names only users (a comma-separated list, split
 * to stay under NOTIFY's 8,000 bytes), never content: a stream reads its user's rows.
 *
 * Listening is the `NotificationBus`: on PostgreSQL one dedicated connection per process LISTENs
 * (so a notification written by any process reaches streams open on every process); on PGlite —
 * one process by construction — the engine's in-process listener is used. Either fans out to
 * the process's subscribers by user. Both start lazily with the first subscriber.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { Database, Executor } from '../../db/client.js';

export const NOTIFY_CHANNEL = 'kefu_notifications';
/** NOTIFY payloads must stay under 8,000 bytes: about 200 user ids each. */
const PAYLOAD_LIMIT = 7_500;

/** Tells the listening processes — after COMMIT of `ex` — that these users have news. */
export async function publishNotifications(
  ex: Executor,
  userIds: readonly string[],
): Promise<void> {
  const payloads: string[] = [];
  let current = '';
  for (const id of new Set(userIds)) {
    if (current && current.length + id.length + 1 > PAYLOAD_LIMIT) {
      payloads.push(current);
      current = '';
    }
    current = current ? `${current},${id}` : id;
  }
  if (current) payloads.push(current);
  if (payloads.length === 0) return;
  const list = sql.join(
    payloads.map((p) => sql`${p}`),
    sql`, `,
  );
  await ex.execute(
    sql`SELECT pg_notify(${NOTIFY_CHANNEL}, p) FROM unnest(ARRAY[${list}]::text[]) p`,
  );
}

/** Called when its user may have new notifications (or after a reconnect: look anyway). */
export type Wake = () => void;

export interface NotificationBus {
  /** Resolves once the process listens, so nothing committed afterwards is missed. */
  subscribe(userId: string, wake: Wake): Promise<() => void>;
  close(): Promise<void>;
}

/** The fan-out both implementations share: user id → the wakes of that user's streams. */
abstract class FanOutBus implements NotificationBus {
  private readonly byUser = new Map<string, Set<Wake>>();
  private started: Promise<void> | null = null;
  protected closed = false;

  protected abstract listen(): Promise<void>;
  protected abstract unlisten(): Promise<void>;

  async subscribe(userId: string, wake: Wake) {
    if (this.closed) throw new Error('notification bus closed');
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(wake);
    try {
      await (this.started ??= this.listen());
    } catch (err) {
      this.started = null;
      set.delete(wake);
      throw err;
    }
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    };
  }

  protected deliver(payload: string | undefined) {
    for (const userId of (payload ?? '').split(',')) {
      for (const wake of this.byUser.get(userId) ?? []) wake();
    }
  }

  /** Everyone looks again (after a lost connection, notifications may have been missed). */
  protected wakeAll() {
    for (const set of this.byUser.values()) for (const wake of set) wake();
  }

  async close() {
    this.closed = true;
    this.byUser.clear();
    if (this.started) await this.started.then(() => this.unlisten()).catch(() => undefined);
  }
}

/** PGlite: its own LISTEN support, in this process. */
export class PgliteNotificationBus extends FanOutBus {
  private stop: (() => Promise<void>) | null = null;

  constructor(private readonly client: PGlite) {
    super();
  }

  protected async listen() {
    this.stop = await this.client.listen(NOTIFY_CHANNEL, (payload) => this.deliver(payload));
  }

  protected async unlisten() {
    await this.stop?.();
  }
}

/**
 * PostgreSQL: one dedicated connection that LISTENs (outside the pool, which would hand it to
 * someone else). A lost connection is re-opened with back-off, then every stream looks again.
 */
export class PostgresNotificationBus extends FanOutBus {
  private client: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 500;

  constructor(private readonly connection: pg.ClientConfig) {
    super();
  }

  protected async listen() {
    const client = new pg.Client(this.connection);
    client.on('notification', (m) => {
      if (m.channel === NOTIFY_CHANNEL) this.deliver(m.payload);
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    this.client = client;
    this.retryMs = 500;
  }

  private reconnect(lost: pg.Client) {
    if (this.closed || this.client !== lost) return;
    this.client = null;
    lost.end().catch(() => undefined);
    const attempt = () => {
      this.retryTimer = undefined;
      if (this.closed) return;
      this.listen()
        .then(() => this.wakeAll())
        .catch(() => {
          this.retryMs = Math.min(this.retryMs * 2, 30_000);
          this.retryTimer = setTimeout(attempt, this.retryMs);
          this.retryTimer.unref();
        });
    };
    this.retryTimer = setTimeout(attempt, this.retryMs);
    this.retryTimer.unref();
  }

  protected async unlisten() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

const buses = new WeakMap<Database, NotificationBus>();

/** The process's bus for a database (one per database, created on first use). */
export function notificationBusFor(database: Database): NotificationBus {
  let bus = buses.get(database);
  if (!bus) {
    // Drizzle keeps the driver's client: the pg Pool, or the PGlite instance.
    const client = (database.db as unknown as { $client: unknown }).$client;
    bus =
      database.engine === 'postgres'
        ? new PostgresNotificationBus((client as pg.Pool).options)
        : new PgliteNotificationBus(client as PGlite);
    buses.set(database, bus);
  }
  return bus;
}

export async function closeNotificationBus(database: Database): Promise<void> {
  const bus = buses.get(database);
  buses.delete(database);
  await bus?.close();
}
