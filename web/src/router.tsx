import { createBrowserRouter, Navigate } from 'react-router';
import { onUnauthorized } from './api/client';
import { endSession, prefetchMe } from './api/auth';
import { loadText } from './i18n';
import { signInPath } from './layout/signInPath';
import { lazyTicketRoute } from './pages/tickets/lazyRoute';
import { portalRoutes } from './pages/portal/routes';

/** A staff page's module together with the staff pages' text (public pages never load it). */
function staff<T>(load: () => Promise<T>): Promise<T> {
  return Promise.all([load(), loadText('staff')]).then(([m]) => m);
}

/** Pages outside the staff console: no staff session needed (nor asked for). */
function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/sign-in' ||
    pathname === '/setup' ||
    pathname.startsWith('/portal') ||
    pathname.startsWith('/survey/') ||
    pathname.startsWith('/help')
  );
}

/** The ticket page's data, started beside its chunks (pages/tickets/detail/prefetch.ts). */
function prefetchTicket(id: string): null {
  void import('./pages/tickets/detail/prefetch').then((m) => m.prefetchTicketPage(id));
  return null;
}

// A staff page: the session's /me (RequireAuth waits for it), the shell's own data and the
// page's data (`pages/<area>/prefetch.ts`) start now, before the router asks for the page's
// chunks — the browser keeps 6 connections to the server, and queued behind the chunk requests
// they came 1–3 s late under load; asked for after the first render, they were the last calls to
// end (issue 10).
if (!isPublicPath(window.location.pathname)) {
  prefetchMe();
  void import('./layout/prefetchShell').then((m) => m.prefetchShell());
  const ticketId = /^\/tickets\/([^/]+)\/?$/.exec(window.location.pathname)?.[1];
  if (ticketId && ticketId !== 'new') prefetchTicket(decodeURIComponent(ticketId));
  const { pathname, search } = window.location;
  const page = pathname.replace(/\/$/, '');
  if (page === '/tickets')
    void import('./pages/tickets/console/prefetch').then((m) => m.prefetchTicketList(search));
  if (page === '/tickets/new')
    void import('./pages/tickets/new/prefetch').then((m) => m.prefetchNewTicket());
  if (page === '/reports')
    void import('./pages/reports/prefetch').then((m) => m.prefetchReports(search));
  if (page === '/knowledge')
    void import('./pages/knowledge/prefetch').then((m) => m.prefetchKnowledge());
  if (page === '/kpi') void import('./pages/kpi/prefetch').then((m) => m.prefetchKpi());
}

