import { whenSignedIn } from '../../../api/auth';
import { attachmentSettingsQuery, ticketAttachmentsQuery } from '../../../api/attachments';
import { callsQuery } from '../../../api/calls';
import { customerQuery, customerTicketsQuery } from '../../../api/customers';
import { queryClient } from '../../../api/queryClient';
import { ticketSlaQuery } from '../../../api/sla';
import { ticketSurveyQuery } from '../../../api/surveys';
import { allTeamsQuery } from '../../../api/teams';
import { ticketFieldsQuery } from '../../../api/ticketAdmin';
import {
  assignableUsersQuery,
  ticketCategoriesQuery,
  ticketLinksQuery,
  ticketQuery,
  timelineQuery,
} from '../../../api/tickets';

/**
 * The ticket page's data, asked for by the route's loader as soon as the route matches — beside
 * the page's chunks, not after they have arrived and rendered. Before (issue 10) the page asked
 * in three rounds, each after a render: the ticket and its timeline once /me had answered, the
 * side cards once the ticket had, the customer's panel last. The same query options as the
 * page's hooks, so they find the answers in the cache. Only once /me (started by the entry) says
 * there is a session: a signed-out visit makes no 401s here, `RequireAuth` sends it to sign-in.
 */
export function prefetchTicketPage(id: string): void {
  whenSignedIn((can) => {
    // The ticket first: the page renders nothing until it has answered, and every call below
    // shares the browser's 6 connections to the server with it.
    const ticket = queryClient.fetchQuery(ticketQuery(id));
    void queryClient.prefetchQuery(timelineQuery(id));
    void queryClient.prefetchQuery(ticketSlaQuery(id));
    // The customer's panel and call records need the ticket's customer.
    ticket
      .then((t) => {
        void queryClient.prefetchQuery(customerQuery(t.customer.id));
        void queryClient.prefetchQuery(customerTicketsQuery(t.customer.id));
        if (can('calls.read'))
          void queryClient.prefetchQuery(callsQuery({ customerId: t.customer.id }));
      })
      .catch(() => undefined); // the page shows the error from its own query
    void queryClient.prefetchQuery(ticketAttachmentsQuery(id));
    void queryClient.prefetchQuery(ticketLinksQuery(id));
    // The side cards' lists (header labels and fields, reply attachments, the assign card's
    // pickers, survey): they used to start only after the page had rendered, last of all.
    void queryClient.prefetchQuery(ticketCategoriesQuery);
    void queryClient.prefetchQuery(ticketFieldsQuery);
    if (can('tickets.reply')) void queryClient.prefetchQuery(attachmentSettingsQuery);
    if (can('tickets.assign')) {
      if (can('teams.list')) void queryClient.prefetchQuery(allTeamsQuery);
      if (can('users.list')) void queryClient.prefetchQuery(assignableUsersQuery);
    }
    if (can('surveyResponses.list')) void queryClient.prefetchQuery(ticketSurveyQuery(id));
  });
}
