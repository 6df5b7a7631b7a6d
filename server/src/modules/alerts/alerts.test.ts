import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { startAlertJob } from '../../jobs/alerts.js';
import { decryptSecret, secretKeyFor } from '../../lib/secret-box.js';
import { sealStoredChannels } from './outbox.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { registerTicket as register } from '../tickets/test-support.js';
import { dingtalkSign, verifyWebhookSignature } from './rules/signing.js';

interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

let t: TestContext;
let admin: TestClient;
let agent: TestClient;
let server: Server;
let base = '';
const received: Received[] = [];
/** Path → answers to give in turn (then 200 `{"errcode":0}`). */
const script = new Map<string, { status: number; body: string }[]>();
let job: ReturnType<typeof startAlertJob>;
let teamId = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body });
      const next = script.get(url.pathname)?.shift() ?? {
        status: 200,
        body: '{"errcode":0,"errmsg":"ok"}',
      };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  t = await createTestContext({ PUBLIC_URL: 'https://kefu.example.com' });
  admin = await t.as('admin');
  agent = await t.as('agent');
  teamId = (await t.buildTeam('投诉处理')).id;
  job = startAlertJob({
    db: t.database.db,
    clock: t.clock,
    intervalMs: 0,
    maxAttempts: 3,
    retrySeconds: 30,
    publicUrl: 'https://kefu.example.com',
    key: secretKeyFor(t.config),
  });
});

