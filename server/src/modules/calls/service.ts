/**
 * Reading calls (log, screen pop, figures), registering a call as a ticket, and working the
 * call-back tasks. Caller numbers are masked for roles that do not see full contact details.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db } from '../../db/client.js';
import { callCallbacks, calls, customers, tickets, users } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { matchCustomers, presentCustomer } from '../customers/service.js';
import { visibleTo } from '../tickets/access.js';
import { maskPhone, seesFullContact } from '../tickets/rules/masking.js';
import { ACTIVE_STATUSES } from '../tickets/rules/vocabulary.js';
import { createTicket } from '../tickets/service.js';
import { getSettingsCached } from '../tickets/settings.js';
import type { CallState } from './rules/call-state.js';
import { connectionRate, peakSql } from './rules/peak.js';
import type { CALLBACK_STATUSES, callbackSchema, callSchema } from './schemas.js';
import { getCallSettings } from './settings.js';
import { meetFirstResponseByCall } from './sla.js';

type CallRow = typeof calls.$inferSelect;

export type CallView = z.infer<typeof callSchema>;
type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Calls with their agent, customer, ticket and call-back, as `roles` may see them. */
async function presentCalls(db: Db, rows: CallRow[], roles: Actor['roles']): Promise<CallView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const agentIds = [...new Set(rows.map((r) => r.agentId).filter((x): x is string => !!x))];
  const customerIds = [...new Set(rows.map((r) => r.customerId).filter((x): x is string => !!x))];
  const ticketIds = [...new Set(rows.map((r) => r.ticketId).filter((x): x is string => !!x))];
  const [agentRows, customerRows, ticketRows, callbackRows] = await Promise.all([
    agentIds.length
      ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, agentIds))
      : [],
    customerIds.length
      ? db
          .select({ id: customers.id, name: customers.name })
          .from(customers)
          .where(inArray(customers.id, customerIds))
      : [],
    ticketIds.length
      ? db
          .select({ id: tickets.id, number: tickets.number })
          .from(tickets)
          .where(inArray(tickets.id, ticketIds))
      : [],
    db.select().from(callCallbacks).where(inArray(callCallbacks.callId, ids)),
  ]);
  const full = seesFullContact(roles);
  const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
  const agentsMap = byId(agentRows);
  const customersMap = byId(customerRows);
  const ticketsMap = byId(ticketRows);
  const callbacks = new Map(callbackRows.map((c) => [c.callId, c]));
  return rows.map((r) => {
    const cb = callbacks.get(r.id);
    return {
      id: r.id,
      provider: r.provider,
      externalId: r.externalId,
      state: r.state as CallState,
      callerNumber: full ? r.callerNumber : maskPhone(r.callerNumber),
      agent: (r.agentId && agentsMap.get(r.agentId)) || null,
      queue: r.queue,
      customer: (r.customerId && customersMap.get(r.customerId)) || null,
      ticket: (r.ticketId && ticketsMap.get(r.ticketId)) || null,
      ringAt: r.ringAt.toISOString(),
      answeredAt: iso(r.answeredAt),
      endedAt: iso(r.endedAt),
      answerMs: r.answerMs,
      transfers: r.transfers,
      recordingUrl: r.recordingUrl,
      direction: r.direction as 'inbound' | 'outbound',
      callback: cb
        ? { id: cb.id, status: cb.status as CallbackStatus, dueAt: cb.dueAt.toISOString() }
        : null,
    };
  });
}

export interface CallFilter {
  state?: string[] | undefined;
  agentId?: string | undefined;
  customerId?: string | undefined;
  ticketId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  mine?: boolean | undefined;
}

