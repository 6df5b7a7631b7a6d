import { and, eq, sql } from 'drizzle-orm';
import { mailAgentReply } from '../mail/reply-mail.js';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { teamMembers, teams, ticketReturnVisits, tickets, users } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { replyAttachmentRefs } from '../attachments/service.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { lockTicket, saveTicket, staff, type TicketRow } from './access.js';
import { notifyTicketUsers } from './notifications.js';
import { presentTicket } from './present.js';
import { pickLeastLoaded } from './rules/assignment.js';
import { CLOSED_REFUSAL_DETAIL, refusesWhenClosed } from './rules/closed.js';
import { ACTIVE_STATUSES_SQL, type TicketStatus } from './rules/vocabulary.js';
import { appendEvent, presentEvent } from './timeline.js';

const WORKING_ROLES = ['agent', 'supervisor', 'specialist', 'admin'];

/** An active user who can work tickets (404 naming `path` when unknown, 422 when unsuitable). */
async function requireWorker(ex: Executor, id: string, path: string) {
  const [u] = await ex
    .select({ id: users.id, name: users.name, roles: users.roles, active: users.active })
    .from(users)
    .where(eq(users.id, id));
  if (!u) throw problems.notFound('User', path);
  if (!u.active || !u.roles.some((r) => WORKING_ROLES.includes(r)))
    throw problems.invalid([
      { path, message: 'must be an active agent, specialist, supervisor or administrator' },
    ]);
  return u;
}

async function teamName(ex: Executor, id: string | null) {
  if (!id) return null;
  const [t] = await ex
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.id, id));
  return t ?? null;
}

async function userRef(ex: Executor, id: string | null) {
  if (!id) return null;
  const [u] = await ex
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.id, id));
  return u ?? null;
}

export interface AssignInput {
  teamId?: string | null;
  handlerId?: string | null;
  /** Pick the least-loaded member of the (new or current) team as handler. */
  autoHandler?: boolean;
}

/** The team member who should take the next ticket (null: nobody can work tickets there). */
async function leastLoadedMember(tx: Executor, teamId: string): Promise<string | null> {
  const rows = rowsOf<{ id: string; load: number; last_assigned_at: Date | string | null }>(
    await tx.execute(sql`
      SELECT u.id,
             (SELECT count(*)::int FROM tickets t
               WHERE t.handler_id = u.id AND t.status IN ${sql.raw(ACTIVE_STATUSES_SQL)}) AS load,
             (SELECT max(e.at) FROM ticket_events e
               WHERE e.kind = 'assignment' AND e.data->'handler'->'to'->>'id' = u.id::text)
               AS last_assigned_at
        FROM team_members m JOIN users u ON u.id = m.user_id
       WHERE m.team_id = ${teamId} AND u.active
         AND u.roles && ARRAY['agent', 'supervisor', 'specialist', 'admin']::text[]`),
  );
  return (
    pickLeastLoaded(
      rows.map((r) => ({
        id: r.id,
        load: Number(r.load),
        lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
      })),
    )?.id ?? null
  );
}

/**
 * Hands work to a team and/or handler (a specialist, …). The owner never changes here
 * (首问负责制): the receiving agent stays responsible until closure.
 */
