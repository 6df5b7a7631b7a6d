import { whenSignedIn } from '../../../api/auth';
import { queryClient } from '../../../api/queryClient';
import { ticketFieldsQuery } from '../../../api/ticketAdmin';
import { ticketCategoriesQuery } from '../../../api/tickets';

/**
 * The new-ticket form's lists — categories and custom fields — asked for once /me says there
 * is a session, beside the page's chunks (issue 10). Same query options as the form's hooks.
 */
export function prefetchNewTicket(): void {
  whenSignedIn(() => {
    void queryClient.prefetchQuery(ticketCategoriesQuery);
    void queryClient.prefetchQuery(ticketFieldsQuery);
  });
}
