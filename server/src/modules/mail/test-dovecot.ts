/**
 * A private Dovecot IMAP server for tests (Debian's dovecot-imapd): its own config directory,
 * port and passwd-file user, started with `dovecot -c` and stopped at the end. `null` when
 * Dovecot is not installed (locally the tests print SKIPPED; CI installs it, see .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  closeSync,
  openSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): void;
}

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));

/** Whether the IMAP tests can run here (CI requires it: .ci/run installs dovecot-imapd). */
export const dovecotInstalled = DOVECOT !== undefined;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function idOf(flag: '-u' | '-g', name?: string): number {
  return Number(
    execFileSync('id', name ? [flag, name] : [flag])
      .toString()
      .trim(),
  );
}

export async function startTestDovecot(): Promise<TestDovecot | null> {
  if (!DOVECOT) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-dovecot-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  // As root Dovecot wants unprivileged users for its processes and the mail; otherwise it
  // runs everything as the current user.
  const me = execFileSync('id', ['-un']).toString().trim();
  const internal = root ? 'dovecot' : me;
  const login = root ? 'dovenull' : me;
  const mailUid = root ? idOf('-u', 'dovecot') : idOf('-u');
  const mailGid = root ? idOf('-g', 'dovecot') : idOf('-g');
  for (const d of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, d));
  if (root) {
    chownSync(join(dir, 'mail'), mailUid, mailGid);
    chownSync(join(dir, 'home'), mailUid, mailGid);
    spawnSync('chmod', ['755', dir]);
  }
  const user = 'support@example.test';
  const password = 'imap-test-secret';
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
default_internal_user = ${internal}
default_internal_group = ${root ? 'dovecot' : execFileSync('id', ['-gn']).toString().trim()}
default_login_user = ${login}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  // The master daemonises; its output goes to a file so nothing keeps our pipes open.
  const out = openSync(join(dir, 'start.log'), 'w');
  const started = spawnSync(DOVECOT, ['-c', join(dir, 'dovecot.conf')], {
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (started.status !== 0)
    throw new Error(`dovecot did not start: ${readFileSync(join(dir, 'start.log'), 'utf8')}`);
  // Wait for the listener.
  for (let i = 0; i < 100; i += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = createServer();
      sock.once('error', () => resolve(true));
      sock.listen(port, '127.0.0.1', () => sock.close(() => resolve(false)));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    stop() {
      try {
        const pid = Number(readFileSync(join(dir, 'run', 'master.pid'), 'utf8').trim());
        if (pid > 0) process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500).unref();
    },
  };
}