export const router = createBrowserRouter([
  // Public help centre (knowledge base for customers): no sign-in. Plain elements, no antd: a
  // customer's first visit stays small (issue 10).
  {
    path: '/help',
    lazy: () =>
      import('./pages/help/HelpCentrePage').then((m) => ({ Component: m.HelpCentrePage })),
  },
  {
    path: '/help/articles/:id',
    lazy: () =>
      import('./pages/help/HelpArticlePage').then((m) => ({ Component: m.HelpArticlePage })),
  },
  // Customer portal: public pages, no staff layout.
  { path: '/portal', element: <Navigate to="/portal/lookup" replace /> },
  // Their own chunks, not the tickets area's: a customer's first load stays small.
  {
    path: '/portal/lookup',
    lazy: () => import('./pages/portal/LookupPage').then((m) => ({ Component: m.LookupPage })),
  },
  {
    path: '/portal/confirm/:token',
    lazy: () => import('./pages/portal/ConfirmPage').then((m) => ({ Component: m.ConfirmPage })),
  },
  {
    path: '/portal/sign-in',
    lazy: () =>
      import('./pages/portal/PortalSignInPage').then((m) => ({ Component: m.PortalSignInPage })),
  },
  // Satisfaction survey by single-use link: public, phone first, no antd.
  {
    path: '/survey/:token',
    lazy: () => import('./pages/surveys/SurveyPage').then((m) => ({ Component: m.SurveyPage })),
  },
  // Every page built with antd: its theme, locale and App (message, modal) come with them, in
  // their own chunk; the public pages above never load antd.
  {
    lazy: () => import('./layout/AntdRoot').then((m) => ({ Component: m.AntdRoot })),
    children: [
      {
        path: '/sign-in',
        lazy: () =>
          staff(() => import('./pages/auth/SignInPage')).then((m) => ({ Component: m.SignInPage })),
      },
      {
        path: '/setup',
        lazy: () =>
          staff(() => import('./pages/auth/SetupPage')).then((m) => ({ Component: m.SetupPage })),
      },
      ...portalRoutes,
      {
        lazy: () => import('./layout/RequireAuth').then((m) => ({ Component: m.RequireAuth })),
        children: [
          {
            // The staff shell is its own chunk: the public pages (help centre, portal, survey) never
            // download the side menu, the notification bell or the admin pages.
            lazy: () =>
              staff(() => import('./layout/AppLayout')).then((m) => ({ Component: m.AppLayout })),
            children: [
              {
                index: true,
                lazy: () =>
                  import('./layout/HomeRedirect').then((m) => ({ Component: m.HomeRedirect })),
              },
              { path: 'tickets', ...lazyTicketRoute('consoleRoute') },
              { path: 'tickets/new', ...lazyTicketRoute('newTicketRoute') },
              {
                path: 'tickets/:id',
                ...lazyTicketRoute('ticketRoute'),
                // Starts the page's data beside its chunks; never waits (the page shows pending).
                loader: ({ params }) => prefetchTicket(params.id ?? ''),
              },
              {
                path: 'knowledge',
                lazy: () =>
                  import('./pages/knowledge/KnowledgePage').then((m) => ({
                    Component: m.KnowledgePage,
                  })),
              },
              {
                path: 'knowledge/articles/:id',
                lazy: () =>
                  import('./pages/knowledge/ArticlePage').then((m) => ({
                    Component: m.ArticlePage,
                  })),
              },
              {
                path: 'reports',
                lazy: () =>
                  import('./pages/reports/ReportsPage').then((m) => ({ Component: m.ReportsPage })),
              },
              {
                path: 'reports/print',
                lazy: () =>
                  import('./pages/reports/ServiceReportPage').then((m) => ({
                    Component: m.ServiceReportPage,
                  })),
              },
              {
                path: 'reports/schedules',
                lazy: () =>
                  import('./pages/reports/SchedulesPage').then((m) => ({
                    Component: m.SchedulesPage,
                  })),
              },
              {
                path: 'reports/today/tickets',
                lazy: () =>
                  import('./pages/reports/TodayTicketsPage').then((m) => ({
                    Component: m.TodayTicketsPage,
                  })),
              },
              {
                path: 'reports/tickets',
                lazy: () =>
                  import('./pages/reports/ReportTicketsPage').then((m) => ({
                    Component: m.ReportTicketsPage,
                  })),
              },
              {
                path: 'chat',
                lazy: () =>
                  import('./pages/chat/ChatQueuePage').then((m) => ({
                    Component: m.ChatQueuePage,
                  })),
              },
              {
                path: 'admin/chat',
                lazy: () =>
                  import('./pages/chat/ChatAdminPage').then((m) => ({
                    Component: m.ChatAdminPage,
                  })),
              },
              {
                path: 'calls',
                lazy: () =>
                  import('./pages/calls/CallsPage').then((m) => ({ Component: m.CallsPage })),
              },
              {
                path: 'admin/calls',
                lazy: () =>
                  import('./pages/calls/CallSettingsPage').then((m) => ({
                    Component: m.CallSettingsPage,
                  })),
              },
              {
                path: 'kpi',
                lazy: () => import('./pages/kpi/KpiPage').then((m) => ({ Component: m.KpiPage })),
              },
              {
                path: 'qa',
                lazy: () => import('./pages/qa/QaPage').then((m) => ({ Component: m.QaPage })),
              },
              {
                path: 'admin/qa',
                lazy: () =>
                  import('./pages/qa/QaAdminPage').then((m) => ({ Component: m.QaAdminPage })),
              },
              {
                path: 'admin/kpi/targets',
                lazy: () =>
                  import('./pages/kpi/KpiTargetsPage').then((m) => ({
                    Component: m.KpiTargetsPage,
                  })),
              },
              { path: 'admin', element: <Navigate to="/admin/users" replace /> },
              {
                path: 'admin/users',
                lazy: () =>
                  import('./pages/admin/users/UsersPage').then((m) => ({ Component: m.UsersPage })),
              },
              {
                path: 'admin/teams',
                lazy: () =>
                  import('./pages/admin/teams/TeamsPage').then((m) => ({ Component: m.TeamsPage })),
              },
              {
                path: 'admin/audit',
                lazy: () =>
                  import('./pages/admin/audit/AuditPage').then((m) => ({ Component: m.AuditPage })),
              },
              {
                path: 'admin/ticket-fields',
                lazy: () =>
                  import('./pages/admin/ticket-fields/TicketFieldsPage').then((m) => ({
                    Component: m.TicketFieldsPage,
                  })),
              },
              {
                path: 'admin/assignment-rules',
                lazy: () =>
                  import('./pages/admin/assignment-rules/AssignmentRulesPage').then((m) => ({
                    Component: m.AssignmentRulesPage,
                  })),
              },
              {
                path: 'admin/sla/calendars',
                lazy: () =>
                  import('./pages/admin/sla/CalendarsPage').then((m) => ({
                    Component: m.CalendarsPage,
                  })),
              },
              {
                path: 'admin/sla/calendars/:id',
                lazy: () =>
                  import('./pages/admin/sla/CalendarPage').then((m) => ({
                    Component: m.CalendarPage,
                  })),
              },
              {
                path: 'admin/sla/policies',
                lazy: () =>
                  import('./pages/admin/sla/PoliciesPage').then((m) => ({
                    Component: m.PoliciesPage,
                  })),
              },
              {
                path: 'admin/settings/:tab?',
                lazy: () =>
                  import('./pages/admin/settings/SettingsPage').then((m) => ({
                    Component: m.SettingsPage,
                  })),
              },
              {
                path: 'admin/lists/:tab?',
                lazy: () =>
                  import('./pages/admin/lists/ListsPage').then((m) => ({ Component: m.ListsPage })),
              },
              {
                path: 'sla/risk-board',
                lazy: () =>
                  import('./pages/sla/RiskBoardPage').then((m) => ({ Component: m.RiskBoardPage })),
              },
              {
                path: 'surveys',
                lazy: () =>
                  import('./pages/surveys/SurveyAnswersPage').then((m) => ({
                    Component: m.SurveyAnswersPage,
                  })),
              },
              {
                path: 'admin/alerts',
                lazy: () =>
                  import('./pages/admin/alerts/AlertsPage').then((m) => ({
                    Component: m.AlertsPage,
                  })),
              },
              {
                path: 'admin/surveys',
                lazy: () =>
                  import('./pages/admin/surveys/SurveysAdminPage').then((m) => ({
                    Component: m.SurveysAdminPage,
                  })),
              },
              {
                path: 'profile',
                lazy: () =>
                  import('./pages/profile/ProfilePage').then((m) => ({ Component: m.ProfilePage })),
              },
              {
                path: '*',
                lazy: () =>
                  import('./pages/errors/NotFound').then((m) => ({ Component: m.NotFound })),
              },
            ],
          },
        ],
      },
    ],
  },
]);

// Any 401 (session expired, signed out elsewhere) sends the user to the sign-in page.
onUnauthorized(() => {
  const { pathname, search } = router.state.location;
  if (isPublicPath(pathname)) return;
  void router.navigate(signInPath(pathname + search), { replace: true }).then(endSession);
});
