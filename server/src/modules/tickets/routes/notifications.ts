import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf } from '../../../lib/http.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../../lib/pagination.js';
import { HttpProblem } from '../../../lib/problem.js';
import { closeNotificationBus, notificationBusFor } from '../../notifications/bus.js';
import { principalStillValid } from '../../auth/sessions.js';
import { openNotificationStream, type OpenStream } from '../../notifications/stream.js';
import { countUnread, listNotifications, markAllRead, markRead } from '../notifications.js';
import { ticketsPolicy } from '../policy.js';
import { ticketParams } from '../schemas.js';

const notificationSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    kind: z.string().describe('e.g. ticket.green_channel'),
    ticketId: z.uuid().nullable(),
    title: z.string(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });

/** Keeps proxies from closing an idle stream (most give up after 60 s of silence). */
const HEARTBEAT_MS = 25_000;

const acceptsEventStream = (accept: string | undefined) =>
  !!accept && /(^|,)\s*(text\/event-stream|text\/\*|\*\/\*)\s*(;|,|$)/i.test(accept);

export async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, database, clock } = app.deps;
  const tags = ['notifications'];
  const streams = new Set<OpenStream>();
  // Open streams would keep the server from closing; the LISTEN connection goes with the app.
  app.addHook('preClose', async () => {
    for (const s of streams) s.close();
  });
  app.addHook('onClose', async () => closeNotificationBus(database));

  r.get('/notifications', {
    config: { permission: ticketsPolicy.notifications },
    schema: {
      tags,
      summary: 'My notifications, newest first (unreadCount beside the page)',
      querystring: pageQuery.extend({ unread: z.enum(['true', 'false']).optional() }),
      response: {
        200: z.object({
          data: z.array(notificationSchema),
          nextCursor: z.string().nullable(),
          unreadCount: z.number().int(),
        }),
      },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const { userId } = actor;
      const { limit, cursor, unread } = req.query;
      const rows = await listNotifications(db, userId, {
        unread: unread === 'true',
        limit,
        after: decodeCursor(cursor),
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page,
        nextCursor:
          rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
        unreadCount: await countUnread(db, userId),
      };
    },
  });

  r.get('/notifications/stream', {
    config: { permission: ticketsPolicy.notifications },
    schema: {
      tags,
      summary: 'My new notifications, live (Server-Sent Events; Accept: text/event-stream)',
      description:
        '`event: unread` `{count}` on connect and when it changes; `event: notification` ' +
        '(a Notification) for each new one; a comment every 25 s. 406 without ' +
        '`Accept: text/event-stream`. Reconnect and reload the list when the stream drops.',
      response: { 200: z.string().describe('text/event-stream') },
    },
    handler: async (req, reply) => {
      if (!acceptsEventStream(req.headers.accept)) {
        throw new HttpProblem({
          status: 406,
          code: 'not_acceptable',
          detail: 'This is a Server-Sent Events stream: send Accept: text/event-stream.',
        });
      }
      const actor = requireActor(req.actor);
      const { userId } = actor;
      reply.hijack();
      try {
        const stream = await openNotificationStream(reply.raw, {
          db,
          bus: notificationBusFor(database),
          userId,
          now: () => clock.now(),
          heartbeatMs: HEARTBEAT_MS,
          stillSignedIn: () => principalStillValid(db, actor, clock.now()),
        });
        streams.add(stream);
        void stream.done.then(() => streams.delete(stream));
      } catch (err) {
        // Hijacked: Fastify's error handler no longer answers for us.
        req.log.error({ err }, 'notification stream failed to open');
        if (!reply.raw.headersSent) reply.raw.writeHead(503, { 'retry-after': '5' });
        reply.raw.end();
      }
    },
  });

  r.post('/notifications/read-all', {
    config: { permission: ticketsPolicy.notifications },
    schema: {
      tags,
      summary: 'Mark all my notifications read',
      response: { 200: dataOf(z.object({ updated: z.number().int() })) },
    },
    handler: async (req) => ({
      data: await markAllRead(db, req.auditContext(), requireActor(req.actor).userId),
    }),
  });

  r.post('/notifications/:id/read', {
    config: { permission: ticketsPolicy.notifications },
    schema: {
      tags,
      summary: 'Mark one of my notifications read',
      params: ticketParams,
      response: { 200: dataOf(notificationSchema) },
    },
    handler: async (req) => ({
      data: await markRead(db, req.auditContext(), requireActor(req.actor).userId, req.params.id),
    }),
  });
}
