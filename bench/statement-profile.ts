/**
 * Statement timing for the profile scripts (`tickets-profile.ts`, `mail-profile.ts`): every
 * statement sent through `pg` (or PGlite) is timed in-process while `profileStatements` runs,
 * then listed by total time, per unit of work.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

interface Stat {
  count: number;
  ms: number;
}
let log: Map<string, Stat> | null = null;
const shorten = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 110);
function note(text: string, ms: number) {
  if (!log) return;
  const key = shorten(text);
  const s = log.get(key) ?? { count: 0, ms: 0 };
  s.count++;
  s.ms += ms;
  log.set(key, s);
}

// Time every statement on both drivers (pg: the client under the pool and transactions).
type QueryFn = (this: unknown, ...args: unknown[]) => unknown;
function wrap(proto: { query: QueryFn }) {
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
    const t0 = performance.now();
    // pg.Pool#query hands its client a callback and gets no promise back.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (...r: unknown[]) => unknown;
      args[last] = (...r: unknown[]) => {
        note(text, performance.now() - t0);
        return cb(...r);
      };
      return original.apply(this, args);
    }
    const out = original.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function')
      void (out as Promise<unknown>).then(
        () => note(text, performance.now() - t0),
        () => note(text, performance.now() - t0),
      );
    return out;
  };
}
wrap(pg.Client.prototype as unknown as { query: QueryFn });
wrap(PGlite.prototype as unknown as { query: QueryFn });

/**
 * Runs `body` (n units of work) with every statement timed, then prints the wall time and the
 * statements per unit (`unit`: "a request", "a message").
 */
export async function profileStatements(
  label: string,
  unit: string,
  n: number,
  body: () => Promise<void>,
): Promise<void> {
  log = new Map();
  // PROFILE_CPU=<dir>: the same run under V8's CPU profiler, one .cpuprofile per label, so the
  // time outside SQL can be read by function (bench/cpu-profile-summary.ts).
  const cpuDir = process.env.PROFILE_CPU;
  const session = cpuDir ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const t0 = performance.now();
  await body();
  const wall = (performance.now() - t0) / n;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    const file = `${cpuDir}/${label.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile: ${file}`);
  }
  // The last statements' callbacks.
  await new Promise((r) => setTimeout(r, 50));
  const stats = [...log.entries()].sort((a, b) => b[1].ms - a[1].ms);
  log = null;
  const per = stats.reduce((sum, [, s]) => sum + s.count, 0) / n;
  const dbMs = stats.reduce((sum, [, s]) => sum + s.ms, 0) / n;
  console.log(
    `\n${label}: ${wall.toFixed(1)} ms ${unit}, ` +
      `${per.toFixed(1)} statements, ${dbMs.toFixed(1)} ms in them`,
  );
  for (const [text, s] of stats)
    console.log(
      `  ${(s.count / n).toFixed(1).padStart(4)} × ${(s.ms / s.count).toFixed(2).padStart(6)} ms  ${text}`,
    );
}
