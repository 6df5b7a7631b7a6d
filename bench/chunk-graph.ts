/**
 * What each kind of page loads before it can run, from the build's chunk graph:
 *   KEFU_BUILD_MANIFEST=1 npm run build && node --import tsx bench/chunk-graph.ts
 * For each path (the entry plus the lazy modules a page needs): the chunks reached through static
 * `imports`, their decoded size, and their brotli size (the `.br` files the server sends).
 * Explains agent-pages and page-weight (docs/benchmarks.md); no goal of its own.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

const dist = fileURLToPath(new URL('../web/dist/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8')) as Record<
  string,
  ManifestChunk
>;

const staffShell = ['index.html', 'src/layout/AntdRoot.tsx', 'src/layout/RequireAuth.tsx'];
const PATHS: Record<string, string[]> = {
  'ticket list': [...staffShell, 'src/layout/AppLayout.tsx', 'src/pages/tickets/routes.ts'],
  'knowledge base': [
    ...staffShell,
    'src/layout/AppLayout.tsx',
    'src/pages/knowledge/KnowledgePage.tsx',
  ],
  'sign-in': ['index.html', 'src/layout/AntdRoot.tsx', 'src/pages/auth/SignInPage.tsx'],
  'help centre': ['index.html', 'src/pages/help/HelpCentrePage.tsx'],
  'confirmation page': ['index.html', 'src/pages/portal/ConfirmPage.tsx'],
  'survey page': ['index.html', 'src/pages/surveys/SurveyPage.tsx'],
};
const STAFF_LOCALE = 'src/locales/zh-CN/staff.ts';
const PUBLIC_LOCALE = 'src/locales/zh-CN/public.ts';

function reachable(keys: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...keys];
  while (stack.length) {
    const key = stack.pop()!;
    if (seen.has(key) || !manifest[key]) continue;
    seen.add(key);
    stack.push(...(manifest[key].imports ?? []));
  }
  return seen;
}

const size = (file: string) => statSync(`${dist}${file}`).size;
const brotli = (file: string) => {
  try {
    return size(`${file}.br`);
  } catch {
    return size(file); // under 1 KB: not precompressed
  }
};

for (const [label, keys] of Object.entries(PATHS)) {
  const locale = keys.includes('src/layout/AntdRoot.tsx') ? STAFF_LOCALE : PUBLIC_LOCALE;
  const chunks = reachable([...keys, locale]);
  const files = [...chunks].map((k) => manifest[k]!.file);
  files.push(...new Set([...chunks].flatMap((k) => manifest[k]!.css ?? [])));
  const raw = files.reduce((n, f) => n + size(f), 0);
  const br = files.reduce((n, f) => n + brotli(f), 0);
  console.log(
    `${label.padEnd(18)} ${String(chunks.size).padStart(4)} chunks ${String(Math.round(raw / 1024)).padStart(6)} KB decoded ${String(Math.round(br / 1024)).padStart(5)} KB brotli`,
  );
}
