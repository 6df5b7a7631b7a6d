/**
 * Outbound dialling (click-to-call). An agent clicks a customer's number on a ticket, a customer
 * or a call-back task; Kefu resolves the number on the server (agents only ever see it masked),
 * records an outbound call and asks the CTI provider to dial it through a `DialProvider`:
 *
 * - `http`: a signed POST to the provider's configured URL (the webhook's signature scheme in the
 *   other direction: `x-kefu-timestamp`, `x-kefu-signature` = HMAC-SHA256 of `${ts}.${body}` with
 *   the provider's secret), body `{callId, number, agent, ticketNumber}`;
 * - `simulator`: for demos and tests, posts the call's events (ringing, answered, ended — or
 *   missed for a number ending in 0) to Kefu's own signed webhook.
 *
 * The provider reports the call's progress through the existing webhook with the `callId` Kefu
 * gave it; an answered call-back call completes its call-back task (outcome reached).
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import {
  callCallbacks,
  calls,
  customers,
  tickets,
  users,
  type CtiProvider,
} from '../../db/schema/index.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { findVisibleTicket } from '../tickets/access.js';
import { normalisePhone } from '../tickets/rules/masking.js';
import { signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './rules/signature.js';
import { getCallSettings } from './settings.js';
import { CtiSimulator, type Sender } from './simulator.js';

export interface DialRequest {
  callId: string;
  number: string;
  agent: string;
  ticketNumber: string | null;
}

export interface DialProvider {
  dial(req: DialRequest): Promise<void>;
}

export interface DialTarget {
  callbackId?: string | undefined;
  ticketId?: string | undefined;
  customerId?: string | undefined;
  provider?: string | undefined;
}

/** The signed HTTP provider: a 2xx answer within `timeoutMs` means the provider is dialling. */
export function httpDialProvider(
  url: string,
  secret: string,
  now: () => Date,
  timeoutMs = 5000,
): DialProvider {
  return {
    async dial(req) {
      const body = JSON.stringify(req);
      const ts = String(Math.floor(now().getTime() / 1000));
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: ts,
          [SIGNATURE_HEADER]: signBody(secret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`provider answered ${res.status}`);
    },
  };
}

/**
 * The simulator provider: the callee answers after 4 s and talks for a minute, unless the number
 * ends in 0 (no answer). Events go through the real signed webhook (`send`).
 */
export function simulatorDialProvider(
  send: Sender,
  provider: string,
  secret: string,
  now: () => Date,
): DialProvider {
  const sim = new CtiSimulator({ send, provider, secret, now });
  return {
    async dial(req) {
      const start = now();
      const base = { callId: req.callId, callerNumber: req.number, agent: req.agent };
      const post = async (e: Parameters<CtiSimulator['post']>[0]) => {
        const r = await sim.post(e);
        if (r.status !== 200) throw new Error(`webhook refused: ${r.status}`);
      };
      await post({ ...base, type: 'ringing', occurredAt: start });
      const t1 = new Date(start.getTime() + 4000);
      if (req.number.endsWith('0')) {
        await post({ ...base, type: 'missed', occurredAt: t1 });
        return;
      }
      await post({ ...base, type: 'answered', occurredAt: t1 });
      await post({ ...base, type: 'ended', occurredAt: new Date(t1.getTime() + 60_000) });
    },
  };
}

export function providerFor(p: CtiProvider, send: Sender, now: () => Date): DialProvider | null {
  if (!p.dial) return null;
  if (p.dial.kind === 'http') return httpDialProvider(p.dial.url, p.secret, now);
  return simulatorDialProvider(send, p.key, p.secret, now);
}

const noPhone = (path: string) =>
  problems.invalid([{ path, message: 'the customer has no phone number to dial' }]);

