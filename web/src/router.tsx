import { createBrowserRouter, Navigate } from 'react-router';
import { HomeRedirect } from './layout/HomeRedirect';
import { onUnauthorized } from './api/client';
import { endSession } from './api/auth';
import { AppLayout } from './layout/AppLayout';
import { RequireAuth, signInPath } from './layout/RequireAuth';
import { SignInPage } from './pages/auth/SignInPage';
import { SetupPage } from './pages/auth/SetupPage';
import { UsersPage } from './pages/admin/users/UsersPage';
import { TeamsPage } from './pages/admin/teams/TeamsPage';
import { AuditPage } from './pages/admin/audit/AuditPage';
import { ProfilePage } from './pages/profile/ProfilePage';
import { NotFound } from './pages/errors/NotFound';
import { lazyTicketRoute } from './pages/tickets/lazyRoute';
import { portalRoutes } from './pages/portal/routes';

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/setup', element: <SetupPage /> },
  // Public help centre (knowledge base for customers): no sign-in.
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
  { path: '/portal/lookup', ...lazyTicketRoute('lookupRoute') },
  { path: '/portal/confirm/:token', ...lazyTicketRoute('confirmRoute') },
  ...portalRoutes,
  // Satisfaction survey by single-use link: public, phone first.
  {
    path: '/survey/:token',
    lazy: () => import('./pages/surveys/SurveyPage').then((m) => ({ Component: m.SurveyPage })),
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'tickets', ...lazyTicketRoute('consoleRoute') },
          { path: 'tickets/new', ...lazyTicketRoute('newTicketRoute') },
          { path: 'tickets/:id', ...lazyTicketRoute('ticketRoute') },
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
              import('./pages/knowledge/ArticlePage').then((m) => ({ Component: m.ArticlePage })),
          },
          { path: 'reports', element: <Navigate to="/kpi" replace /> },
          {
            path: 'kpi',
            lazy: () => import('./pages/kpi/KpiPage').then((m) => ({ Component: m.KpiPage })),
          },
          {
            path: 'admin/kpi/targets',
            lazy: () =>
              import('./pages/kpi/KpiTargetsPage').then((m) => ({ Component: m.KpiTargetsPage })),
          },
          { path: 'admin', element: <Navigate to="/admin/users" replace /> },
          { path: 'admin/users', element: <UsersPage /> },
          { path: 'admin/teams', element: <TeamsPage /> },
          { path: 'admin/audit', element: <AuditPage /> },
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
              import('./pages/admin/sla/CalendarPage').then((m) => ({ Component: m.CalendarPage })),
          },
          {
            path: 'admin/sla/policies',
            lazy: () =>
              import('./pages/admin/sla/PoliciesPage').then((m) => ({ Component: m.PoliciesPage })),
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
            path: 'admin/surveys',
            lazy: () =>
              import('./pages/admin/surveys/SurveysAdminPage').then((m) => ({
                Component: m.SurveysAdminPage,
              })),
          },
          { path: 'profile', element: <ProfilePage /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);

// Any 401 (session expired, signed out elsewhere) sends the user to the sign-in page.
onUnauthorized(() => {
  const { pathname, search } = router.state.location;
  if (
    pathname === '/sign-in' ||
    pathname === '/setup' ||
    pathname.startsWith('/portal') ||
    pathname.startsWith('/survey/') ||
    pathname.startsWith('/help')
  )
    return;
  void router.navigate(signInPath(pathname + search), { replace: true }).then(endSession);
});
