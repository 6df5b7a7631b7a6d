import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { CORE_ZH } from '../kb/fixtures/core-zh.js';
import { loadManual } from '../kb/seed.js';
import { seedSlaDefaults } from '../sla/seed.js';
import { macOf } from './rules/identity.js';
import { connect, msgs } from './test-support.js';

let t: TestContext;
let admin: TestClient;
let agent: TestClient & { user: { id: string; name: string } };
let agent2: TestClient & { user: { id: string; name: string } };
let supervisor: TestClient;
let site: { publicKey: string; secret: string };

beforeAll(async () => {
  t = await createTestContext();
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
  // Monday 10:00 in Beijing: inside the default calendar's working hours.
  await seedSlaDefaults(t.database.db, t.clock.now());
  admin = await t.as('admin');
  agent = await t.as('agent');
  agent2 = await t.as('agent');
  supervisor = await t.as('supervisor');
  const res = await admin.post('/api/v1/chat/sites', { name: 'Shop' });
  expect(res.statusCode).toBe(201);
  site = res.json().data;
}, 120_000);
afterAll(() => t.close());

const visit = async (body: Record<string, unknown> = {}) => {
  const res = await t.anonymous.post('/api/v1/public/chat/visit', {
    siteKey: site.publicKey,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as {
    token: string;
    conversationId: string;
    state: string;
    open: boolean;
    lastSeq: number;
  };
};
const wsPath = (v: { token: string; conversationId: string }, after = 0) =>
  `/chat/ws?key=${site.publicKey}&token=${encodeURIComponent(v.token)}&conversation=${v.conversationId}&after=${after}`;

describe('web chat', () => {
  let v: Awaited<ReturnType<typeof visit>>;
  let ticketId: string;

  it('the same message sent at once from two tabs is stored once and acknowledged twice with its seq', async () => {
    const w = await visit();
    const [a, b] = await Promise.all([connect(t.app, wsPath(w)), connect(t.app, wsPath(w))]);
    await Promise.all([a.waitFor((f) => f.t === 'state'), b.waitFor((f) => f.t === 'state')]);
    // Both wait for the conversation's lock; the second must not write a second row.
    // A question the assistant answers: the chat stays with it, out of the human queue that
    // the next tests count.
    a.send({ t: 'msg', cid: 'twin', body: '如何取消未发货的订单' });
    b.send({ t: 'msg', cid: 'twin', body: '如何取消未发货的订单' });
    const [ackA, ackB] = await Promise.all([
      a.waitFor((f) => f.t === 'ack'),
      b.waitFor((f) => f.t === 'ack'),
    ]);
    expect(ackA.seq).toBe(1);
    expect(ackB.seq).toBe(1);
    a.close();
    b.close();
    const again = await connect(t.app, wsPath(w));
    await again.waitFor((f) => f.t === 'state');
    expect(
      msgs(again).filter((m) => (m as { clientId?: string }).clientId === 'twin'),
    ).toHaveLength(1);
    again.close();
  });

  it('the FAQ assistant answers first, citing the article version; a resend is not doubled', async () => {
    v = await visit();
    expect(v).toMatchObject({ state: 'bot', open: true, lastSeq: 0 });
    const s = await connect(t.app, wsPath(v));
    await s.waitFor((f) => f.t === 'state');
    s.send({ t: 'msg', cid: 'c-1', body: '如何取消未发货的订单' });
    expect(await s.waitFor((f) => f.t === 'ack')).toEqual({ t: 'ack', cid: 'c-1', seq: 1 });
    const answer = (
      await s.waitFor((f) => f.t === 'msg' && (f.m as { author: string }).author === 'bot')
    ).m as {
      seq: number;
      data: { articles: { title: string; versionId: string; version: number }[] };
    };
    expect(answer.seq).toBe(2);
    expect(answer.data.articles[0]).toMatchObject({ title: '如何取消未发货的订单', version: 1 });
    expect(answer.data.articles[0]!.versionId).toMatch(/[0-9a-f-]{36}/);
    // The same client id again (a resend after a lost ack): acknowledged with the first seq.
    s.send({ t: 'msg', cid: 'c-1', body: '如何取消未发货的订单' });
    await s.waitFor((f) => f.t === 'ack' && s.frames.filter((x) => x.t === 'ack').length === 2);
    expect(s.frames.filter((x) => x.t === 'ack').map((x) => x.seq)).toEqual([1, 1]);
    s.close();
    // Reconnecting after seq 1: only what came later, once.
    const again = await connect(t.app, wsPath(v, 1));
    await again.waitFor((f) => f.t === 'state');
    expect(msgs(again).map((m) => m.seq)).toEqual([2]);
    // "Did this solve it?" no, twice (the default): handed to a person.
    again.send({ t: 'feedback', solved: false });
    await again.waitFor(
      (f) => f.t === 'msg' && (f.m as { data: { kind?: string } }).data.kind === 'rephrase',
    );
    again.send({ t: 'feedback', solved: false });
    await again.waitFor((f) => f.t === 'state' && f.state === 'waiting');
    again.close();
  });

  it('a handed-over chat is a chat ticket with the transcript on its timeline', async () => {
    const [conv] = rowsOf<{ ticket_id: string; state: string }>(
      await t.database.db.execute(
        sql`SELECT ticket_id, state FROM chat_conversations WHERE id = ${v.conversationId}`,
      ),
    );
    expect(conv!.state).toBe('waiting');
    ticketId = conv!.ticket_id;
    const ticket = (await supervisor.get(`/api/v1/tickets/${ticketId}`)).json().data;
    expect(ticket.channel).toBe('chat');
    const timeline = (await supervisor.get(`/api/v1/tickets/${ticketId}/timeline?limit=100`)).json()
      .data;
    const note = timeline.find((e: { kind: string }) => e.kind === 'note');
    expect(note.body).toContain('如何取消未发货的订单');
  });

  it('agents see the queue with waiting time; supervisors see its length and longest wait', async () => {
    t.clock.advance(10_000);
    const q = (await agent.get('/api/v1/chat/queue')).json().data;
    expect(q.waiting.map((c: { id: string }) => c.id)).toContain(v.conversationId);
    expect(q.waiting.find((c: { id: string }) => c.id === v.conversationId).waitSeconds).toBe(10);
    expect(q.stats).toBeNull();
    const s = (await supervisor.get('/api/v1/chat/queue')).json().data.stats;
    expect(s).toEqual({ queueLength: 1, activeCount: 0, longestWaitSeconds: 10 });
  });

  it('an agent accepts and replies; the visitor sees it; the first response is met on the ticket', async () => {
    const s = await connect(t.app, wsPath(v, 0));
    await s.waitFor((f) => f.t === 'state');
    const accepted = await agent.post(`/api/v1/chat/conversations/${v.conversationId}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(
      (await agent2.post(`/api/v1/chat/conversations/${v.conversationId}/accept`)).json().code,
    ).toBe('not_waiting');
    await s.waitFor((f) => f.t === 'state' && f.state === 'active');
    const reply = await agent.post(`/api/v1/chat/conversations/${v.conversationId}/messages`, {
      clientId: 'a-1',
      body: '您好，请问订单号是多少？',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    // Same client id: the same message.
    const again = await agent.post(`/api/v1/chat/conversations/${v.conversationId}/messages`, {
      clientId: 'a-1',
      body: '您好，请问订单号是多少？',
    });
    expect(again.json().data.seq).toBe(reply.json().data.seq);
    const m = await s.waitFor(
      (f) => f.t === 'msg' && (f.m as { author: string }).author === 'agent',
    );
    expect((m.m as { body: string; agentName: string }).agentName).toBe(agent.user.name);
    // Seqs strictly increasing, no gaps, no doubles.
    const seqs = msgs(s).map((x) => x.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // The visitor answers; it lands on the ticket too.
    s.send({ t: 'msg', cid: 'c-2', body: '订单号 12345' });
    await s.waitFor((f) => f.t === 'ack' && f.cid === 'c-2');
    const timeline = (await agent.get(`/api/v1/tickets/${ticketId}/timeline?limit=100`)).json()
      .data;
    const replies = timeline
      .filter((e: { kind: string }) => e.kind === 'reply')
      .map((e: { body: string }) => e.body);
    expect(replies).toEqual(expect.arrayContaining(['您好，请问订单号是多少？', '订单号 12345']));
    const [clock] = rowsOf<{ state: string }>(
      await t.database.db.execute(
        sql`SELECT state FROM sla_clocks WHERE ticket_id = ${ticketId} AND kind = 'first_response'`,
      ),
    );
    expect(clock?.state).toBe('met');
    s.close();
  });

  it('the per-agent concurrency limit is a setting; transfer to another agent', async () => {
    const patched = await admin.patch('/api/v1/chat/settings', { agentConcurrency: 1 });
    expect(patched.statusCode, patched.body).toBe(200);
    const other = await visit();
    const s = await connect(t.app, wsPath(other));
    await s.waitFor((f) => f.t === 'state');
    s.send({ t: 'msg', cid: 'x', body: '转人工' });
    await s.waitFor((f) => f.t === 'state' && f.state === 'waiting');
    const refused = await agent.post(`/api/v1/chat/conversations/${other.conversationId}/accept`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('concurrency_limit');
    expect(
      (await agent2.post(`/api/v1/chat/conversations/${other.conversationId}/accept`)).statusCode,
    ).toBe(200);
    // agent2 is full too: a transfer to them is refused; to a team puts it back in the queue.
    const full = await agent.post(`/api/v1/chat/conversations/${v.conversationId}/transfer`, {
      agentId: agent2.user.id,
    });
    expect(full.json().code).toBe('concurrency_limit');
    await admin.patch('/api/v1/chat/settings', { agentConcurrency: 3 });
    const moved = await agent.post(`/api/v1/chat/conversations/${v.conversationId}/transfer`, {
      agentId: agent2.user.id,
    });
    expect(moved.statusCode, moved.body).toBe(204);
    const mine = (await agent2.get('/api/v1/chat/queue'))
      .json()
      .data.mine.map((c: { id: string }) => c.id);
    expect(mine).toEqual(expect.arrayContaining([v.conversationId, other.conversationId]));
    s.close();
  });

  it('closing asks for a rating; the rating becomes the ticket survey answer', async () => {
    const s = await connect(t.app, wsPath(v, 0));
    await s.waitFor((f) => f.t === 'state');
    expect(
      (await agent2.post(`/api/v1/chat/conversations/${v.conversationId}/close`)).statusCode,
    ).toBe(204);
    await s.waitFor((f) => f.t === 'state' && f.state === 'closed');
    s.send({ t: 'rate', score: 5 });
    await s.waitFor((f) => f.t === 'rated');
    const [r] = rowsOf<{ score100: string; agent_id: string }>(
      await t.database.db.execute(
        sql`SELECT score100, agent_id FROM survey_responses WHERE ticket_id = ${ticketId}`,
      ),
    );
    expect(Number(r!.score100)).toBe(100);
    expect(r!.agent_id).toBe(agent2.user.id);
    s.send({ t: 'msg', cid: 'late', body: 'hello?' });
    expect((await s.waitFor((f) => f.t === 'error')).code).toBe('conversation_closed');
    s.close();
  });

  it('outside working hours the widget takes a message, registers a ticket, and acknowledges it', async () => {
    t.clock.set(new Date('2026-03-02T14:00:00Z')); // 22:00 in Beijing
    const off = await visit();
    expect(off.open).toBe(false);
    const s = await connect(t.app, wsPath(off));
    await s.waitFor((f) => f.t === 'state');
    s.send({ t: 'person' });
    await s.waitFor((f) => f.t === 'state' && f.state === 'offline');
    s.send({ t: 'leave', name: '张三', contact: 'zhang@example.com', body: '我的包裹还没到' });
    const taken = await s.waitFor((f) => f.t === 'taken');
    expect(taken.number).toMatch(/\d/);
    const ack = await s.waitFor(
      (f) => f.t === 'msg' && (f.m as { data: { kind?: string } }).data.kind === 'off_hours_ack',
    );
    expect((ack.m as { body: string }).body.length).toBeGreaterThan(5);
    s.close();
    t.clock.set(new Date('2026-03-03T02:00:00Z'));
  });

  it('identifies a visitor by the HMAC of the host user id; refuses a wrong one and bad sockets', async () => {
    const a = await visit({ userId: 'u-42', userHash: macOf(site.secret, 'u-42') });
    const b = await visit({ userId: 'u-42', userHash: macOf(site.secret, 'u-42') });
    expect(b.conversationId).toBe(a.conversationId);
    const bad = await t.anonymous.post('/api/v1/public/chat/visit', {
      siteKey: site.publicKey,
      userId: 'u-42',
      userHash: macOf('wrong-secret-xxxxxxxx', 'u-42'),
    });
    expect(bad.statusCode).toBe(422);
    expect(
      (await t.anonymous.post('/api/v1/public/chat/visit', { siteKey: 'nope-nope-nope' }))
        .statusCode,
    ).toBe(404);
    const forged = await connect(
      t.app,
      wsPath({ token: 'eHh4eA.deadbeef', conversationId: a.conversationId }),
    );
    expect((await forged.waitFor((f) => f.t === 'error')).code).toBe('unauthorized');
    const garbage = await connect(t.app, '/chat/ws?key=x');
    expect((await garbage.waitFor((f) => f.t === 'error')).code).toBe('bad_query');
    const s = await connect(t.app, wsPath(a));
    await s.waitFor((f) => f.t === 'state');
    s.send('not json');
    expect((await s.waitFor((f) => f.t === 'error')).code).toBe('bad_frame');
    s.close();
  });

  it('only staff who work chats reach the queue; the widget script is served', async () => {
    expect((await t.anonymous.get('/api/v1/chat/queue')).statusCode).toBe(401);
    // (signed in afresh: the clock moved a day on)
    const freshAdmin = await t.as('admin');
    expect((await freshAdmin.get('/api/v1/chat/queue')).statusCode).toBe(403);
    const js = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain('data-kefu-key');
  });
});

/** One `file` part (and a clientId field) as multipart/form-data. */
function multipart(filename: string, type: string, content: Buffer, clientId: string) {
  const boundary = `----kefu${Date.now()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\n${clientId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe('files from the widget, and idle chats closed', () => {
  // Signed in afresh: the clock moved a day on since the others signed in.
  let sup: TestClient;
  let adm: TestClient;
  let ag: TestClient;
  beforeAll(async () => {
    sup = await t.as('supervisor');
    adm = await t.as('admin');
    ag = await t.as('agent');
  });
  const upload = (
    v: { token: string; conversationId: string },
    file: ReturnType<typeof multipart>,
    token = v.token,
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/public/chat/conversations/${v.conversationId}/files`,
      headers: {
        'content-type': file.contentType,
        'x-kefu-chat-key': site.publicKey,
        'x-kefu-chat-token': token,
      },
      payload: file.body,
    });

  it('the visitor sends an image once a person has the chat: on the chat, the agent and the ticket timeline', async () => {
    const v = await visit();
    const s = await connect(t.app, wsPath(v));
    await s.waitFor((f) => f.t === 'state');
    // With the assistant: no ticket to put it on yet.
    const early = await upload(v, multipart('a.png', 'image/png', PNG, 'f-0'));
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('no_person_yet');
    s.send({ t: 'person' });
    await s.waitFor((f) => f.t === 'state' && f.state === 'waiting');
    const res = await upload(v, multipart('照片.png', 'image/png', PNG, 'f-1'));
    expect(res.statusCode, res.body).toBe(201);
    const { seq, attachment } = res.json().data;
    expect(attachment).toMatchObject({ filename: '照片.png', mimeType: 'image/png' });
    const live = await s.waitFor(
      (f) => f.t === 'msg' && (f.m as { data: { kind?: string } }).data.kind === 'file',
    );
    expect((live.m as { seq: number; clientId: string }).seq).toBe(seq);
    // The same client id again: the same message, no second one.
    const again = await upload(v, multipart('照片.png', 'image/png', PNG, 'f-1'));
    expect(again.json().data.seq).toBe(seq);
    // The ticket: an attachment entry by the customer; staff can open the file.
    const [conv] = rowsOf<{ ticket_id: string }>(
      await t.database.db.execute(
        sql`SELECT ticket_id FROM chat_conversations WHERE id = ${v.conversationId}`,
      ),
    );
    const timeline = (await sup.get(`/api/v1/tickets/${conv!.ticket_id}/timeline?limit=100`)).json()
      .data;
    const entry = timeline.find((e: { kind: string }) => e.kind === 'attachment');
    expect(entry.data.attachment.filename).toBe('照片.png');
    const content = await sup.get(`/api/v1/attachments/${attachment.id}/content`);
    expect(content.statusCode).toBe(200);
    // The agent's view of the conversation carries the file reference.
    const seen = (await sup.get(`/api/v1/chat/conversations/${v.conversationId}`)).json().data;
    expect(seen.messages.find((m: { seq: number }) => m.seq === seq).data.attachment.id).toBe(
      attachment.id,
    );
    // The ticket attachments' checks: a disguised executable is refused; a wrong token is 404.
    const exe = await upload(
      v,
      multipart('x.png', 'image/png', Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), 'f-2'),
    );
    expect(exe.statusCode).toBe(415);
    const forged = await upload(v, multipart('a.png', 'image/png', PNG, 'f-3'), 'eHh4eA.dead');
    expect(forged.statusCode).toBe(404);
    s.close();
  });

  it('after the set minutes of visitor silence an open chat is closed, the visitor told, the ticket noted', async () => {
    expect(
      (await adm.patch('/api/v1/chat/settings', { idleCloseMinutes: 10, agentConcurrency: 10 }))
        .statusCode,
    ).toBe(200);
    await t.app.chat.closeIdle(t.clock.now()); // what earlier tests left open a day ago
    const quiet = await visit({ userId: 'idle-1', userHash: macOf(site.secret, 'idle-1') });
    const worked = await visit({ userId: 'idle-2', userHash: macOf(site.secret, 'idle-2') });
    const waiting = await visit({ userId: 'idle-3', userHash: macOf(site.secret, 'idle-3') });
    const s = await connect(t.app, wsPath(worked));
    await s.waitFor((f) => f.t === 'state');
    s.send({ t: 'person' });
    await s.waitFor((f) => f.t === 'state' && f.state === 'waiting');
    expect(
      (await ag.post(`/api/v1/chat/conversations/${worked.conversationId}/accept`, {})).statusCode,
    ).toBe(200);
    await ag.post(`/api/v1/chat/conversations/${worked.conversationId}/messages`, {
      clientId: 'a-idle',
      body: '请问还有其他问题吗？',
    });
    const w = await connect(t.app, wsPath(waiting));
    await w.waitFor((f) => f.t === 'state');
    w.send({ t: 'person' });
    await w.waitFor((f) => f.t === 'state' && f.state === 'waiting');
    w.close();

    t.clock.advance(9 * 60_000);
    expect(await t.app.chat.closeIdle(t.clock.now())).toBe(0);
    t.clock.advance(2 * 60_000);
    expect(await t.app.chat.closeIdle(t.clock.now())).toBeGreaterThanOrEqual(2);
    const closed = await s.waitFor(
      (f) => f.t === 'msg' && (f.m as { data: { idle?: boolean } }).data.idle === true,
    );
    expect((closed.m as { data: { minutes: number } }).data.minutes).toBe(10);
    await s.waitFor((f) => f.t === 'state' && f.state === 'closed');
    const states = rowsOf<{ id: string; state: string; ticket_id: string | null }>(
      await t.database.db.execute(
        sql`SELECT id, state, ticket_id FROM chat_conversations
            WHERE id IN (${quiet.conversationId}, ${worked.conversationId}, ${waiting.conversationId})`,
      ),
    );
    const by = new Map(states.map((r) => [r.id, r]));
    expect(by.get(quiet.conversationId)!.state).toBe('closed');
    expect(by.get(worked.conversationId)!.state).toBe('closed');
    // Waiting for a person: the service owes the answer, it stays.
    expect(by.get(waiting.conversationId)!.state).toBe('waiting');
    const timeline = (
      await sup.get(
        `/api/v1/tickets/${by.get(worked.conversationId)!.ticket_id}/timeline?limit=100`,
      )
    ).json().data;
    expect(
      timeline.some(
        (e: { kind: string; body: string }) => e.kind === 'note' && e.body.includes('10'),
      ),
    ).toBe(true);
    s.close();
    expect(await t.app.chat.closeIdle(t.clock.now())).toBe(0);
  });
});

describe('the widget on another origin', () => {
  it('the public chat endpoints answer CORS preflights without credentials; staff routes do not', async () => {
    const headers = {
      origin: 'https://shop.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-kefu-chat-key, x-kefu-chat-token',
    };
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/public/chat/visit',
      headers,
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('x-kefu-chat-token');
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    // A refused visit still carries the header, so the widget can read the problem.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/chat/visit',
      headers: { origin: 'https://shop.example.com', 'content-type': 'application/json' },
      payload: { siteKey: 'no-such-site-key' },
    });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.headers['access-control-allow-origin']).toBe('*');
    const staff = await t.app.inject({
      method: 'GET',
      url: '/api/v1/chat/conversations',
      headers: { origin: 'https://shop.example.com' },
    });
    expect(staff.headers['access-control-allow-origin']).toBeUndefined();
  });
});
