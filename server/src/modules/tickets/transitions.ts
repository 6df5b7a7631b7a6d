import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { HttpProblem } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { mailConfirmation } from '../mail/ticket-mail.js';
import { surveyOnTransition } from '../surveys/delivery.js';
import { lockTicket, saveTicket, staff, type Doer, type TicketRow } from './access.js';
import { issueConfirmation, revokeConfirmations } from './confirmations.js';
import { contextFor, loadFacts } from './facts.js';
import { presentTicket } from './present.js';
import { decideClose } from './rules/closing.js';
import { maskEmail } from './rules/masking.js';
import { allowedTransitions, judgeTransition } from './rules/transitions.js';
import type { CloseKind, TicketStatus } from './rules/vocabulary.js';
import { getSettings, type TicketSettings } from './settings.js';
import { appendEvent } from './timeline.js';

export interface TransitionRequest {
  to: TicketStatus;
  reason?: string | null;
  /** The reason is internal unless this is true (then the customer sees it too). */
  reasonVisibleToCustomer?: boolean;
  followUp?: { plan: string; dueAt: string } | null;
  customerConfirmed?: boolean;
}

export interface TransitionOutcome {
  row: TicketRow;
  /** A new confirmation link, when the ticket was resolved (the secret is only here). */
  confirmation?: { token: string; expiresAt: Date; sentTo: string | null; mailed?: boolean };
}

/**
 * Moves a locked ticket through the state machine: rules first (409 illegal with the allowed
 * list, 403 role, 422 registration / closing rules), then the change, its timeline entry and
 * its audit row — all in the caller's transaction.
 */
export async function applyTransition(
  tx: Executor,
  ctx: AuditContext,
  doer: Doer,
  row: TicketRow,
  req: TransitionRequest,
  settings: TicketSettings,
): Promise<TransitionOutcome> {
  const now = ctx.at;
  const facts = await loadFacts(tx, row);
  const context = contextFor(row, facts.gaps, facts.visit, doer, now, settings);
  const verdict = judgeTransition(context, req.to);
  if (!verdict.ok) {
    throw new HttpProblem({
      status: verdict.status,
      code: verdict.code,
      detail: verdict.detail,
      errors: verdict.errors,
      extra: { allowed: allowedTransitions(context) },
    });
  }

  const changes: Partial<TicketRow> = { status: req.to };
  let closeKind: CloseKind | null = null;
  let outcome: TransitionOutcome['confirmation'];
  switch (req.to) {
    case 'accepted':
      changes.acceptedAt = now;
      break;
    case 'resolved': {
      changes.resolvedAt = now;
      changes.confirmedAt = null;
      const email = facts.customer?.email ?? null;
      const link = await issueConfirmation(tx, row, now, settings.confirmationLinkDays, email);
      // The customer gets the link by mail in this same transaction (docs/mail.md).
      if (email) await mailConfirmation(tx, now, row, email, link, settings.timeZone);
      outcome = { ...link, sentTo: email && maskEmail(email), mailed: Boolean(email) };
      break;
    }
    case 'closed': {
      if (doer.kind === 'system') closeKind = 'auto_no_reply';
      else {
        const followUp = req.followUp
          ? { plan: req.followUp.plan, dueAt: new Date(req.followUp.dueAt) }
          : null;
        const decision = decideClose(
          {
            status: row.status as TicketStatus,
            category: row.category,
            confirmed: context.confirmed,
            hasReturnVisit: context.hasReturnVisit,
          },
          { reason: req.reason, followUp, customerConfirmed: req.customerConfirmed },
          now,
        );
        if (!decision.ok) {
          throw new HttpProblem({
            status: 422,
            code: decision.code,
            detail:
              decision.code === 'return_visit_required'
                ? 'A complaint needs a recorded return visit before it can close.'
                : 'Closing without the customer’s confirmation needs a reason, a follow-up plan and a follow-up date.',
            errors: decision.errors,
          });
        }
        closeKind = decision.kind;
        if (decision.kind === 'unresolved' && followUp) {
          Object.assign(changes, {
            followUpReason: req.reason ?? '',
            followUpPlan: followUp.plan,
            followUpDueAt: followUp.dueAt,
            followUpDoneAt: null,
          });
        }
        if (decision.kind === 'confirmed' && !row.confirmedAt) changes.confirmedAt = now;
      }
      changes.closedAt = now;
      changes.closeKind = closeKind;
      await revokeConfirmations(tx, row.id, now);
      break;
    }
    case 'reopened':
      Object.assign(changes, {
        resolvedAt: null,
        confirmedAt: null,
        closedAt: null,
        closeKind: null,
      });
      await revokeConfirmations(tx, row.id, now);
      break;
    case 'archived':
      changes.archivedAt = now;
      break;
  }

  const saved = await saveTicket(tx, row, changes, now);
  // Satisfaction survey on resolve / close (modules/surveys, docs/surveys.md).
  await surveyOnTransition(tx, now, saved, req.to);
  await appendEvent(tx, row.id, ctx, doer, {
    kind: 'status',
    body: req.reason?.trim() || null,
    data: {
      from: row.status,
      to: req.to,
      ...(closeKind && { closeKind }),
      ...(closeKind === 'unresolved' && {
        followUp: { plan: saved.followUpPlan, dueAt: saved.followUpDueAt?.toISOString() },
      }),
      ...(req.customerConfirmed && { customerConfirmed: true }),
      ...(req.reason?.trim() && req.reasonVisibleToCustomer && { reasonPublic: true }),
    },
  });
  if (outcome) {
    await appendEvent(tx, row.id, ctx, doer, {
      kind: 'confirmation',
      data: {
        requested: true,
        expiresAt: outcome.expiresAt.toISOString(),
        sentTo: outcome.sentTo,
        ...(outcome.mailed && { notifiedBy: 'email' }),
      },
    });
  }
  await recordAudit(tx, ctx, {
    action: 'ticket.transition',
    targetType: 'ticket',
    targetId: row.id,
    before: { status: row.status, closeKind: row.closeKind },
    after: {
      status: saved.status,
      closeKind: saved.closeKind,
      ...(req.reason && { reason: req.reason }),
      ...(closeKind === 'unresolved' && { followUpPlan: saved.followUpPlan }),
    },
  });
  return { row: saved, confirmation: outcome };
}

