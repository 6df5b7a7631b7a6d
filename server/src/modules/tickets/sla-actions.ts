/**
 * What the tickets module does when the SLA engine fires (docs/sla.md, "Escalation actions"):
 *
 * - `applySlaEscalations` is the sweeper's `onFired` hook. Inside the sweep's transaction, for
 *   each warning or breach: an `sla` timeline entry ("SLA breached: first response"), and for
 *   a breach whatever the policy's chain asks — priority one step up, tier one step up, the
 *   ticket handed to a team — saved, audited (actor: system).
 * - `acknowledgeOffHours` sends the automatic acknowledgement of a request received outside the
 *   team's working hours, at registration (sla-link.ts calls it).
 *
 * Exactly once: each event claims its row in `sla_event_actions` (key clock, kind, occurrence)
 * before acting, so a hook run twice for one event does nothing the second time. The hook
 * never waits for a ticket: it locks the tickets with SKIP LOCKED (a sweeper holding clock rows
 * must not wait on a command that holds the ticket and waits on those clocks). An event whose
 * ticket is busy keeps its row pending, and `applyPendingSlaEscalations` (run after each sweep)
 * applies it in a transaction of its own, where waiting for the ticket is safe.
 *
 * The automatic changes do not re-plan the ticket's clocks: the policy the clocks run under
 * stays (a tighter policy matched by the raised priority would be overdue at once and fire
 * again, climbing the ladder by itself). A person's later change of the ticket re-matches.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Db, type Executor, type Tx } from '../../db/client.js';
import { slaEventActions, teams, ticketEvents, tickets, users } from '../../db/schema/index.js';
import { recordAudit } from '../audit/service.js';
import type { ClockView } from '../sla/clocks.js';
import { meetClock, meetPlannedClock, type PlannedClocks } from '../sla/clocks.js';
import {
  escalationChanges,
  TARGET_LABELS,
  type Escalation,
  type EscalationChanges,
} from '../sla/rules/escalation.js';
import type { TargetKind } from '../sla/rules/policy.js';
import { getSlaSettings, getSlaSettingsCached, offHoursAckText } from '../sla/settings.js';
import type { FiredEvent } from '../sla/sweep.js';
import { saveTicket, SYSTEM, systemContext, type TicketRow } from './access.js';
import { notifySupervisorsOfL3 } from './notifications.js';
import { isGreenChannel } from './rules/tiers.js';
import { FINISHED_STATUSES, type Tier, type TicketStatus } from './rules/vocabulary.js';
import { appendEvent } from './timeline.js';
import { mailBreachNotifications } from './sla-mail.js';

type ActionRow = typeof slaEventActions.$inferSelect;

interface Fired {
  clockId: string;
  kind: 'warning' | 'breach';
  occurrence: number;
  ticketId: string;
  targetKind: string;
  dueAt: Date;
  policyKey: string;
  policyVersion: number;
  escalation: Escalation;
  notified: number;
}

const fromRow = (r: ActionRow): Fired => ({
  ...r,
  escalation: r.escalation as unknown as Escalation,
});

/** The sweeper's `onFired` hook (main.ts): see the file comment. */
export async function applySlaEscalations(tx: Tx, events: FiredEvent[], at: Date): Promise<void> {
  if (events.length === 0) return;
  const claimed = await tx
    .insert(slaEventActions)
    .values(
      events.map((e) => ({
        clockId: e.clockId,
        kind: e.kind,
        occurrence: e.occurrence,
        ticketId: e.ticketId,
        targetKind: e.targetKind,
        policyVersion: e.policyVersion,
        policyKey: e.policyKey,
        dueAt: e.dueAt,
        escalation: e.escalation as unknown as Record<string, unknown>,
        notified: e.notified.length,
        firedAt: at,
      })),
    )
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return;
  const fresh = new Set(claimed.map((c) => `${c.clockId}:${c.kind}:${c.occurrence}`));
  const mine = events.filter((e) => fresh.has(`${e.clockId}:${e.kind}:${e.occurrence}`));
  await mailBreachNotifications(tx, mine, at);

  // Tickets nobody holds now; the rest wait for applyPendingSlaEscalations.
  const ids = [...new Set(mine.map((e) => e.ticketId))];
  const locked = await tx
    .select()
    .from(tickets)
    .where(inArray(tickets.id, ids))
    .orderBy(asc(tickets.id))
    .for('update', { skipLocked: true });
  const byId = new Map(locked.map((t) => [t.id, t]));
  for (const e of mine) {
    const row = byId.get(e.ticketId);
    if (!row) continue;
    byId.set(row.id, await applyOne(tx, row, { ...e, notified: e.notified.length }, at));
  }
}

/**
 * Applies escalations left pending because their ticket was busy when they fired, one per
 * transaction, waiting for the ticket if need be. Answers how many were applied.
 */
