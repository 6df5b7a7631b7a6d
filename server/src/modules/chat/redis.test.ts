import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { createTestContext, TestClient, type TestContext } from '../../test/harness.js';
import { CORE_ZH } from '../kb/fixtures/core-zh.js';
import { loadManual } from '../kb/seed.js';
import { seedSlaDefaults } from '../sla/seed.js';
import { LocalBus, RedisBus } from './bus.js';
import { connect, msgs } from './test-support.js';

/** Two server instances on one database: events between them go through Redis pub/sub. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('chat bus', () => {
  it('in-process: subscribers get what is published, until they unsubscribe', async () => {
    const bus = new LocalBus();
    const got: unknown[] = [];
    const off = bus.subscribe('conv:1', (e) => got.push(e));
    await bus.publish('conv:1', { t: 'msg', n: 1 });
    off();
    await bus.publish('conv:1', { t: 'msg', n: 2 });
    expect(got).toEqual([{ t: 'msg', n: 1 }]);
  });

  it('Redis: an event published on one instance reaches the other, once, in order', async () => {
    const a = new RedisBus(REDIS_URL);
    const b = new RedisBus(REDIS_URL);
    const got: number[] = [];
    const off = b.subscribe('conv:test-order', (e) => got.push(e.n as number));
    await b.ready('conv:test-order');
    for (let n = 1; n <= 50; n += 1) await a.publish('conv:test-order', { t: 'msg', n });
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(50);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    off();
    await a.close();
    await b.close();
  });
});

describe('two instances with Redis', () => {
  let t: TestContext;
  let second: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext({ REDIS_URL });
    second = await buildApp({
      database: t.database,
      clock: t.clock,
      config: t.config,
      logger: false,
    });
    await second.ready();
    const author = await t.buildUser({ roles: ['knowledge_editor'] });
    await t.database.db.transaction((tx) =>
      loadManual(
        tx,
        {
          actorId: author.id,
          actorName: author.name,
          ip: null,
          userAgent: null,
          requestId: null,
          at: t.clock.now(),
        },
        author.id,
        CORE_ZH,
      ),
    );
    await seedSlaDefaults(t.database.db, t.clock.now());
  }, 120_000);
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('a visitor on one instance, the agent on the other: messages arrive once, in order', async () => {
    const admin = await t.as('admin');
    const site = (await admin.post('/api/v1/chat/sites', { name: 'Shop' })).json().data;
    const v = (
      await t.anonymous.post('/api/v1/public/chat/visit', { siteKey: site.publicKey })
    ).json().data;
    const visitor = await connect(
      t.app,
      `/chat/ws?key=${site.publicKey}&token=${encodeURIComponent(v.token)}&conversation=${v.conversationId}&after=0`,
    );
    await visitor.waitFor((f) => f.t === 'state');
    // The agent signs in and works on the second instance.
    const agentUser = await t.buildUser({ roles: ['agent'] });
    const res = await second.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: agentUser.email, password: 'correct-horse-battery' },
    });
    const cookie = res.cookies.find((c) => c.name === 'kefu_session')!.value;
    const agent = new TestClient(second, `kefu_session=${cookie}`, res.json().data.csrfToken);
    const console = await connect(second, '/chat/agent-ws', { cookie: `kefu_session=${cookie}` });
    visitor.send({ t: 'msg', cid: 'v1', body: '转人工' });
    // The queue event crosses instances.
    await console.waitFor((f) => f.t === 'queue' && f.conversationId === v.conversationId);
    expect(
      (await agent.post(`/api/v1/chat/conversations/${v.conversationId}/accept`)).statusCode,
    ).toBe(200);
    console.send({ t: 'watch', conversationId: v.conversationId });
    await console.waitFor((f) => f.t === 'watching');
    for (let i = 1; i <= 10; i += 1)
      await agent.post(`/api/v1/chat/conversations/${v.conversationId}/messages`, {
        clientId: `a${i}`,
        body: `第 ${i} 条`,
      });
    await expect
      .poll(() => msgs(visitor).filter((m) => m.author === 'agent').length, { timeout: 5000 })
      .toBe(10);
    expect(
      msgs(visitor)
        .filter((m) => m.author === 'agent')
        .map((m) => m.body),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `第 ${i + 1} 条`));
    const seqs = msgs(visitor).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // The visitor's typing reaches the agent's console on the other instance.
    visitor.send({ t: 'typing' });
    await console.waitFor((f) => f.t === 'typing' && f.who === 'visitor');
    visitor.close();
    console.close();
  });
});
