import type { RouteObject } from 'react-router';

/**
 * Signed-in customer pages, built with antd (router.tsx spreads these under `AntdRoot`; the public
 * portal pages — sign-in, look-up, confirmation — are listed there without antd).
 */
export const portalRoutes: RouteObject[] = [
  {
    path: '/portal/requests',
    lazy: () => import('./MyRequestsPage').then((m) => ({ Component: m.MyRequestsPage })),
  },
  {
    path: '/portal/requests/new',
    lazy: () => import('./NewRequestPage').then((m) => ({ Component: m.NewRequestPage })),
  },
  {
    path: '/portal/requests/:id',
    lazy: () => import('./RequestPage').then((m) => ({ Component: m.RequestPage })),
  },
  {
    path: '/portal/account',
    lazy: () => import('./PortalAccountPage').then((m) => ({ Component: m.PortalAccountPage })),
  },
];
