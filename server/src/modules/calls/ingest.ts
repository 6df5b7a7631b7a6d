/**
 * Taking in one CTI event (the webhook has checked its signature): store it once per provider
 * event id, fold all the call's events into the call record (rules/call-state.ts), and act on the
 * change — a screen pop for the agent a call starts ringing at, a call-back task when the call
 * ends missed (cancelled again if a late event shows it was answered after all).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { callCallbacks, callEvents, calls, notifications, users } from '../../db/schema/index.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { matchCustomers } from '../customers/service.js';
import { publishNotifications } from '../notifications/bus.js';
import { resolveCalendar } from '../sla/calendar-store.js';
import { addBusinessTime } from '../sla/rules/calendar.js';
import { maskPhone, normalisePhone } from '../tickets/rules/masking.js';
import { foldCall, type CallEventKind, type CallRecord } from './rules/call-state.js';
import { getCallSettings } from './settings.js';
import { completeByOutboundCall } from './dial.js';
import { meetFirstResponseByCall } from './sla.js';

export interface CtiEvent {
  eventId: string;
  callId: string;
  type: CallEventKind;
  occurredAt: string;
  callerNumber: string;
  agent?: string | null | undefined;
  queue?: string | null | undefined;
  recordingUrl?: string | null | undefined;
}

export interface IngestResult {
  callId: string;
  state: CallRecord['state'];
  duplicate: boolean;
  ignored: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Kefu user a provider's agent names: by user id or by e-mail (active users only). */
async function resolveAgent(ex: Executor, agent: string | null | undefined) {
  if (!agent) return null;
  const match = UUID.test(agent)
    ? eq(users.id, agent.toLowerCase())
    : eq(users.email, agent.toLowerCase());
  const [u] = await ex
    .select({ id: users.id })
    .from(users)
    .where(and(match, eq(users.active, true)));
  return u?.id ?? null;
}

/** Callback due: `minutes` of business time (default calendar) after the call ended. */
async function callbackDue(ex: Executor, from: Date, minutes: number): Promise<Date> {
  try {
    const { cal } = await resolveCalendar(ex, {});
    return new Date(addBusinessTime(from.getTime(), minutes * 60_000, cal));
  } catch {
    // No default calendar (or an empty one): round the clock.
    return new Date(from.getTime() + minutes * 60_000);
  }
}

