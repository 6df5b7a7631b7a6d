import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openDatabase, type Database, type Db } from '../../db/client.js';
import { sessions } from '../../db/schema/index.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { seedSlaDefaults } from '../sla/seed.js';
import { sweepDueClocks } from '../sla/sweep.js';
import { insertBareTickets, insertRunningClocks } from '../sla/test/fixtures.js';
import { registerTicket } from '../tickets/test-support.js';
import { notificationBusFor, publishNotifications } from './bus.js';

let t: TestContext;
let db: Db;
let base: string;
let agent: TestClient & { user: { id: string } };
let supervisor: TestClient & { user: { id: string } };

const cst = (local: string) => new Date(`${local}+08:00`);

async function listen(app: FastifyInstance) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

beforeAll(async () => {
  t = await createTestContext();
  db = t.database.db;
  await seedSlaDefaults(db, t.clock.now());
  agent = await t.as('agent');
  supervisor = await t.as('supervisor');
  base = await listen(t.app);
});
afterAll(() => t.close());

interface SseEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Opens the stream over real HTTP and reads its events as they come. */
async function openStream(url: string, client: TestClient) {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/notifications/stream`, {
    headers: { cookie: client.cookie!, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];
  const next = async (name: string, timeoutMs = 5000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = queue.findIndex((e) => e.event === name);
      if (i >= 0) return queue.splice(i, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no "${name}" event within ${timeoutMs} ms`);
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now())),
      ]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error('stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
        );
        if (fields.event)
          queue.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data ?? '{}') });
      }
    }
  };
  return { res, next, close: () => abort.abort() };
}

/** A breach for `ownerId` (the default chain notifies the owner) — swept through the database. */
async function breachFor(database: Db, ownerId: string, prefix: string) {
  await insertBareTickets(database, 1, { ownerId, receivedAt: cst('2026-03-02T09:00:00'), prefix });
  await insertRunningClocks(database, {
    ticketPrefix: prefix,
    startedAt: cst('2026-03-02T09:00:00'),
    warnAt: cst('2026-03-02T09:30:00'),
    warnedAt: cst('2026-03-02T09:30:00'),
    dueAt: cst('2026-03-02T09:45:00'),
  });
  return sweepDueClocks(database, t.clock.now());
}

describe('GET /notifications/stream', () => {
  it('is only for signed-in staff who ask for an event stream', async () => {
    const anonymous = await fetch(`${base}/api/v1/notifications/stream`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(anonymous.status).toBe(401);
    const plain = await fetch(`${base}/api/v1/notifications/stream`, {
      headers: { cookie: agent.cookie!, accept: 'application/json' },
    });
    expect(plain.status).toBe(406);
    expect(plain.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('pushes the sweeper’s notifications after COMMIT, and the unread count', async () => {
    const stream = await openStream(base, agent);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect((await stream.next('unread')).data).toEqual({ count: 0 });

    const swept = await breachFor(db, agent.user.id, 'LIVE');
    expect(swept.notifications).toBeGreaterThanOrEqual(1);
    const pushed = await stream.next('notification');
    expect(pushed.data).toMatchObject({
      userId: agent.user.id,
      kind: 'sla_breach',
      title: expect.stringMatching(/^SLA 超时：工单 LIVE-000001/),
      readAt: null,
    });
    expect(pushed.id).toBe(pushed.data.id);
    expect((await stream.next('unread')).data).toEqual({ count: 1 });

    // "Mark all read" (from another tab): the badge goes to zero here too.
    const read = await agent.post('/api/v1/notifications/read-all');
    expect(read.json().data).toEqual({ updated: 1 });
    expect((await stream.next('unread')).data).toEqual({ count: 0 });
    expect((await agent.get('/api/v1/notifications')).json().unreadCount).toBe(0);
    stream.close();
  });

  it('pushes a notification written by a ticket command (green channel) to its recipient only', async () => {
    const sup = await openStream(base, supervisor);
    const mine = await openStream(base, agent);
    await sup.next('unread');
    await mine.next('unread');
    await registerTicket(agent, { channel: 'email', category: 'complaint' }); // L3 → supervisors
    const pushed = await sup.next('notification');
    expect(pushed.data).toMatchObject({ kind: 'ticket.green_channel', userId: supervisor.user.id });
    await expect(mine.next('notification', 500)).rejects.toThrow(/no "notification"/);
    sup.close();
    mine.close();
  });

  it('the bus wakes listeners at COMMIT, never for a rolled-back transaction', async () => {
    let wakes = 0;
    const unsubscribe = await notificationBusFor(t.database).subscribe(agent.user.id, () => {
      wakes += 1;
    });
    const settle = () => new Promise((r) => setTimeout(r, 200));
    await expect(
      db.transaction(async (tx) => {
        await publishNotifications(tx, [agent.user.id]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await settle();
    expect(wakes).toBe(0);
    await db.transaction((tx) => publishNotifications(tx, [agent.user.id, agent.user.id]));
    await settle();
    expect(wakes).toBe(1);
    unsubscribe();
  });

  it('ends when its session signs out, before sending anything more', async () => {
    const leaving = await t.as('supervisor');
    const stream = await openStream(base, leaving);
    await stream.next('unread');
    expect((await leaving.post('/api/v1/auth/sign-out')).statusCode).toBe(204);
    await registerTicket(agent, { channel: 'email', category: 'complaint' }); // L3 → supervisors
    await expect(stream.next('notification', 2000)).rejects.toThrow(/stream ended/);
    stream.close();
  });

  it('ends at the next event once its session has expired', async () => {
    const idle = await t.as('supervisor');
    const stream = await openStream(base, idle);
    await stream.next('unread');
    await db
      .update(sessions)
      .set({ expiresAt: new Date(t.clock.now().getTime() - 1000) })
      .where(eq(sessions.userId, idle.user.id));
    await db.transaction((tx) => publishNotifications(tx, [idle.user.id]));
    await expect(stream.next('unread', 2000)).rejects.toThrow(/stream ended/);
    stream.close();
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'reaches a stream held by another server process (LISTEN/NOTIFY)',
    async () => {
      // A second "process": its own pool, its own app, its own port, the same database.
      const url = (db as unknown as { $client: { options: { connectionString: string } } }).$client
        .options.connectionString;
      const other: Database = await openDatabase({ url, poolSize: 2 });
      const app2 = await buildApp({
        database: other,
        clock: t.clock,
        config: t.config,
        logger: false,
      });
      try {
        const base2 = await listen(app2);
        const stream = await openStream(base2, agent);
        await stream.next('unread');
        await breachFor(db, agent.user.id, 'OTHER'); // swept by this process
        expect((await stream.next('notification')).data.title).toMatch(/OTHER-000001/);
        stream.close();
      } finally {
        await app2.close();
        await other.close();
      }
    },
  );
});
