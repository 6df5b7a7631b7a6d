/**
 * The handling plan (处理方案) of a ticket — SPEC 2, level 3 / complaints: "first handling plan
 * within 4 hours". A record of its own, not a note: what will be done, who does it, by when, and
 * whether the customer sees it. Recording the first one (or revising it) is the timeline entry
 * `handling_plan`, which meets the `handling_plan` and `complaint_plan` targets (sla-link.ts);
 * a public plan shows in the customer's portal timeline. Audited.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { definePermission, hasAnyRole } from '../../access/permissions.js';
import type { Db, Executor } from '../../db/client.js';
import { ticketHandlingPlans, tickets, users } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { findVisibleTicket, lockTicket, staff } from './access.js';
import { FINISHED_STATUSES, type TicketStatus } from './rules/vocabulary.js';
import { appendEvent } from './timeline.js';

/** Whoever works tickets records and revises plans; readers of the ticket see them. */
export const handlingPlanPermission = definePermission(
  'tickets.handlingPlan',
  'tickets:write',
  hasAnyRole('agent', 'supervisor', 'specialist', 'admin'),
);

const WORKING_ROLES = ['agent', 'supervisor', 'specialist', 'admin'];

export const handlingPlanSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    body: z.string().describe('What will be done'),
    owner: z.object({ id: z.uuid(), name: z.string() }).describe('Who does it'),
    dueAt: z.iso.datetime().describe('By when'),
    public: z.boolean().describe('Shown to the customer (portal timeline)'),
    revision: z.number().int().describe('1, then +1 per change (send it back to change)'),
    createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'HandlingPlan' });
export type HandlingPlanView = z.infer<typeof handlingPlanSchema>;

export const handlingPlanBody = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  ownerId: z.uuid().describe('The staff member who carries the plan out'),
  dueAt: z.iso.datetime({ offset: true }).describe('By when (must be later than now)'),
  public: z.boolean().default(false).describe('Share the plan with the customer'),
});

export const handlingPlanPatch = z.strictObject({
  body: z.string().trim().min(1).max(5000).optional(),
  ownerId: z.uuid().optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  public: z.boolean().optional(),
  revision: z.number().int().min(1).optional().describe('The revision read; 409 if changed since'),
});

export const handlingPlanParams = z.object({ id: z.uuid(), planId: z.uuid() });

type PlanRow = typeof ticketHandlingPlans.$inferSelect;

