import { meQuery } from '../../../api/auth';
import { ticketAttachmentsQuery } from '../../../api/attachments';
import { customerQuery, customerTicketsQuery } from '../../../api/customers';
import { queryClient } from '../../../api/queryClient';
import { ticketSlaQuery } from '../../../api/sla';
import { ticketLinksQuery, ticketQuery, timelineQuery } from '../../../api/tickets';

/**
 * The ticket page's data, asked for by the route's loader as soon as the route matches — beside
 * the page's chunks, not after they have arrived and rendered. Before (issue 10) the page asked
 * in three rounds, each after a render: the ticket and its timeline once /me had answered, the
 * side cards once the ticket had, the customer's panel last. The same query options as the
 * page's hooks, so they find the answers in the cache. Only once /me (started by the entry) says
 * there is a session: a signed-out visit makes no 401s here, `RequireAuth` sends it to sign-in.
 */
export function prefetchTicketPage(id: string): void {
  void sessionReady().then((signedIn) => {
    if (!signedIn) return;
    void queryClient.prefetchQuery(timelineQuery(id));
    void queryClient.prefetchQuery(ticketSlaQuery(id));
    void queryClient.prefetchQuery(ticketAttachmentsQuery(id));
    void queryClient.prefetchQuery(ticketLinksQuery(id));
    // The customer's panel needs the ticket's customer.
    void queryClient
      .fetchQuery(ticketQuery(id))
      .then((ticket) => {
        void queryClient.prefetchQuery(customerQuery(ticket.customer.id));
        void queryClient.prefetchQuery(customerTicketsQuery(ticket.customer.id));
      })
      .catch(() => undefined); // the page shows the error from its own query
  });
}

/** Whether /me (in flight since the entry ran, or cached) answers with a session. */
function sessionReady(): Promise<boolean> {
  return queryClient.fetchQuery(meQuery).then(
    () => true,
    () => false,
  );
}
