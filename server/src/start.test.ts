import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` as a person runs it: one process tree where a signal to npm's PID reaches the
// server, and a quiet console (one URL, no per-request lines at the default level).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefu-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('stops when npm’s PID gets SIGTERM, and prints one URL and no request lines', async () => {
    const port = await freePort();
    // Always the embedded engine here, in a temporary directory.
    const { DATABASE_URL: _pg, KEFU_LOG_LEVEL: _level, ...env } = process.env;
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KEFU_DATA_DIR: join(dir, 'data'),
        KEFU_WEB_DIR: dir, // nothing to build or serve
        KEFU_DEMO: '0',
        KEFU_SLA_SWEEP_MS: '0',
        KEFU_MAIL_SEND_MS: '0',
        KEFU_HOUSEKEEPING_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (d) => (output += String(d)));
    npm.stderr.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));

    const base = `http://127.0.0.1:${port}`;
    const deadline = performance.now() + 90_000;
    while (!(await reachable(`${base}/readyz`))) {
      if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (performance.now() > deadline) throw new Error(`not ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (let i = 0; i < 3; i++) await fetch(`${base}/healthz`);

    npm.kill('SIGTERM');
    await exited;
    let down = false;
    for (let i = 0; i < 60 && !down; i++) {
      down = !(await reachable(`${base}/healthz`));
      if (!down) await new Promise((r) => setTimeout(r, 250));
    }
    expect(down, `server still answering after npm got SIGTERM:\n${output}`).toBe(true);

    expect(output.match(/https?:\/\/[^\s]+/g)).toEqual([`http://localhost:${port}`]);
    expect(output).not.toMatch(/incoming request|request completed|Server listening/);
    expect(output.split('\n').length, output).toBeLessThan(20);
  }, 120_000);
});