async function namesOf(ex: Executor, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await ex
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function present(ex: Executor, rows: PlanRow[]): Promise<HandlingPlanView[]> {
  const names = await namesOf(
    ex,
    rows.flatMap((r) => [r.ownerId, r.createdBy]),
  );
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticketId,
    body: r.body,
    owner: { id: r.ownerId, name: names.get(r.ownerId) ?? '' },
    dueAt: r.dueAt.toISOString(),
    public: r.public,
    revision: r.revision,
    createdBy: r.createdBy ? { id: r.createdBy, name: names.get(r.createdBy) ?? '' } : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** An active user who can work tickets (404 naming `ownerId` when unknown, 422 when unsuitable). */
async function requireOwner(ex: Executor, id: string) {
  const [u] = await ex
    .select({ id: users.id, name: users.name, roles: users.roles, active: users.active })
    .from(users)
    .where(eq(users.id, id));
  if (!u) throw problems.notFound('User', 'ownerId');
  if (!u.active || !u.roles.some((r) => WORKING_ROLES.includes(r)))
    throw problems.invalid([
      {
        path: 'ownerId',
        message: 'must be an active agent, specialist, supervisor or administrator',
      },
    ]);
  return u;
}

function requireFuture(dueAt: string, now: Date) {
  if (new Date(dueAt).getTime() <= now.getTime())
    throw problems.invalid([{ path: 'dueAt', message: 'must be later than now' }]);
}

function requireOpen(status: string) {
  if (FINISHED_STATUSES.includes(status as TicketStatus))
    throw problems.conflict('ticket_finished', 'A closed or archived ticket takes no new plan.');
}

export async function listHandlingPlans(db: Db, actor: Actor, ticketId: string) {
  await findVisibleTicket(db, ticketId, actor);
  const rows = await db
    .select()
    .from(ticketHandlingPlans)
    .where(eq(ticketHandlingPlans.ticketId, ticketId))
    .orderBy(asc(ticketHandlingPlans.createdAt), asc(ticketHandlingPlans.id));
  return present(db, rows);
}

function timelineData(plan: PlanRow, ownerName: string, action: 'created' | 'updated') {
  return {
    planId: plan.id,
    action,
    owner: { id: plan.ownerId, name: ownerName },
    dueAt: plan.dueAt.toISOString(),
    public: plan.public,
    revision: plan.revision,
  };
}

/** Records a plan: one timeline entry (public when the plan is), one audit row. */
export function createHandlingPlan(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  ticketId: string,
  input: z.infer<typeof handlingPlanBody>,
): Promise<HandlingPlanView> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId, staff(actor));
    requireOpen(ticket.status);
    requireFuture(input.dueAt, ctx.at);
    const owner = await requireOwner(tx, input.ownerId);
    const [row] = await tx
      .insert(ticketHandlingPlans)
      .values({
        ticketId,
        body: input.body,
        ownerId: owner.id,
        dueAt: new Date(input.dueAt),
        public: input.public,
        createdBy: actor.userId,
        createdAt: ctx.at,
        updatedBy: actor.userId,
        updatedAt: ctx.at,
      })
      .returning();
    await appendEvent(tx, ticketId, ctx, staff(actor), {
      kind: 'handling_plan',
      visibility: row!.public ? 'public' : 'internal',
      body: row!.body,
      data: timelineData(row!, owner.name, 'created'),
    });
    await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, ticketId));
    await recordAudit(tx, ctx, {
      action: 'ticket.handling_plan.create',
      targetType: 'ticket',
      targetId: ticketId,
      after: {
        planId: row!.id,
        ownerId: row!.ownerId,
        dueAt: row!.dueAt.toISOString(),
        public: row!.public,
      },
    });
    return (await present(tx, [row!]))[0]!;
  });
}

/** Revises a plan (what, who, by when, shared or not): a new timeline entry, audited. */
export function updateHandlingPlan(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  ticketId: string,
  planId: string,
  input: z.infer<typeof handlingPlanPatch>,
): Promise<HandlingPlanView> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId, staff(actor));
    requireOpen(ticket.status);
    const [before] = await tx
      .select()
      .from(ticketHandlingPlans)
      .where(and(eq(ticketHandlingPlans.id, planId), eq(ticketHandlingPlans.ticketId, ticketId)))
      .for('update');
    if (!before) throw problems.notFound('Handling plan', 'planId');
    if (input.revision !== undefined && input.revision !== before.revision)
      throw problems.conflict(
        'handling_plan_conflict',
        'The plan was changed meanwhile; reload it and try again.',
      );
    if (input.dueAt !== undefined) requireFuture(input.dueAt, ctx.at);
    const owner = await requireOwner(tx, input.ownerId ?? before.ownerId);
    const [row] = await tx
      .update(ticketHandlingPlans)
      .set({
        body: input.body ?? before.body,
        ownerId: owner.id,
        dueAt: input.dueAt ? new Date(input.dueAt) : before.dueAt,
        public: input.public ?? before.public,
        revision: before.revision + 1,
        updatedBy: actor.userId,
        updatedAt: ctx.at,
      })
      .where(eq(ticketHandlingPlans.id, planId))
      .returning();
    await appendEvent(tx, ticketId, ctx, staff(actor), {
      kind: 'handling_plan',
      visibility: row!.public ? 'public' : 'internal',
      body: row!.body,
      data: timelineData(row!, owner.name, 'updated'),
    });
    await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, ticketId));
    await recordAudit(tx, ctx, {
      action: 'ticket.handling_plan.update',
      targetType: 'ticket',
      targetId: ticketId,
      before: {
        planId,
        body: before.body,
        ownerId: before.ownerId,
        dueAt: before.dueAt.toISOString(),
        public: before.public,
      },
      after: {
        planId,
        body: row!.body,
        ownerId: row!.ownerId,
        dueAt: row!.dueAt.toISOString(),
        public: row!.public,
      },
    });
    return (await present(tx, [row!]))[0]!;
  });
}
