/** `{ './kb.json': {…} }` (an `import.meta.glob`) → `{ kb: {…} }`: keys live under `<area>.`. */
export function areasOf(files: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(files).map(([path, content]) => [path.replace(/^.*\/|\.json$/g, ''), content]),
  );
}
