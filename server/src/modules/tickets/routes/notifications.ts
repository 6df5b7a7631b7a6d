import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../../context.js';
import { dataOf } from '../../../lib/http.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../../lib/pagination.js';
import { countUnread, listNotifications, markRead } from '../notifications.js';
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

export async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['notifications'];

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
      const { userId } = requireActor(req.actor);
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
