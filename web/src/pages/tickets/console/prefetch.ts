import { whenSignedIn } from '../../../api/auth';
import { queryClient } from '../../../api/queryClient';
import { savedViewsQuery } from '../../../api/ticketAdmin';
import { ticketCategoriesQuery, ticketCountsQuery, ticketsListQuery } from '../../../api/tickets';
import { consoleFilters } from './useConsoleFilters';

/**
 * The ticket list's data — the first page for the address bar's filters, the queue counts, the
 * saved views, the category labels — asked for once /me says there is a session, beside the
 * page's chunks instead of after they have arrived and rendered (issue 10). Same query options
 * and filters as the page's hooks, so they find the answers in the cache.
 */
export function prefetchTicketList(search: string): void {
  whenSignedIn(() => {
    void queryClient.prefetchInfiniteQuery(
      ticketsListQuery(consoleFilters(new URLSearchParams(search))),
    );
    void queryClient.prefetchQuery(ticketCountsQuery);
    void queryClient.prefetchQuery(savedViewsQuery);
    void queryClient.prefetchQuery(ticketCategoriesQuery);
  });
}
