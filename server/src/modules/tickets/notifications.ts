import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { notifications, users } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { publishNotifications } from '../notifications/bus.js';
import type { TicketRow } from './access.js';

export interface NotificationView {
  id: string;
  userId: string;
  kind: string;
  ticketId: string | null;
  title: string;
  createdAt: string;
  readAt: string | null;
}

type Row = typeof notifications.$inferSelect;

const present = (n: Row): NotificationView => ({
  id: n.id,
  userId: n.userId,
  kind: n.kind,
  ticketId: n.ticketId,
  title: n.title,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** SPEC 2: an L3 ticket is escalated at once — every active supervisor is told, in their language. */
export async function notifySupervisorsOfL3(tx: Executor, t: TicketRow, ctx: AuditContext) {
  const supervisors = await tx
    .select({ id: users.id, locale: users.locale })
    .from(users)
    .where(and(eq(users.active, true), sql`'supervisor' = ANY(${users.roles})`));
  if (supervisors.length === 0) return 0;
  await tx.insert(notifications).values(
    supervisors.map((s) => ({
      userId: s.id,
      kind: 'ticket.green_channel',
      ticketId: t.id,
      title:
        s.locale === 'en-US'
          ? `Green channel: ${t.number} ${t.subject}`
          : `绿色通道：${t.number} ${t.subject}`,
      createdAt: ctx.at,
    })),
  );
  await publishNotifications(
    tx,
    supervisors.map((s) => s.id),
  );
  return supervisors.length;
}

/** Things that happen to a ticket that the people working it must hear about (the bell). */
export type TicketNoticeKind =
  | 'ticket.assigned'
  | 'ticket.portal_request'
  | 'ticket.customer_reply'
  | 'ticket.confirmed'
  | 'ticket.rejected';

const NOTICE_TITLES: Record<TicketNoticeKind, { zh: string; en: string }> = {
  'ticket.assigned': { zh: '分派给你', en: 'Assigned to you' },
  'ticket.portal_request': { zh: '门户新请求', en: 'New portal request' },
  'ticket.customer_reply': { zh: '客户回复', en: 'Customer replied' },
  'ticket.confirmed': { zh: '客户确认已解决', en: 'Customer confirmed the resolution' },
  'ticket.rejected': { zh: '客户表示未解决，工单已重开', en: 'Customer rejected the resolution' },
};

/**
 * Tells the given users (handler, owner, …) about a ticket, in their language, in the caller's
 * transaction; the bell and its live stream show it. Nobody is told about their own action, a
 * user listed twice is told once, inactive users not at all. Answers how many were told.
 */
export async function notifyTicketUsers(
  tx: Executor,
  ctx: AuditContext,
  kind: TicketNoticeKind,
  t: Pick<TicketRow, 'id' | 'number' | 'subject'>,
  userIds: readonly (string | null | undefined)[],
): Promise<number> {
  const ids = [...new Set(userIds.filter((id): id is string => !!id && id !== ctx.actorId))];
  if (ids.length === 0) return 0;
  const people = await tx
    .select({ id: users.id, locale: users.locale })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.active, true)));
  if (people.length === 0) return 0;
  const title = NOTICE_TITLES[kind];
  await tx.insert(notifications).values(
    people.map((u) => ({
      userId: u.id,
      kind,
      ticketId: t.id,
      title:
        u.locale === 'en-US'
          ? `${title.en}: ${t.number} ${t.subject}`
          : `${title.zh}：${t.number} ${t.subject}`,
      createdAt: ctx.at,
    })),
  );
  await publishNotifications(
    tx,
    people.map((u) => u.id),
  );
  return people.length;
}

export async function listNotifications(
  db: Db,
  userId: string,
  opts: { unread?: boolean; limit: number; after?: CursorKey },
) {
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        opts.unread ? isNull(notifications.readAt) : undefined,
        opts.after
          ? or(
              lt(notifications.createdAt, new Date(opts.after.at)),
              and(
                eq(notifications.createdAt, new Date(opts.after.at)),
                lt(notifications.id, opts.after.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit + 1);
  return rows.map(present);
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one of your own notifications read (someone else's is 404); repeating is harmless. */
export async function markRead(db: Db, ctx: AuditContext, userId: string, id: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(notifications)
      .set({
        readAt: sql`coalesce(${notifications.readAt}, ${ctx.at.toISOString()}::timestamptz)`,
      })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .returning();
    if (!row) throw problems.notFound('Notification', 'id');
    await recordAudit(tx, ctx, {
      action: 'notification.read',
      targetType: 'notification',
      targetId: id,
    });
    // The user's other tabs update their badge.
    await publishNotifications(tx, [userId]);
    return present(row);
  });
}

/** Marks every unread notification of yours read; answers how many there were. */
export async function markAllRead(db: Db, ctx: AuditContext, userId: string) {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(notifications)
      .set({ readAt: ctx.at })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    if (rows.length > 0) {
      await recordAudit(tx, ctx, {
        action: 'notification.read_all',
        targetType: 'notification',
        targetId: null,
        after: { count: rows.length },
      });
      await publishNotifications(tx, [userId]);
    }
    return { updated: rows.length };
  });
}

/**
 * The newest unread notifications of a user created at or after `since` (a live stream's
 * window: it sends those it has not sent yet), newest first.
 */
export async function recentUnread(
  ex: Executor,
  userId: string,
  since: Date,
  limit = 20,
): Promise<NotificationView[]> {
  const rows = await ex
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        gte(notifications.createdAt, since),
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  return rows.map(present);
}
