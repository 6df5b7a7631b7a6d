import { whenSignedIn } from '../../api/auth';
import { kpiSnapshotsQuery, kpiTrendQuery } from '../../api/kpi';
import { queryClient } from '../../api/queryClient';
import { previousMonth, TREND_MONTHS } from './format';

/**
 * The KPI page's data for the month it opens on (the previous one): its snapshots and the
 * six-month trend — asked for once /me says who is signed in, beside the page's chunks; the
 * page shows nothing until they have answered (issue 10). Same query options as the page's.
 */
export function prefetchKpi(): void {
  whenSignedIn((can) => {
    if (!can('kpi.read')) return;
    const month = previousMonth();
    void queryClient.prefetchQuery(kpiSnapshotsQuery(month));
    void queryClient.prefetchQuery(kpiTrendQuery({ to: month, months: TREND_MONTHS }));
  });
}