afterAll(async () => {
  await job.stop();
  await t.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Registers a ticket and hands it to a team (as the assignment rules would). */
async function registerTicket(client: TestClient, body: Record<string, unknown>) {
  const { teamId: team, ...rest } = body;
  const ticket = await register(client, rest);
  if (team)
    await t.database.db.execute(
      sql`UPDATE tickets SET team_id = ${team as string}::uuid WHERE id = ${ticket.id}::uuid`,
    );
  return ticket;
}

const bodiesAt = (path: string) => received.filter((r) => r.path === path);

describe('alert channels (admin API)', () => {
  it('only administrators manage channels; URLs and secrets come back masked', async () => {
    const body = {
      name: '钉钉投诉群',
      teamId,
      eventTypes: ['green_channel', 'sla_breach', 'escalation'],
      channelType: 'dingtalk',
      url: `${base}/dingtalk?access_token=TOKEN123`,
      secret: 'SECabcdefghijklmnop',
    };
    expect((await agent.post('/api/v1/alerts/channels', body)).statusCode).toBe(403);
    const res = await admin.post('/api/v1/alerts/channels', body);
    expect(res.statusCode).toBe(201);
    const ch = res.json().data;
    expect(ch).toMatchObject({ secretSet: true, secretHint: '••••mnop', teamName: '投诉处理' });
    expect(ch.url).toBe(`${base}/dingtalk?access_token=••••`);
    expect(res.body).not.toContain('TOKEN123');
    expect(res.body).not.toContain('SECabcdefghijk');
    const list = await admin.get('/api/v1/alerts/channels');
    expect(list.body).not.toContain('SECabcdefghijk');
    // An unrelated patch keeps the secret and the URL.
    const renamed = await admin.patch(`/api/v1/alerts/channels/${ch.id}`, { name: '钉钉投诉群 2' });
    expect(renamed.json().data).toMatchObject({ secretSet: true, url: ch.url });
    const audit = rowsOf<{ diff: unknown }>(
      await t.database.db.execute(
        sql`SELECT diff FROM audit_events WHERE target_id = ${ch.id} ORDER BY at`,
      ),
    );
    expect(JSON.stringify(audit)).not.toContain('SECabcdefghijk');
    expect(JSON.stringify(audit)).not.toContain('TOKEN123');
    // At rest the URL (it carries the robot key) and the secret are sealed, and still open.
    const [stored] = rowsOf<{ url: string; secret: string }>(
      await t.database.db.execute(
        sql`SELECT url, secret FROM alert_channels WHERE id = ${ch.id}::uuid`,
      ),
    );
    expect(stored!.url).toMatch(/^enc:v1:/);
    expect(stored!.secret).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toContain('TOKEN123');
    expect(decryptSecret(secretKeyFor(t.config), stored!.secret)).toBe('SECabcdefghijklmnop');
  });

  it('channels saved in plain text before sealing are sealed at start-up', async () => {
    const id = randomUUID();
    await t.database.db.execute(sql`
      INSERT INTO alert_channels (id, name, event_types, channel_type, url, secret, created_at, updated_at)
      VALUES (${id}::uuid, '旧通道', '{sla_breach}'::text[], 'webhook', ${`${base}/old`}, 'plainkey',
              now(), now())`);
    expect(await sealStoredChannels(t.database.db, secretKeyFor(t.config))).toBe(1);
    const [stored] = rowsOf<{ url: string; secret: string }>(
      await t.database.db.execute(
        sql`SELECT url, secret FROM alert_channels WHERE id = ${id}::uuid`,
      ),
    );
    expect(stored!.url).toMatch(/^enc:v1:/);
    expect(stored!.secret).toMatch(/^enc:v1:/);
    expect(await sealStoredChannels(t.database.db, secretKeyFor(t.config))).toBe(0);
    await t.database.db.execute(sql`DELETE FROM alert_channels WHERE id = ${id}::uuid`);
  });

  it('refuses bad input with 4xx', async () => {
    const ok = {
      name: 'x',
      eventTypes: ['sla_breach'],
      channelType: 'webhook',
      url: `${base}/hook`,
    };
    for (const bad of [
      { ...ok, url: 'ftp://example.com/x' },
      { ...ok, eventTypes: [] },
      { ...ok, eventTypes: ['nope'] },
      { ...ok, channelType: 'wecom', secret: 'x' },
      { ...ok, extra: 1 },
    ]) {
      const res = await admin.post('/api/v1/alerts/channels', bad);
      expect([400, 422]).toContain(res.statusCode);
    }
    const res = await admin.post('/api/v1/alerts/channels', { ...ok, teamId: randomUUID() });
    expect(res.statusCode).toBe(404);
    expect((await admin.post(`/api/v1/alerts/channels/${randomUUID()}/test`)).statusCode).toBe(404);
  });
});

describe('delivery to real HTTP receivers', () => {
  let wecomId = '';
  let hookId = '';

  beforeAll(async () => {
    wecomId = (
      await admin.post('/api/v1/alerts/channels', {
        name: '企业微信值班群',
        teamId: null,
        eventTypes: ['green_channel', 'sla_breach'],
        channelType: 'wecom',
        url: `${base}/wecom?key=ROBOTKEY`,
      })
    ).json().data.id;
    hookId = (
      await admin.post('/api/v1/alerts/channels', {
        name: 'On-call webhook',
        teamId,
        eventTypes: ['green_channel', 'escalation', 'sla_breach'],
        channelType: 'webhook',
        url: `${base}/hook`,
        secret: 'whsec-0123456789',
      })
    ).json().data.id;
  });

  it('a green-channel complaint reaches WeCom, DingTalk (signed) and the webhook (signed), masked', async () => {
    received.length = 0;
    const ticket = await registerTicket(agent, {
      category: 'complaint',
      tier: 'L3',
      teamId,
      subject: '客户13912345678投诉 a.b@example.com',
    });
    // Nothing leaves inside the request: the job delivers.
    expect(received).toHaveLength(0);
    const result = await job.runOnce();
    expect(result).toMatchObject({ ran: true, attempted: 3, delivered: 3 });

    const [wecom] = bodiesAt('/wecom');
    expect(wecom!.query.get('key')).toBe('ROBOTKEY');
    const w = JSON.parse(wecom!.body);
    expect(w.msgtype).toBe('markdown');
    expect(w.markdown.content).toContain(ticket.number);
    expect(w.markdown.content).toContain('绿色通道');
    expect(w.markdown.content).toContain(`https://kefu.example.com/tickets/${ticket.id}`);

    const [ding] = bodiesAt('/dingtalk');
    const ts = Number(ding!.query.get('timestamp'));
    expect(ts).toBe(t.clock.now().getTime());
    // The query parser decodes once; DingTalk's sign is the URL-encoded Base64.
    expect(encodeURIComponent(ding!.query.get('sign')!)).toBe(
      dingtalkSign(ts, 'SECabcdefghijklmnop'),
    );
    expect(ding!.query.get('access_token')).toBe('TOKEN123');
    const d = JSON.parse(ding!.body);
    expect(d.msgtype).toBe('markdown');
    expect(d.markdown.title).toContain(ticket.number);

    const [hook] = bodiesAt('/hook');
    expect(
      verifyWebhookSignature(
        'whsec-0123456789',
        hook!.headers['x-kefu-timestamp'] as string,
        hook!.body,
        hook!.headers['x-kefu-signature'] as string,
        Math.floor(t.clock.now().getTime() / 1000),
      ),
    ).toBe(true);
    expect(hook!.headers['x-kefu-event']).toBe('green_channel');
    const h = JSON.parse(hook!.body);
    expect(h).toMatchObject({
      event: 'green_channel',
      deliveryId: hook!.headers['x-kefu-delivery'],
      alert: { ticketNumber: ticket.number, tier: 'L3', team: '投诉处理' },
    });

    for (const r of received) {
      expect(r.body).not.toContain('13912345678');
      expect(r.body).not.toContain('a.b@example.com');
      expect(r.body).not.toContain('客户来电咨询'); // the description is not sent
    }
    expect(h.alert.subject).toContain('139****5678');

    // A second run sends nothing again.
    received.length = 0;
    expect(await job.runOnce()).toMatchObject({ attempted: 0 });
    expect(received).toHaveLength(0);
  });

  it('retries after a 500 with back-off, then records the delivery; the log shows it', async () => {
    t.clock.advance(60_000); // the log is newest first: apart from the last test's rows
    received.length = 0;
    script.set('/hook', [
      { status: 500, body: 'boom' },
      { status: 503, body: 'busy' },
    ]);
    const ticket = await registerTicket(agent, { teamId });
    // Escalation: the tier is raised (as the tickets module does on a breach).
    await t.database.db.execute(
      sql`UPDATE tickets SET tier = 'L2', updated_at = ${t.clock.now().toISOString()}::timestamptz WHERE id = ${ticket.id}::uuid`,
    );
    // The DingTalk group of the team hears of escalations too, and answers at once.
    expect(await job.runOnce()).toMatchObject({ attempted: 2, delivered: 1 });
    const log = async () =>
      (await admin.get(`/api/v1/alerts/deliveries?channelId=${hookId}&limit=5`)).json().data[0];
    expect(await log()).toMatchObject({
      eventType: 'escalation',
      ticketNumber: ticket.number,
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    // Not due before the back-off (30 s) has passed.
    t.clock.advance(29_000);
    expect(await job.runOnce()).toMatchObject({ attempted: 0 });
    t.clock.advance(1_000);
    expect(await job.runOnce()).toMatchObject({ attempted: 1, delivered: 0 });
    expect(await log()).toMatchObject({ attempts: 2, lastStatusCode: 503, status: 'pending' });
    // Second back-off: 60 s.
    t.clock.advance(60_000);
    expect(await job.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(await log()).toMatchObject({ attempts: 3, lastStatusCode: 200, status: 'delivered' });
    const bodies = bodiesAt('/hook').map((r) => JSON.parse(r.body).deliveryId);
    expect(new Set(bodies).size).toBe(1); // the same delivery id on every attempt
    expect(JSON.parse(bodiesAt('/hook')[0]!.body).alert.detail).toBe('L1 → L2');
  });

  it('an SLA breach recorded by the sweeper alerts; a robot errcode and a dead receiver fail after the last attempt', async () => {
    received.length = 0;
    script.set('/wecom', [
      { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' },
      { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' },
      { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' },
    ]);
    const ticket = await registerTicket(agent, { teamId });
    await t.database.db.execute(sql`
      INSERT INTO sla_events (clock_id, kind, occurrence, ticket_id, target_kind, policy_version,
                              policy_key, due_at, at)
      VALUES (${randomUUID()}::uuid, 'breach', 1, ${ticket.id}::uuid, 'first_response', 1, 'default',
              ${t.clock.now().toISOString()}::timestamptz, ${t.clock.now().toISOString()}::timestamptz)`);
    for (let i = 0; i < 3; i += 1) {
      await job.runOnce();
      t.clock.advance(10 * 60_000);
    }
    const failed = (
      await admin.get(`/api/v1/alerts/deliveries?status=failed&channelId=${wecomId}`)
    ).json().data[0];
    expect(failed).toMatchObject({
      eventType: 'sla_breach',
      ticketNumber: ticket.number,
      attempts: 3,
      lastStatusCode: 200,
      lastError: 'errcode 93000: invalid webhook url',
    });
    const hook = bodiesAt('/hook').map((r) => JSON.parse(r.body));
    expect(hook[0]).toMatchObject({ event: 'sla_breach' });
    expect(hook[0].alert.detail).toContain('first response');
  });

  it('a sweep batch inserting several events in one statement outboxes one alert per breach, none for warnings', async () => {
    const [a, b] = [await registerTicket(agent, { teamId }), await registerTicket(agent, {})];
    const at = t.clock.now().toISOString();
    const event = (kind: string, ticketId: string, target: string) =>
      sql`(${randomUUID()}::uuid, ${kind}, 1, ${ticketId}::uuid, ${target}, 1, 'default',
           ${at}::timestamptz, ${at}::timestamptz)`;
    await t.database.db.execute(sql`
      INSERT INTO sla_events (clock_id, kind, occurrence, ticket_id, target_kind, policy_version,
                              policy_key, due_at, at)
      VALUES ${sql.join(
        [
          event('breach', a.id, 'first_response'),
          event('warning', a.id, 'resolution'),
          event('breach', b.id, 'resolution'),
        ],
        sql`, `,
      )}`);
    const rows = rowsOf<{ ticket_id: string; team_id: string | null; data: unknown }>(
      await t.database.db.execute(
        sql`SELECT ticket_id, team_id, data FROM alert_events
            WHERE event_type = 'sla_breach' AND ticket_id IN (${a.id}::uuid, ${b.id}::uuid)`,
      ),
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.ticket_id === a.id)).toMatchObject({
      team_id: teamId,
      data: { targetKind: 'first_response', dueAt: expect.any(String) },
    });
    expect(rows.find((r) => r.ticket_id === b.id)).toMatchObject({
      data: { targetKind: 'resolution' },
    });
    // Not delivered here: the tests below count deliveries.
    await t.database.db.execute(
      sql`DELETE FROM alert_events WHERE ticket_id IN (${a.id}::uuid, ${b.id}::uuid)`,
    );
  });

  it('test send: answers the outcome at once and logs it; unreachable receivers are reported', async () => {
    received.length = 0;
    const ok = await admin.post(`/api/v1/alerts/channels/${wecomId}/test`);
    expect(ok.json().data).toMatchObject({ ok: true, statusCode: 200 });
    expect(JSON.parse(bodiesAt('/wecom')[0]!.body).markdown.content).toContain('测试');
    const dead = (
      await admin.post('/api/v1/alerts/channels', {
        name: 'dead',
        eventTypes: ['incident'],
        channelType: 'webhook',
        url: 'http://127.0.0.1:1/nothing',
      })
    ).json().data.id;
    const res = await admin.post(`/api/v1/alerts/channels/${dead}/test`);
    expect(res.json().data).toMatchObject({ ok: false, statusCode: null });
    const logged = (await admin.get(`/api/v1/alerts/deliveries?channelId=${dead}`)).json().data[0];
    expect(logged).toMatchObject({ eventType: 'test', status: 'failed', attempts: 1 });
    expect((await admin.delete(`/api/v1/alerts/channels/${dead}`)).statusCode).toBe(204);
    expect((await agent.get('/api/v1/alerts/deliveries')).statusCode).toBe(403);
  });

  it('a rolled-back ticket change alerts nobody; a disabled channel gets nothing', async () => {
    const before = rowsOf<{ n: number }>(
      await t.database.db.execute(sql`SELECT count(*)::int AS n FROM alert_events`),
    )[0]!.n;
    const ticket = await registerTicket(agent, { teamId });
    await t.database.db
      .transaction(async (tx) => {
        await tx.execute(sql`UPDATE tickets SET tier = 'L3' WHERE id = ${ticket.id}::uuid`);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    const after = rowsOf<{ n: number }>(
      await t.database.db.execute(sql`SELECT count(*)::int AS n FROM alert_events`),
    )[0]!.n;
    expect(after).toBe(before);

    await admin.patch(`/api/v1/alerts/channels/${hookId}`, { enabled: false });
    received.length = 0;
    await registerTicket(agent, { teamId, tier: 'L3', category: 'complaint' });
    await job.runOnce();
    expect(bodiesAt('/hook')).toHaveLength(0);
    expect(bodiesAt('/wecom')).toHaveLength(1);
  });
  it('an event no enabled channel listens to is not queued (0046); one listened to is', async () => {
    const breachesOf = async (ticketId: string) =>
      rowsOf<{ n: number }>(
        await t.database.db.execute(sql`SELECT count(*)::int AS n FROM alert_events
          WHERE event_type = 'sla_breach' AND ticket_id = ${ticketId}::uuid`),
      )[0]!.n;
    const breach = (ticketId: string) =>
      t.database.db.execute(sql`
        INSERT INTO sla_events (clock_id, kind, occurrence, ticket_id, target_kind, policy_version,
                                policy_key, due_at, at)
        VALUES (${randomUUID()}::uuid, 'breach', 1, ${ticketId}::uuid, 'first_response', 1,
                'default', ${t.clock.now().toISOString()}::timestamptz,
                ${t.clock.now().toISOString()}::timestamptz)`);
    const listening = rowsOf<{ id: string }>(
      await t.database.db.execute(sql`SELECT id FROM alert_channels
        WHERE enabled AND 'sla_breach' = ANY (event_types)`),
    ).map((r) => r.id);
    expect(listening.length).toBeGreaterThan(0);
    for (const id of listening)
      await admin.patch(`/api/v1/alerts/channels/${id}`, { enabled: false });
    const quiet = await registerTicket(agent, { teamId });
    await breach(quiet.id);
    expect(await breachesOf(quiet.id)).toBe(0);

    await admin.patch(`/api/v1/alerts/channels/${listening[0]}`, { enabled: true });
    const heard = await registerTicket(agent, { teamId });
    await breach(heard.id);
    expect(await breachesOf(heard.id)).toBe(1);
    for (const id of listening.slice(1))
      await admin.patch(`/api/v1/alerts/channels/${id}`, { enabled: true });
  });
});