export async function ingestEvent(
  db: Db,
  ctx: AuditContext,
  provider: string,
  e: CtiEvent,
): Promise<IngestResult> {
  return db.transaction(async (tx) => {
    const at = new Date(e.occurredAt);
    const caller = normalisePhone(e.callerNumber).slice(0, 40) || 'unknown';
    // The call row, created by whichever of its events arrives first, locked and read in one
    // statement: ON CONFLICT DO UPDATE takes the row lock (a no-op update), so two events of one
    // call still fold one after the other.
    const [before] = await tx
      .insert(calls)
      .values({
        provider,
        externalId: e.callId,
        state: 'ringing',
        callerNumber: caller,
        ringAt: at,
        transfers: 0,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .onConflictDoUpdate({
        target: [calls.provider, calls.externalId],
        set: { updatedAt: sql`${calls.updatedAt}` },
      })
      .returning();
    const agentId = await resolveAgent(tx, e.agent);
    const inserted = await tx
      .insert(callEvents)
      .values({
        callId: before!.id,
        provider,
        eventId: e.eventId,
        kind: e.type,
        at,
        agent: e.agent ?? null,
        agentId,
        queue: e.queue ?? null,
        recordingUrl: e.recordingUrl ?? null,
        receivedAt: ctx.at,
      })
      .onConflictDoNothing({ target: [callEvents.provider, callEvents.eventId] })
      .returning({ id: callEvents.id });
    if (inserted.length === 0) {
      return {
        callId: before!.id,
        state: before!.state as CallRecord['state'],
        duplicate: true,
        ignored: false,
      };
    }
    const events = await tx
      .select()
      .from(callEvents)
      .where(eq(callEvents.callId, before!.id))
      .orderBy(asc(callEvents.at));
    const record = foldCall(
      events.map((x) => ({
        eventId: x.eventId,
        kind: x.kind as CallEventKind,
        at: x.at.getTime(),
        agent: x.agentId,
        queue: x.queue,
        recordingUrl: x.recordingUrl,
      })),
    )!;
    const outbound = before!.direction === 'outbound';
    // An outbound call is the dialling agent's unless the provider names another.
    if (outbound && record.agent === null) record.agent = before!.agentId;
    const teamId =
      record.agent === before!.agentId
        ? before!.teamId
        : (rowsOf<{ team_id: string }>(
            await tx.execute(
              sql`SELECT team_id FROM team_members WHERE user_id = ${record.agent}::uuid ORDER BY team_id LIMIT 1`,
            ),
          )[0]?.team_id ?? null);
    let customerId = before!.customerId;
    if (!customerId && caller !== 'unknown') {
      const found = await matchCustomers(tx, { phone: caller });
      customerId = found.length === 1 ? found[0]!.id : null;
    }
    const [after] = await tx
      .update(calls)
      .set({
        state: record.state,
        agentId: record.agent,
        teamId,
        queue: record.queue,
        customerId,
        ringAt: new Date(record.ringAt),
        answeredAt: record.answeredAt === null ? null : new Date(record.answeredAt),
        endedAt: record.endedAt === null ? null : new Date(record.endedAt),
        answerMs: record.answerMs,
        transfers: record.transfers,
        recordingUrl: record.recordingUrl,
        updatedAt: ctx.at,
      })
      .where(eq(calls.id, before!.id))
      .returning();
    const ignored = record.ignored.includes(e.eventId);
    // Answered (now, or by a late event) on a call that is already a ticket: first response.
    if (after!.ticketId && after!.answeredAt && !before!.answeredAt)
      await meetFirstResponseByCall(tx, after!.ticketId, after!.answeredAt);
    // Screen pop: the call (newly) rings at an agent.
    const ringsNow =
      !outbound &&
      record.state === 'ringing' &&
      record.agent !== null &&
      (before!.state !== 'ringing' || before!.agentId !== record.agent || events.length === 1);
    if (ringsNow) {
      const [agent] = await tx
        .select({ locale: users.locale })
        .from(users)
        .where(eq(users.id, record.agent!));
      await tx.insert(notifications).values({
        userId: record.agent!,
        kind: 'call.ringing',
        ticketId: null,
        title:
          agent?.locale === 'en-US'
            ? `Incoming call ${maskPhone(caller)}`
            : `来电 ${maskPhone(caller)}`,
        createdAt: ctx.at,
      });
      await publishNotifications(tx, [record.agent!]);
    }
    // Missed calls become call-back tasks; a late event that turns one into a connected call
    // cancels its open task.
    if (outbound) {
      // Click-to-call: an answered call-back call completes its task (reached).
      if (after!.callbackId && after!.answeredAt && !before!.answeredAt)
        await completeByOutboundCall(tx, ctx, after!);
    } else if (record.state === 'missed') {
      const settings = await getCallSettings(tx);
      const endedAt = new Date(record.endedAt ?? record.ringAt);
      await tx
        .insert(callCallbacks)
        .values({
          callId: before!.id,
          agentId: record.agent,
          status: 'open',
          dueAt: await callbackDue(tx, endedAt, settings.callbackDueMinutes),
          note: '',
          createdAt: ctx.at,
          updatedAt: ctx.at,
        })
        .onConflictDoNothing({ target: callCallbacks.callId });
    } else {
      await tx
        .update(callCallbacks)
        .set({ status: 'cancelled', updatedAt: ctx.at })
        .where(and(eq(callCallbacks.callId, before!.id), eq(callCallbacks.status, 'open')));
    }
    await recordAudit(tx, ctx, {
      action: 'call.event',
      targetType: 'call',
      targetId: before!.id,
      before: { state: before!.state, agentId: before!.agentId },
      after: {
        state: after!.state,
        agentId: after!.agentId,
        event: e.type,
        eventId: e.eventId,
        ignored,
      },
    });
    return { callId: before!.id, state: record.state, duplicate: false, ignored };
  });
}