export async function assignInTx(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor,
  row: TicketRow,
  input: AssignInput,
): Promise<TicketRow> {
  if (refusesWhenClosed(row.status as TicketStatus, 'assign'))
    throw problems.conflict('ticket_closed', CLOSED_REFUSAL_DETAIL.assign);
  if (input.teamId === undefined && input.handlerId === undefined && !input.autoHandler)
    throw problems.invalid([{ path: 'teamId', message: 'give teamId and/or handlerId' }]);
  if (input.autoHandler) {
    if (input.handlerId)
      throw problems.invalid([
        { path: 'autoHandler', message: 'give either handlerId or autoHandler, not both' },
      ]);
    const teamId = input.teamId === undefined ? row.teamId : input.teamId;
    if (!teamId) throw problems.invalid([{ path: 'teamId', message: 'autoHandler needs a team' }]);
    if (!(await teamName(tx, teamId))) throw problems.notFound('Team', 'teamId');
    const picked = await leastLoadedMember(tx, teamId);
    if (!picked)
      throw problems.invalid([
        { path: 'autoHandler', message: 'the team has no active member who works tickets' },
      ]);
    input = { teamId, handlerId: picked };
  }
  const next: Partial<TicketRow> = {};
  if (input.teamId !== undefined) {
    if (input.teamId && !(await teamName(tx, input.teamId)))
      throw problems.notFound('Team', 'teamId');
    next.teamId = input.teamId;
  }
  if (input.handlerId !== undefined) {
    if (input.handlerId) await requireWorker(tx, input.handlerId, 'handlerId');
    next.handlerId = input.handlerId;
  }
  if (input.teamId && input.handlerId) {
    const [member] = await tx
      .select()
      .from(teamMembers)
      .where(and(eq(teamMembers.teamId, input.teamId), eq(teamMembers.userId, input.handlerId)));
    if (!member)
      throw problems.invalid([{ path: 'handlerId', message: 'is not a member of the team' }]);
  }
  const teamChanged = next.teamId !== undefined && next.teamId !== row.teamId;
  const handlerChanged = next.handlerId !== undefined && next.handlerId !== row.handlerId;
  if (!teamChanged && !handlerChanged) return row;
  const saved = await saveTicket(tx, row, next, ctx.at);
  const data: Record<string, unknown> = {};
  if (teamChanged)
    data.team = { from: await teamName(tx, row.teamId), to: await teamName(tx, saved.teamId) };
  if (handlerChanged)
    data.handler = {
      from: await userRef(tx, row.handlerId),
      to: await userRef(tx, saved.handlerId),
    };
  await appendEvent(tx, row.id, ctx, staff(actor), { kind: 'assignment', data });
  if (handlerChanged && saved.handlerId)
    await notifyTicketUsers(tx, ctx, 'ticket.assigned', saved, [saved.handlerId]);
  await recordAudit(tx, ctx, {
    action: 'ticket.assign',
    targetType: 'ticket',
    targetId: row.id,
    before: { teamId: row.teamId, handlerId: row.handlerId },
    after: { teamId: saved.teamId, handlerId: saved.handlerId },
  });
  return saved;
}

export function assignTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: AssignInput,
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    const row = await lockTicket(tx, id, staff(actor), expectedVersion);
    return presentTicket(tx, await assignInTx(tx, ctx, actor, row, input), actor, ctx.at);
  });
}

/** Changing the first-contact owner: supervisors only (route policy), with a reason, audited. */
export function changeOwner(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { ownerId: string; reason: string },
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    const row = await lockTicket(tx, id, staff(actor), expectedVersion);
    const owner = await requireWorker(tx, input.ownerId, 'ownerId');
    if (owner.id === row.ownerId)
      throw problems.invalid([{ path: 'ownerId', message: 'is already the owner' }]);
    const saved = await saveTicket(tx, row, { ownerId: owner.id }, ctx.at);
    await appendEvent(tx, id, ctx, staff(actor), {
      kind: 'owner',
      body: input.reason,
      data: { from: await userRef(tx, row.ownerId), to: { id: owner.id, name: owner.name } },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.owner_change',
      targetType: 'ticket',
      targetId: id,
      before: { ownerId: row.ownerId },
      after: { ownerId: owner.id, reason: input.reason },
    });
    return presentTicket(tx, saved, actor, ctx.at);
  });
}

/**
 * A public reply to the customer or an internal note. Replies are not edits of the ticket, so
 * they take no If-Match and do not change its version; the first public reply is the first
 * response time.
 */
