type RouteModules = typeof import('./routes');

/**
 * Shown on a first load straight into a tickets page while its chunk arrives: a plain spinning
 * arc (SVG animation, no CSS), not antd's `Spin` — this module is in the entry chunk every page
 * downloads, and the public pages load no antd (issue 10).
 */
const loading = (
  <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }} role="status">
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
      <circle cx="10" cy="10" r="8" fill="none" stroke="#f0f0f0" strokeWidth="3" />
      <path d="M10 2a8 8 0 0 1 8 8" fill="none" stroke="#1677ff" strokeWidth="3">
        <animateTransform
          attributeName="transform"
          type="rotate"
          from="0 10 10"
          to="360 10 10"
          dur="1s"
          repeatCount="indefinite"
        />
      </path>
    </svg>
  </div>
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
