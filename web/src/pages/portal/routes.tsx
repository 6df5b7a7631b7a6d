import type { RouteObject } from 'react-router';

/** Signed-in customer pages (router.tsx spreads these next to the public portal pages). */
export const portalRoutes: RouteObject[] = [
  {
    path: '/portal/sign-in',
    lazy: () => import('./PortalSignInPage').then((m) => ({ Component: m.PortalSignInPage })),
  },
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