export function addReply(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { body: string; visibility: 'public' | 'internal'; attachmentIds?: string[] },
) {
  return db.transaction(async (tx) => {
    const row = await lockTicket(tx, id, staff(actor));
    if (
      input.visibility === 'public' &&
      refusesWhenClosed(row.status as TicketStatus, 'public_reply')
    )
      throw problems.conflict('ticket_closed', CLOSED_REFUSAL_DETAIL.public_reply);
    const files = await replyAttachmentRefs(tx, id, input.attachmentIds ?? [], input.visibility);
    const event = await appendEvent(tx, id, ctx, staff(actor), {
      kind: input.visibility === 'public' ? 'reply' : 'note',
      visibility: input.visibility,
      body: input.body,
      ...(files.length > 0 && { data: { attachments: files } }),
    });
    // A ticket answered by mail: the reply also goes out by mail (modules/mail, issue 13).
    if (input.visibility === 'public')
      await mailAgentReply(tx, ctx.at, row, event, files, actor.name);
    await tx
      .update(tickets)
      .set({
        updatedAt: ctx.at,
        ...(input.visibility === 'public' && !row.firstResponseAt && { firstResponseAt: ctx.at }),
      })
      .where(eq(tickets.id, id));
    await recordAudit(tx, ctx, {
      action: input.visibility === 'public' ? 'ticket.reply' : 'ticket.note',
      targetType: 'ticket',
      targetId: id,
      after: {
        eventId: event.id,
        length: input.body.length,
        ...(files.length > 0 && { attachmentIds: files.map((f) => f.id) }),
      },
    });
    return presentEvent(event);
  });
}

/** 回访: when, by whom, outcome, whether the customer accepts the result. */
export function recordReturnVisit(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { visitedAt: string; outcome: string; customerAccepted: boolean },
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    const row = await lockTicket(tx, id, staff(actor), expectedVersion);
    if (row.status === 'new')
      throw problems.conflict('not_accepted', 'Accept the ticket before recording a return visit.');
    const visitedAt = new Date(input.visitedAt);
    if (visitedAt.getTime() > ctx.at.getTime() + 60_000)
      throw problems.invalid([{ path: 'visitedAt', message: 'must not be in the future' }]);
    await tx.insert(ticketReturnVisits).values({
      ticketId: id,
      visitedAt,
      byId: actor.userId,
      outcome: input.outcome,
      customerAccepted: input.customerAccepted,
      createdAt: ctx.at,
    });
    const saved = await saveTicket(tx, row, {}, ctx.at);
    await appendEvent(tx, id, ctx, staff(actor), {
      kind: 'return_visit',
      body: input.outcome,
      data: { visitedAt: visitedAt.toISOString(), customerAccepted: input.customerAccepted },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.return_visit',
      targetType: 'ticket',
      targetId: id,
      after: { visitedAt: visitedAt.toISOString(), customerAccepted: input.customerAccepted },
    });
    return presentTicket(tx, saved, actor, ctx.at);
  });
}

/** Takes an unresolved closing off the follow-up to-do list. */
export function completeFollowUp(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { note?: string },
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    const row = await lockTicket(tx, id, staff(actor), expectedVersion);
    if (!row.followUpDueAt || row.followUpDoneAt)
      throw problems.conflict('no_open_follow_up', 'This ticket has no open follow-up.');
    const saved = await saveTicket(tx, row, { followUpDoneAt: ctx.at }, ctx.at);
    await appendEvent(tx, id, ctx, staff(actor), {
      kind: 'follow_up',
      body: input.note ?? null,
      data: { done: true, plan: row.followUpPlan, dueAt: row.followUpDueAt.toISOString() },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.follow_up_done',
      targetType: 'ticket',
      targetId: id,
      before: { followUpDoneAt: null },
      after: { followUpDoneAt: ctx.at.toISOString() },
    });
    return presentTicket(tx, saved, actor, ctx.at);
  });
}