export async function listCalls(
  db: Db,
  actor: Actor,
  f: CallFilter,
  limit: number,
  after?: CursorKey,
) {
  const rows = await db
    .select()
    .from(calls)
    .where(
      and(
        f.state?.length ? inArray(calls.state, f.state) : undefined,
        f.agentId ? eq(calls.agentId, f.agentId) : undefined,
        f.mine ? eq(calls.agentId, actor.userId) : undefined,
        f.customerId ? eq(calls.customerId, f.customerId) : undefined,
        f.ticketId ? eq(calls.ticketId, f.ticketId) : undefined,
        f.from ? gte(calls.ringAt, new Date(f.from)) : undefined,
        f.to ? lt(calls.ringAt, new Date(f.to)) : undefined,
        after
          ? or(
              lt(calls.ringAt, new Date(after.at)),
              and(eq(calls.ringAt, new Date(after.at)), lt(calls.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(calls.ringAt), desc(calls.id))
    .limit(limit + 1);
  const views = await presentCalls(db, rows, actor.roles);
  return views;
}

async function callRow(db: Db, id: string) {
  const [row] = await db.select().from(calls).where(eq(calls.id, id));
  if (!row) throw problems.notFound('Call');
  return row;
}

export async function getCall(db: Db, actor: Actor, id: string) {
  const [view] = await presentCalls(db, [await callRow(db, id)], actor.roles);
  return view!;
}

/** Calls ringing at the actor now (rung within the last 10 minutes): the screen pop's source. */
export async function ringingFor(db: Db, actor: Actor, now: Date) {
  const rows = await db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.state, 'ringing'),
        eq(calls.direction, 'inbound'),
        eq(calls.agentId, actor.userId),
        gte(calls.updatedAt, new Date(now.getTime() - 10 * 60_000)),
      ),
    )
    .orderBy(desc(calls.ringAt))
    .limit(5);
  return presentCalls(db, rows, actor.roles);
}

/**
 * The screen pop: the call, the customers its number matches (the linked one first), and their
 * open tickets the actor may see.
 */
export async function screenPop(db: Db, actor: Actor, id: string) {
  const row = await callRow(db, id);
  const [call] = await presentCalls(db, [row], actor.roles);
  let matched = await matchCustomers(db, { phone: row.callerNumber });
  if (row.customerId && !matched.some((c) => c.id === row.customerId)) {
    const [linked] = await db.select().from(customers).where(eq(customers.id, row.customerId));
    if (linked) matched = [linked, ...matched];
  }
  matched.sort((a, b) => Number(b.id === row.customerId) - Number(a.id === row.customerId));
  const customerIds = matched.map((c) => c.id);
  const open = customerIds.length
    ? await db
        .select({
          id: tickets.id,
          number: tickets.number,
          subject: tickets.subject,
          status: tickets.status,
          customerId: tickets.customerId,
          receivedAt: tickets.receivedAt,
        })
        .from(tickets)
        .where(
          and(
            inArray(tickets.customerId, customerIds),
            inArray(tickets.status, [...ACTIVE_STATUSES]),
            isNull(tickets.mergedIntoId),
            visibleTo(actor),
          ),
        )
        .orderBy(desc(tickets.receivedAt))
        .limit(20)
    : [];
  return {
    call: call!,
    customers: matched.map((c) => presentCustomer(c, actor.roles)),
    openTickets: open.map((t) => ({ ...t, receivedAt: t.receivedAt.toISOString() })),
  };
}

export interface RegisterInput {
  customerId?: string | undefined;
  customerName?: string | undefined;
  subject?: string | undefined;
  category: string;
  description: string;
}

/**
 * One click on the screen pop: the call becomes a ticket — channel phone, received at the ring
 * time, the matched (or a newly registered) customer, the actor as receiving agent and owner.
 * A call already registered is 409 naming its ticket.
 */
export async function registerCallTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: RegisterInput,
) {
  return db.transaction(async (tx) => {
    const [locked] = rowsOf<{ id: string; ticket_id: string | null }>(
      await tx.execute(sql`SELECT id, ticket_id FROM calls WHERE id = ${id}::uuid FOR UPDATE`),
    );
    if (!locked) throw problems.notFound('Call');
    if (locked.ticket_id)
      throw problems.conflict('call_registered', 'This call is already registered as a ticket.', [
        { path: 'ticketId', message: locked.ticket_id },
      ]);
    const [row] = await tx.select().from(calls).where(eq(calls.id, id));
    let customerId = input.customerId ?? row!.customerId ?? undefined;
    if (!customerId) {
      const found = await matchCustomers(tx, { phone: row!.callerNumber });
      if (found.length === 1) customerId = found[0]!.id;
    }
    const settings = await getSettingsCached(tx);
    const when = new Intl.DateTimeFormat('zh-CN', {
      timeZone: settings.timeZone,
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(row!.ringAt);
    const phone = /^\+?\d{3,20}$/.test(row!.callerNumber) ? row!.callerNumber : null;
    // createTicket opens its own (nested: a savepoint) transaction on ours.
    const { data: ticket } = await createTicket(tx as unknown as Db, ctx, actor, {
      channel: 'phone',
      category: input.category,
      priority: 'general',
      subject: input.subject ?? `电话来电 ${maskPhone(row!.callerNumber)} ${when}`,
      description: input.description,
      ...(customerId
        ? { customerId }
        : {
            customer: { name: input.customerName ?? `来电 ${maskPhone(row!.callerNumber)}`, phone },
          }),
      receivedAt: row!.ringAt.toISOString(),
      tags: ['phone'],
    });
    await tx
      .update(calls)
      .set({ ticketId: ticket.id, customerId: ticket.customer.id, updatedAt: ctx.at })
      .where(eq(calls.id, id));
    // The first-response clock ran from the ring; an answered call met it at the answer.
    if (row!.answeredAt) await meetFirstResponseByCall(tx, ticket.id, row!.answeredAt);
    await recordAudit(tx, ctx, {
      action: 'call.register_ticket',
      targetType: 'call',
      targetId: id,
      before: { ticketId: null },
      after: { ticketId: ticket.id },
    });
    return ticket;
  });
}

// --- Call-back tasks ---

export type CallbackView = z.infer<typeof callbackSchema>;

export async function listCallbacks(
  db: Db,
  actor: Actor,
  f: { status: string[]; mine?: boolean | undefined },
  limit: number,
  now: Date,
  after?: CursorKey,
): Promise<CallbackView[]> {
  const rows = await db
    .select()
    .from(callCallbacks)
    .where(
      and(
        inArray(callCallbacks.status, f.status),
        f.mine
          ? or(eq(callCallbacks.agentId, actor.userId), isNull(callCallbacks.agentId))
          : undefined,
        after
          ? sql`(${callCallbacks.dueAt}, ${callCallbacks.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(callCallbacks.dueAt), asc(callCallbacks.id))
    .limit(limit + 1);
  const callRows = rows.length
    ? await db
        .select()
        .from(calls)
        .where(
          inArray(
            calls.id,
            rows.map((r) => r.callId),
          ),
        )
    : [];
  const views = new Map((await presentCalls(db, callRows, actor.roles)).map((c) => [c.id, c]));
  const peopleIds = [
    ...new Set(rows.flatMap((r) => [r.agentId, r.attemptedBy]).filter((x): x is string => !!x)),
  ];
  const people = new Map(
    (peopleIds.length
      ? await db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(inArray(users.id, peopleIds))
      : []
    ).map((p) => [p.id, p]),
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status as CallbackStatus,
    dueAt: r.dueAt.toISOString(),
    overdue: r.status === 'open' && r.dueAt.getTime() < now.getTime(),
    outcome: r.outcome,
    note: r.note,
    attemptedAt: iso(r.attemptedAt),
    attemptedBy: (r.attemptedBy && people.get(r.attemptedBy)) || null,
    agent: (r.agentId && people.get(r.agentId)) || null,
    call: views.get(r.callId)!,
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * Records the outbound attempt that completes a call-back task (reached, no answer, voicemail)
 * and closes it; a task no longer open is 409.
 */
export async function completeCallback(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { outcome: 'reached' | 'no_answer' | 'voicemail'; note: string },
) {
  await db.transaction(async (tx) => {
    const [cb] = await tx
      .select()
      .from(callCallbacks)
      .where(eq(callCallbacks.id, id))
      .for('update');
    if (!cb) throw problems.notFound('Call-back task');
    if (cb.status !== 'open')
      throw problems.conflict('callback_not_open', `This call-back task is ${cb.status}.`);
    await tx
      .update(callCallbacks)
      .set({
        status: 'done',
        outcome: input.outcome,
        note: input.note,
        attemptedAt: ctx.at,
        attemptedBy: actor.userId,
        updatedAt: ctx.at,
      })
      .where(eq(callCallbacks.id, id));
    await recordAudit(tx, ctx, {
      action: 'call_callback.attempt',
      targetType: 'call_callback',
      targetId: id,
      before: { status: cb.status },
      after: { status: 'done', outcome: input.outcome },
    });
  });
  const [view] = (await listCallbacks(db, actor, { status: ['done'] }, 200, ctx.at)).filter(
    (c) => c.id === id,
  );
  return view!;
}

// --- Figures ---

interface StatsRow {
  offered: number | string;
  answered: number | string;
  answer_ms_sum: number | string | null;
  answer_ms_count: number | string;
}

/**
 * Connection rate (answered / offered; calls still ringing are not counted yet), overall, at
 * peak (any window) and per peak window, and the mean answer time, for calls rung in [from, to).
 */
export async function callStats(db: Db, f: { from: Date; to: Date; agentId?: string | undefined }) {
  const settings = await getCallSettings(db);
  const { timeZone } = await getSettingsCached(db);
  const base = sql`ring_at >= ${f.from.toISOString()}::timestamptz AND ring_at < ${f.to.toISOString()}::timestamptz
    AND state <> 'ringing' AND direction = 'inbound' ${f.agentId ? sql`AND agent_id = ${f.agentId}::uuid` : sql``}`;
  const measure = async (cond: SQL) => {
    const [row] = rowsOf<StatsRow>(
      await db.execute(sql`SELECT count(*) AS offered,
          count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
          sum(answer_ms) AS answer_ms_sum, count(answer_ms) AS answer_ms_count
        FROM calls WHERE ${base} AND ${cond}`),
    );
    const offered = Number(row?.offered ?? 0);
    const answered = Number(row?.answered ?? 0);
    const count = Number(row?.answer_ms_count ?? 0);
    return {
      offered,
      answered,
      missed: offered - answered,
      connectionRate: connectionRate(answered, offered),
      meanAnswerMs: count ? Math.round(Number(row?.answer_ms_sum ?? 0) / count) : null,
    };
  };
  const ringAt = sql`ring_at`;
  const overall = await measure(sql`true`);
  const peak = await measure(peakSql(ringAt, settings.peakWindows, timeZone));
  const windows = [];
  for (const w of settings.peakWindows)
    windows.push({ window: w, ...(await measure(peakSql(ringAt, [w], timeZone))) });
  const [open] = rowsOf<{ n: number | string }>(
    await db.execute(sql`SELECT count(*) AS n FROM call_callbacks WHERE status = 'open'`),
  );
  return {
    from: f.from.toISOString(),
    to: f.to.toISOString(),
    timeZone,
    overall,
    peak,
    windows,
    openCallbacks: Number(open?.n ?? 0),
  };
}
