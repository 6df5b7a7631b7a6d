import type { TicketStatus } from './vocabulary.js';

/** Work a closed ticket refuses until it is reopened; internal notes stay possible. */
export type ClosedRefusal = 'public_reply' | 'assign';

/** Closed and archived tickets take no public reply and no (re)assignment: reopen first. */
export const isClosedStatus = (status: TicketStatus): boolean =>
  status === 'closed' || status === 'archived';

export function refusesWhenClosed(status: TicketStatus, action: ClosedRefusal): boolean {
  return isClosedStatus(status) && (action === 'public_reply' || action === 'assign');
}

export const CLOSED_REFUSAL_DETAIL: Record<ClosedRefusal, string> = {
  public_reply: 'The ticket is closed: reopen it before replying to the customer.',
  assign: 'The ticket is closed: reopen it before assigning it.',
};
