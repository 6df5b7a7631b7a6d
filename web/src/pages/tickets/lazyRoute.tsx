import { Flex, Spin } from 'antd';

type RouteModules = typeof import('./routes');

const loading = (
  <Flex justify="center" style={{ padding: 48 }}>
    <Spin />
  </Flex>
);

/**
 * Route props that load a tickets page on first visit: the area is its own chunk
 * (date pickers, timeline), kept out of the bundle every page downloads.
 */
export function lazyTicketRoute(name: keyof RouteModules) {
  return {
    lazy: () => import('./routes').then((m) => m[name]),
    hydrateFallbackElement: loading,
  };
}