/** What to dial: the number, customer, ticket and call-back behind the click. */
async function resolveTarget(db: Db, actor: Actor, t: DialTarget) {
  const given = [t.callbackId, t.ticketId, t.customerId].filter(Boolean).length;
  if (given !== 1)
    throw problems.invalid([
      { path: 'callbackId', message: 'name exactly one of callbackId, ticketId, customerId' },
    ]);
  if (t.callbackId) {
    const [cb] = await db.select().from(callCallbacks).where(eq(callCallbacks.id, t.callbackId));
    if (!cb) throw problems.notFound('Call-back task', 'callbackId');
    if (cb.status !== 'open')
      throw problems.conflict('callback_not_open', `This call-back task is ${cb.status}.`);
    const [call] = await db.select().from(calls).where(eq(calls.id, cb.callId));
    if (!call || !/^\+?\d{3,20}$/.test(call.callerNumber)) throw noPhone('callbackId');
    return {
      number: call.callerNumber,
      customerId: call.customerId,
      ticketId: call.ticketId,
      callbackId: cb.id,
    };
  }
  if (t.ticketId) {
    const ticket = await findVisibleTicket(db, t.ticketId, actor);
    const [c] = ticket.customerId
      ? await db.select().from(customers).where(eq(customers.id, ticket.customerId))
      : [];
    if (!c?.phone) throw noPhone('ticketId');
    return { number: c.phone, customerId: c.id, ticketId: ticket.id, callbackId: null };
  }
  const [c] = await db.select().from(customers).where(eq(customers.id, t.customerId!));
  if (!c) throw problems.notFound('Customer', 'customerId');
  if (!c.phone) throw noPhone('customerId');
  return { number: c.phone, customerId: c.id, ticketId: null, callbackId: null };
}

/**
 * Click-to-call: records the outbound call (ringing at the agent), audits it, then asks the
 * provider to dial. A provider that fails or cannot be reached: 502 `dial_failed`, and the
 * call is recorded as not connected. No provider set up for dialling: 409 `dial_unavailable`.
 */
export async function dial(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  target: DialTarget,
  send: Sender,
  now: () => Date,
) {
  const settings = await getCallSettings(db);
  const p = target.provider
    ? settings.providers.find((x) => x.key === target.provider)
    : settings.providers.find((x) => x.dial);
  if (target.provider && !p) throw problems.notFound('Provider', 'provider');
  const provider = p ? providerFor(p, send, now) : null;
  if (!p || !provider)
    throw problems.conflict('dial_unavailable', 'No phone provider is set up for dialling.');
  const what = await resolveTarget(db, actor, target);
  const number = normalisePhone(what.number).slice(0, 40);
  const externalId = `kefu-out-${randomUUID()}`;
  const [me] = await db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, actor.userId));
  const row = await db.transaction(async (tx) => {
    const [call] = await tx
      .insert(calls)
      .values({
        provider: p.key,
        externalId,
        direction: 'outbound',
        state: 'ringing',
        callerNumber: number,
        agentId: actor.userId,
        dialledBy: actor.userId,
        customerId: what.customerId,
        ticketId: what.ticketId,
        callbackId: what.callbackId,
        ringAt: ctx.at,
        transfers: 0,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'call.dial',
      targetType: 'call',
      targetId: call!.id,
      after: {
        provider: p.key,
        customerId: what.customerId,
        ticketId: what.ticketId,
        callbackId: what.callbackId,
      },
    });
    return call!;
  });
  const [ticket] = what.ticketId
    ? await db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, what.ticketId))
    : [];
  try {
    await provider.dial({
      callId: externalId,
      number,
      agent: me?.email ?? actor.userId,
      ticketNumber: ticket?.number ?? null,
    });
  } catch {
    await db
      .update(calls)
      .set({ state: 'missed', endedAt: now(), updatedAt: now() })
      .where(and(eq(calls.id, row.id), eq(calls.state, 'ringing')));
    throw new HttpProblem({
      status: 502,
      code: 'dial_failed',
      detail: 'The phone provider could not place the call.',
    });
  }
  return row.id;
}

/** An answered outbound call placed for a call-back task completes it (reached). */
export async function completeByOutboundCall(
  tx: Executor,
  ctx: AuditContext,
  call: typeof calls.$inferSelect,
) {
  const done = await tx
    .update(callCallbacks)
    .set({
      status: 'done',
      outcome: 'reached',
      note: '',
      attemptedAt: call.answeredAt,
      attemptedBy: call.dialledBy,
      updatedAt: ctx.at,
    })
    .where(and(eq(callCallbacks.id, call.callbackId!), eq(callCallbacks.status, 'open')))
    .returning({ id: callCallbacks.id });
  if (done.length)
    await recordAudit(tx, ctx, {
      action: 'call_callback.attempt',
      targetType: 'call_callback',
      targetId: call.callbackId!,
      before: { status: 'open' },
      after: { status: 'done', outcome: 'reached', callId: call.id },
    });
}
