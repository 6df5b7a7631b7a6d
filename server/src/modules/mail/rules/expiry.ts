import type { TicketStatus } from '../../tickets/rules/vocabulary.js';
import type { TemplateKey, TemplateParams } from './templates.js';

const HOUR = 3_600_000;

/**
 * When a queued mail of each kind stops making sense (null: never). Mail waits in the outbox
 * while SMTP is not configured or down; once it can leave, a sign-in code long expired or a
 * confirmation link past its validity must not reach the customer.
 */
export function mailExpiresAt<K extends TemplateKey>(
  template: K,
  params: TemplateParams[K],
  queuedAt: Date,
): Date | null {
  switch (template) {
    case 'ticket.confirmation':
      return (params as TemplateParams['ticket.confirmation']).expiresAt;
    case 'portal.sign_in_code':
      return new Date(
        queuedAt.getTime() + (params as TemplateParams['portal.sign_in_code']).minutes * 60_000,
      );
    case 'portal.request_received':
      return new Date(queuedAt.getTime() + 7 * 24 * HOUR);
    case 'sla.breach':
    case 'ticket.off_hours_ack':
      return new Date(queuedAt.getTime() + 24 * HOUR);
    case 'survey.invitation':
    case 'survey.reminder':
      // A survey link past its validity only leads to an "expired" page.
      return (params as TemplateParams['survey.invitation']).expiresAt;
    default:
      return null;
  }
}

/**
 * Ticket statuses in which a queued mail about the ticket is still worth sending; kinds not
 * listed do not depend on the ticket. A confirmation request for a ticket no longer awaiting
 * confirmation (closed, reopened…) or a breach alert for a closed ticket expires unsent.
 */
export const SEND_ONLY_WHILE: Partial<Record<TemplateKey, readonly TicketStatus[]>> = {
  'ticket.confirmation': ['resolved'],
  'sla.breach': [
    'new',
    'accepted',
    'in_progress',
    'pending_customer',
    'pending_internal',
    'resolved',
    'reopened',
  ],
};
