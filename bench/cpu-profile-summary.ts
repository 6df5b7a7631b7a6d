/**
 * Reads a V8 `.cpuprofile` (from `PROFILE_CPU=<dir>` in the profile scripts, or `node --cpu-prof`)
 * and prints where the time went: functions by self time, and by total time (self + callees,
 * each function counted once per sample however deep it recurses).
 *   node --import tsx bench/cpu-profile-summary.ts FILE [TOP=30] [FILTER]
 * FILTER keeps only samples whose stack holds a function or file matching it (a regex).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

// Piped into head: stop quietly when the reader has had enough.
process.stdout.on('error', () => process.exit(0));
const [file, topArg, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts FILE [TOP] [FILTER]');
const top = Number(topArg ?? 30);
const keep = filter ? new RegExp(filter) : null;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '~/')
    .replace(/.*\/(server|bench)\/src\//, '$1/')
    .replace(/.*\/work\/[^/]+\//, '');
const nameOf = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const total = new Map<string, number>();
const pkgs = new Map<string, number>();
let all = 0;
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  const stack: Node[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
    stack.push(byId.get(cur)!);
  if (keep && !stack.some((n) => keep.test(nameOf(n)))) return;
  all += dt;
  const leaf = stack[0]!;
  self.set(nameOf(leaf), (self.get(nameOf(leaf)) ?? 0) + dt);
  const pkg =
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(leaf.callFrame.url)?.[1] ??
    (leaf.callFrame.url
      ? leaf.callFrame.url.startsWith('node:')
        ? 'node:'
        : 'ours'
      : leaf.callFrame.functionName);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + dt);
  for (const name of new Set(stack.map(nameOf))) total.set(name, (total.get(name) ?? 0) + dt);
});

const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(
      `  ${ms.toFixed(0).padStart(7)} ms ${((ms / all) * 100).toFixed(1).padStart(5)} %  ${name}`,
    );
};
console.log(`${file}: ${all.toFixed(0)} ms sampled${keep ? ` (stacks matching ${keep})` : ''}`);
print('self time by package', pkgs, 20);
print('self time by function', self, top);
print('total time by function', total, top);
