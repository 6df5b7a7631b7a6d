import { whenSignedIn } from '../api/auth';
import { ringingCallsQuery } from '../api/calls';
import { latestNotificationsQuery } from '../api/notifications';
import { queryClient } from '../api/queryClient';
import { calendarCoverageQuery } from '../api/sla';

/**
 * The staff shell's own data — the bell's notifications, the administrators' calendar-coverage
 * banner, the calls ringing at me — asked for once /me (started by the entry) says who is signed
 * in, beside the page's chunks. The shell used to ask only after it had rendered, so on every
 * staff page these three calls were the last to end (issue 10). Same query options and the same
 * abilities as the components (`NotificationBell`, `CalendarCoverageBanner`, `CallScreenPop`),
 * so they find the answers in the cache.
 */
export function prefetchShell(): void {
  whenSignedIn((can) => {
    void queryClient.prefetchQuery(latestNotificationsQuery);
    if (can('sla.calendars.write')) void queryClient.prefetchQuery(calendarCoverageQuery);
    if (can('calls.read')) void queryClient.prefetchQuery(ringingCallsQuery);
  });
}