/** POST /tickets/:id/transitions */
export async function transitionTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  req: TransitionRequest,
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    const settings = await getSettings(tx);
    const row = await lockTicket(tx, id, staff(actor), expectedVersion);
    const { row: saved, confirmation } = await applyTransition(
      tx,
      ctx,
      staff(actor),
      row,
      req,
      settings,
    );
    return { ticket: await presentTicket(tx, saved, actor, ctx.at), confirmation };
  });
}

/** A fresh confirmation link for a resolved ticket (the old one stops working). */
export async function reissueConfirmationLink(db: Db, ctx: AuditContext, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const settings = await getSettings(tx);
    const row = await lockTicket(tx, id, staff(actor));
    if (row.status !== 'resolved')
      throw new HttpProblem({
        status: 409,
        code: 'not_awaiting_confirmation',
        detail: 'Only a resolved ticket waits for the customer’s confirmation.',
      });
    const { customer } = await loadFacts(tx, row);
    const email = customer?.email ?? null;
    const link = await issueConfirmation(tx, row, ctx.at, settings.confirmationLinkDays, email);
    const sentTo = email && maskEmail(email);
    if (email) await mailConfirmation(tx, ctx.at, row, email, link, settings.timeZone);
    await appendEvent(tx, id, ctx, staff(actor), {
      kind: 'confirmation',
      data: {
        requested: true,
        reissued: true,
        expiresAt: link.expiresAt.toISOString(),
        sentTo,
        ...(email && { notifiedBy: 'email' }),
      },
    });
    await recordAudit(tx, ctx, {
      action: 'ticket.confirmation_link',
      targetType: 'ticket',
      targetId: id,
      after: { expiresAt: link.expiresAt.toISOString() },
    });
    return { ...link, sentTo };
  });
}
