import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { HttpProblem } from '../../lib/problem.js';
import { systemContext } from '../tickets/access.js';
import type { ChatEvent } from './bus.js';
import { chatPolicy } from './policy.js';
import { agentFrame, visitorFrame } from './schemas.js';
import { AGENTS_TOPIC, convTopic } from './service.js';

const WIDGET_FILE = fileURLToPath(new URL('../../../../web/widget/widget.js', import.meta.url));

const visitorQuery = z.object({
  key: z.string().min(1).max(100),
  token: z.string().min(1).max(1000),
  conversation: z.uuid(),
  after: z.coerce.number().int().min(0).default(0),
});

const send = (socket: WebSocket, e: unknown) => {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(e));
};

const errorOf = (err: unknown) => (err instanceof HttpProblem ? err.code : 'server_error');

/**
 * The WebSocket endpoints and the widget script (outside /api/v1: not JSON routes).
 * Visitor protocol (docs/chat.md): connect with `after=<last seq seen>`; the server replays
 * what came later, then streams; every message the visitor sends carries a client id and is
 * acknowledged with its seq, so a resend after a reconnect is never doubled.
 */
export async function chatSocketRoutes(app: FastifyInstance) {
  const { clock } = app.deps;
  const chat = app.chat;
  let widget: string | null = null;

  app.get('/widget.js', { schema: { hide: true } }, async (_req, reply) => {
    widget ??= readFileSync(WIDGET_FILE, 'utf8');
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(widget);
  });

  // A bare host page for trying the widget: /chat/demo?key=<site key> (docs/chat.md).
  app.get('/chat/demo', { schema: { hide: true } }, async (req, reply) => {
    const key = (req.query as { key?: unknown }).key;
    const safe = typeof key === 'string' && /^[A-Za-z0-9_-]{8,100}$/.test(key) ? key : '';
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
          `<meta name="viewport" content="width=device-width, initial-scale=1">` +
          `<title>Kefu 在线客服演示</title></head><body style="font-family:sans-serif;margin:24px">` +
          `<h1>示例商城</h1><p>右下角是在线客服。</p>` +
          (safe
            ? `<script src="/widget.js" data-kefu-key="${safe}" async></script>`
            : '<p>?key= 缺少站点 key</p>') +
          `</body></html>`,
      );
  });

  app.get(
    '/chat/ws',
    { websocket: true, config: { public: true }, schema: { hide: true } },
    (socket, req) => {
      const parsed = visitorQuery.safeParse(req.query);
      if (!parsed.success) {
        send(socket, { t: 'error', code: 'bad_query' });
        socket.close(4400, 'bad query');
        return;
      }
      const q = parsed.data;
      let lastSent = q.after;
      let replaying = true;
      const buffered: ChatEvent[] = [];
      let off: (() => void) | null = null;
      let closed = false;
      socket.on('close', () => {
        closed = true;
        off?.();
      });

      const deliver = (e: ChatEvent) => {
        if (e.t === 'msg') {
          const m = e.m as { seq: number };
          if (m.seq <= lastSent) return;
          // A gap (an event published before this one committed): replay from the database.
          if (m.seq > lastSent + 1) return void resync();
          lastSent = m.seq;
          send(socket, { t: 'msg', m });
        } else if (e.t === 'sync') void resync();
        else if (e.t === 'typing' || e.t === 'read') {
          if (e.who === 'agent') send(socket, e);
        } else send(socket, e);
      };
      const resync = async () => {
        const missed = await chat.messagesAfter(app.deps.db, q.conversation, lastSent);
        for (const m of missed) {
          if (m.seq <= lastSent) continue;
          lastSent = m.seq;
          send(socket, { t: 'msg', m });
        }
      };

      const queue: string[] = [];
      let busy = false;
      const pump = async (conversationId: string) => {
        if (busy) return;
        busy = true;
        while (queue.length > 0) {
          const raw = queue.shift()!;
          await handle(conversationId, raw).catch((err: unknown) =>
            send(socket, { t: 'error', code: errorOf(err) }),
          );
        }
        busy = false;
      };
      const handle = async (id: string, raw: string) => {
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          return send(socket, { t: 'error', code: 'bad_frame' });
        }
        const f = visitorFrame.safeParse(json);
        if (!f.success) return send(socket, { t: 'error', code: 'bad_frame' });
        const frame = f.data;
        const now = clock.now();
        switch (frame.t) {
          case 'msg': {
            try {
              const { seq } = await chat.visitorMessage(
                id,
                { clientId: frame.cid, body: frame.body },
                now,
              );
              return send(socket, { t: 'ack', cid: frame.cid, seq });
            } catch (err) {
              return send(socket, { t: 'error', code: errorOf(err), cid: frame.cid });
            }
          }
          case 'feedback':
            return chat.feedback(id, frame.solved, now);
          case 'person':
            return chat.requestPerson(id, now);
          case 'typing':
            return chat.bus.publish(convTopic(id), {
              t: 'typing',
              conversationId: id,
              who: 'visitor',
            });
          case 'read':
            return chat.markRead(id, 'visitor', frame.seq);
          case 'rate':
            await chat.rate(id, frame.score, now);
            return send(socket, { t: 'rated', score: frame.score });
          case 'close':
            return chat.close(systemContext(now, 'customer:portal'), null, id);
          case 'leave': {
            const t = await chat.leaveMessage(id, frame, now);
            return send(socket, { t: 'taken', number: t.number });
          }
          case 'ping':
            return send(socket, { t: 'pong' });
        }
      };

      // Frames that arrive while the connection is being authorised wait their turn.
      socket.on('message', (data: Buffer) => {
        queue.push(data.toString('utf8').slice(0, 20_000));
        if (!replaying && conversationId) void pump(conversationId);
      });
      let conversationId: string | null = null;

      void (async () => {
        const conv = await chat.authorizeVisitor(q.key, q.token, q.conversation);
        if (!conv || closed) {
          send(socket, { t: 'error', code: 'unauthorized' });
          socket.close(4401, 'unauthorized');
          return;
        }
        conversationId = conv.id;
        // Subscribe first, then replay: nothing published in between is lost.
        off = chat.bus.subscribe(convTopic(conv.id), (e) =>
          replaying ? buffered.push(e) : deliver(e),
        );
        await resync();
        send(socket, {
          t: 'state',
          conversationId: conv.id,
          state: conv.state,
          open: await chat.isOpen(app.deps.db, clock.now()),
        });
        replaying = false;
        for (const e of buffered.splice(0)) deliver(e);
        void pump(conv.id);
      })().catch(() => socket.close(1011, 'error'));
    },
  );

  app.get(
    '/chat/agent-ws',
    { websocket: true, config: { permission: chatPolicy.work }, schema: { hide: true } },
    (socket, req) => {
      const actor = requireActor(req.actor);
      const subs = new Map<string, () => void>();
      const forward = (e: ChatEvent) => {
        if ((e.t === 'typing' || e.t === 'read') && e.who !== 'visitor') return;
        send(socket, e);
      };
      subs.set(AGENTS_TOPIC, chat.bus.subscribe(AGENTS_TOPIC, forward));
      socket.on('close', () => {
        for (const off of subs.values()) off();
        subs.clear();
      });
      socket.on('message', (data: Buffer) => {
        let json: unknown;
        try {
          json = JSON.parse(data.toString('utf8').slice(0, 20_000));
        } catch {
          return send(socket, { t: 'error', code: 'bad_frame' });
        }
        const f = agentFrame.safeParse(json);
        if (!f.success) return send(socket, { t: 'error', code: 'bad_frame' });
        const frame = f.data;
        switch (frame.t) {
          case 'watch': {
            const topic = convTopic(frame.conversationId);
            if (!subs.has(topic) && subs.size < 100)
              subs.set(topic, chat.bus.subscribe(topic, forward));
            return send(socket, { t: 'watching', conversationId: frame.conversationId });
          }
          case 'typing':
            return void chat.bus.publish(convTopic(frame.conversationId), {
              t: 'typing',
              conversationId: frame.conversationId,
              who: 'agent',
              name: actor.name,
            });
          case 'read':
            return void chat.markRead(frame.conversationId, 'agent', frame.seq);
          case 'ping':
            return send(socket, { t: 'pong' });
        }
      });
    },
  );
}
