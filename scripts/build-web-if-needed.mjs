// Builds the web app when web/dist is missing or older than its sources, so `npm start`
// always serves the current UI without rebuilding on every start. Quiet: one line when it
// builds; Vite's output only when the build fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'web/dist/index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** True when web/dist is missing or older than web/src, web/index.html or the Vite config. */
export function webBuildIsStale() {
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts']
    .map((p) => join(root, p))
    .filter(existsSync);
  return !existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
}

/** Builds the web app if stale; exits the process (after printing Vite's output) on failure. */
export function buildWebIfNeeded() {
  if (!webBuildIsStale()) return;
  process.stdout.write('Building the web app (first start or sources changed)… ');
  const started = performance.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['run', 'build', '-w', 'web'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    process.stdout.write('failed:\n');
    process.stderr.write(
      `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? String(res.error) : ''}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) buildWebIfNeeded();
