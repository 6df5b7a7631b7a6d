import { whenSignedIn } from '../../api/auth';
import { queryClient } from '../../api/queryClient';
import { reportMonthQuery } from '../../api/reports';
import { allTeamsQuery } from '../../api/teams';
import { ticketCategoriesQuery } from '../../api/tickets';
import { filterOf, viewOf } from './params';

/**
 * The month dashboard's data — the month's report for the address bar's filters, and the teams
 * and categories its filter bar names — asked for once /me says who is signed in, beside the
 * page's chunks: the report is the slowest call of any staff page (≈ 0.4 s on the demo), and it
 * used to start only after the page had rendered (issue 10). Same query options as the page's.
 */
export function prefetchReports(search: string): void {
  const params = new URLSearchParams(search);
  if (viewOf(params) !== 'month') return;
  whenSignedIn((can) => {
    if (!can('reports.read')) return;
    void queryClient.prefetchQuery(reportMonthQuery(filterOf(params)));
    void queryClient.prefetchQuery(allTeamsQuery);
    void queryClient.prefetchQuery(ticketCategoriesQuery);
  });
}