export async function applyPendingSlaEscalations(db: Db, at: Date, limit = 100): Promise<number> {
  const pending = await db
    .select({
      clockId: slaEventActions.clockId,
      kind: slaEventActions.kind,
      occurrence: slaEventActions.occurrence,
    })
    .from(slaEventActions)
    .where(isNull(slaEventActions.appliedAt))
    .orderBy(asc(slaEventActions.firedAt))
    .limit(limit);
  let applied = 0;
  for (const key of pending) {
    applied += await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(slaEventActions)
        .where(
          and(
            eq(slaEventActions.clockId, key.clockId),
            eq(slaEventActions.kind, key.kind),
            eq(slaEventActions.occurrence, key.occurrence),
            isNull(slaEventActions.appliedAt),
          ),
        )
        .for('update', { skipLocked: true });
      if (!row) return 0; // applied meanwhile, or another process has it
      const [ticket] = await tx
        .select()
        .from(tickets)
        .where(eq(tickets.id, row.ticketId))
        .for('no key update'); // as lockTicket: foreign-key checks stay unblocked
      if (!ticket) return 0;
      await applyOne(tx, ticket, fromRow(row), at);
      return 1;
    });
  }
  return applied;
}

async function teamRef(ex: Executor, id: string | null) {
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

/** One event on one locked ticket: the changes, the timeline entries, the audit row. */
async function applyOne(tx: Tx, row: TicketRow, e: Fired, at: Date): Promise<TicketRow> {
  const ctx = systemContext(at);
  const finished = FINISHED_STATUSES.includes(row.status as TicketStatus);
  const changes: EscalationChanges = finished ? {} : escalationChanges(e.kind, e.escalation, row);
  const toTeam = changes.teamId ? await teamRef(tx, changes.teamId.to) : null;
  if (changes.teamId && !toTeam) delete changes.teamId; // the team was removed since

  let saved = row;
  const next: Partial<TicketRow> = {};
  if (changes.priority) next.priority = changes.priority.to;
  if (changes.tier) {
    next.tier = changes.tier.to;
    next.greenChannel = isGreenChannel(changes.tier.to as Tier);
  }
  if (changes.teamId) {
    next.teamId = changes.teamId.to;
    next.handlerId = null;
  }
  if (Object.keys(next).length) saved = await saveTicket(tx, row, next, at);

  const label = TARGET_LABELS[e.targetKind as TargetKind];
  const data: Record<string, unknown> = {
    event: e.kind,
    target: e.targetKind,
    targetLabel: label ?? null,
    occurrence: e.occurrence,
    dueAt: e.dueAt.toISOString(),
    notified: e.notified,
  };
  data.policy = { key: e.policyKey, version: e.policyVersion };
  if (changes.priority) data.priority = changes.priority;
  if (changes.tier) data.tier = { ...changes.tier, greenChannel: saved.greenChannel };
  if (changes.teamId) data.team = { from: await teamRef(tx, row.teamId), to: toTeam };
  if (!(finished && row.status === 'archived')) {
    // An archived ticket is read-only, its timeline too.
    await appendEvent(tx, row.id, ctx, SYSTEM, { kind: 'sla', visibility: 'internal', data });
  }
  if (changes.teamId) {
    // Handed to the team like any assignment (which meets an open `assignment` target).
    const assignment: Record<string, unknown> = {
      team: { from: await teamRef(tx, row.teamId), to: toTeam },
      reason: 'sla',
    };
    if (row.handlerId) assignment.handler = { from: await userRef(tx, row.handlerId), to: null };
    await appendEvent(tx, row.id, ctx, SYSTEM, { kind: 'assignment', data: assignment });
  }
  if (changes.tier?.to === 'L3') await notifySupervisorsOfL3(tx, saved, ctx);
  if (Object.keys(next).length) {
    await recordAudit(tx, ctx, {
      action: 'ticket.sla_escalate',
      targetType: 'ticket',
      targetId: row.id,
      before: {
        priority: row.priority,
        tier: row.tier,
        teamId: row.teamId,
        handlerId: row.handlerId,
      },
      after: {
        priority: saved.priority,
        tier: saved.tier,
        teamId: saved.teamId,
        handlerId: saved.handlerId,
        reason: `sla ${e.kind}: ${e.targetKind}`,
      },
    });
  }
  await tx
    .update(slaEventActions)
    .set({ appliedAt: at, actions: { ...changes, ...(finished ? { skipped: row.status } : {}) } })
    .where(
      and(
        eq(slaEventActions.clockId, e.clockId),
        eq(slaEventActions.kind, e.kind),
        eq(slaEventActions.occurrence, e.occurrence),
      ),
    );
  return saved;
}

/** The customer's language: their portal account's (the latest used), else Chinese. */
/** The customer's language: that of their most recently used portal account (null: none). */
export const customerLocaleSql = (customerId: string) =>
  sql<string | null>`(SELECT a.locale FROM portal_accounts a WHERE a.customer_id = ${customerId}
    ORDER BY a.last_sign_in_at DESC NULLS LAST, a.created_at DESC LIMIT 1)`;

async function customerLocale(ex: Executor, customerId: string): Promise<string> {
  const [row] = rowsOf<{ locale: string | null }>(
    await ex.execute(sql`SELECT ${customerLocaleSql(customerId)} AS locale`),
  );
  return row?.locale ?? 'zh-CN';
}

/**
 * SPEC 3: a request on an instant channel received outside working hours is acknowledged
 * automatically ("received; we will handle it first thing in working hours") within 1 hour. It
 * is sent at registration — the moment the `off_hours_ack` clock starts, which happens exactly
 * when the request came outside the working hours of the team's calendar — as a public system
 * reply in the customer's language, and meets that clock. Answers whether it was sent.
 */
/** The acknowledgement of a ticket being registered, planned with its clocks (`planOffHoursAck`). */
export interface PlannedAck {
  /** The public reply, for the caller's timeline insert (after the `created` entry). */
  event: typeof ticketEvents.$inferInsert;
  /** Audited as `acknowledgeOffHours` does (actor: system). */
  audit: { action: string; targetType: string; targetId: string; after: Record<string, unknown> };
  /** A repeating acknowledgement target: `meetClock` once the clocks are written. */
  meetAfterInsert: boolean;
}

/**
 * `acknowledgeOffHours` for a ticket whose clocks are planned but not written yet (creation):
 * same conditions and text; the acknowledgement clock is planned as met instead of being
 * written running, met and its timers deleted. The caller read the customer's locale with the
 * customer (`customerLocaleSql`).
 */
export async function planOffHoursAck(
  tx: Executor,
  plan: PlannedClocks,
  t: { id: string; channel: string; number: string; customerLocale: string | null },
  now: Date,
): Promise<PlannedAck | null> {
  if (!plan.rows.some((c) => c.kind === 'off_hours_ack' && c.state === 'running')) return null;
  const settings = await getSlaSettingsCached(tx);
  if (!settings.offHoursAck.enabled) return null;
  if (!(settings.offHoursAck.channels as string[]).includes(t.channel)) return null;
  const locale = t.customerLocale ?? 'zh-CN';
  const met = meetPlannedClock(plan, 'off_hours_ack', now);
  return {
    event: {
      ticketId: t.id,
      kind: 'reply',
      at: now,
      actorId: null,
      actorName: null,
      visibility: 'public',
      body: offHoursAckText(settings, locale, t.number),
      data: { by: 'system', auto: 'off_hours_ack', locale: locale === 'en-US' ? 'en-US' : 'zh-CN' },
    },
    audit: {
      action: 'ticket.off_hours_ack',
      targetType: 'ticket',
      targetId: t.id,
      after: { channel: t.channel, locale },
    },
    meetAfterInsert: !met,
  };
}

export async function acknowledgeOffHours(
  tx: Executor,
  ticketId: string,
  started: readonly ClockView[],
  now: Date,
): Promise<boolean> {
  if (!started.some((c) => c.kind === 'off_hours_ack' && c.state === 'running')) return false;
  const settings = await getSlaSettings(tx);
  if (!settings.offHoursAck.enabled) return false;
  const [t] = await tx
    .select({ channel: tickets.channel, number: tickets.number, customerId: tickets.customerId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!t || !(settings.offHoursAck.channels as string[]).includes(t.channel)) return false;
  const locale = await customerLocale(tx, t.customerId);
  // Straight into the timeline: a public reply through appendEvent would also meet the targets
  // a person's answer meets (first response, follow-up contact, progress), which it must not.
  await tx.insert(ticketEvents).values({
    ticketId,
    kind: 'reply',
    at: now,
    actorId: null,
    actorName: null,
    visibility: 'public',
    body: offHoursAckText(settings, locale, t.number),
    data: { by: 'system', auto: 'off_hours_ack', locale: locale === 'en-US' ? 'en-US' : 'zh-CN' },
  });
  await meetClock(tx, ticketId, 'off_hours_ack', now);
  await recordAudit(tx, systemContext(now), {
    action: 'ticket.off_hours_ack',
    targetType: 'ticket',
    targetId: ticketId,
    after: { channel: t.channel, locale },
  });
  return true;
}

/** The hooks to hand to `startSlaSweeper` (main.ts). */
export function slaEscalationHooks(db: Db) {
  return {
    onFired: (tx: Tx, events: FiredEvent[], now: Date) => applySlaEscalations(tx, events, now),
    afterSweep: (now: Date) => applyPendingSlaEscalations(db, now),
  };
}
