import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The Node versions package.json promises must be accepted by every installed package's
// `engines.node` (else `npm install` prints EBADENGINE warnings and the package may not work).
// Checked for each even (LTS) release line the declared range admits, from its lowest version.

interface Semver {
  minVersion(range: string): { version: string } | null;
  intersects(a: string, b: string): boolean;
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
  compare(a: string, b: string): number;
}
const semver = createRequire(import.meta.url)('semver') as Semver;

const root = new URL('../../', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as unknown;

interface LockPackage {
  version?: string;
  engines?: unknown;
}

/** Lowest version of each even major line (up to `lastMajor`) that `declared` admits. */
function supportedLines(declared: string, lastMajor = 26): string[] {
  const first = semver.minVersion(declared);
  if (!first) throw new Error(`engines.node "${declared}" admits no version`);
  const lines: string[] = [];
  for (let major = Number(first.version.split('.')[0]); major <= lastMajor; major++) {
    if (major % 2) continue;
    const line = `>=${major}.0.0 <${major + 1}.0.0`;
    if (!semver.intersects(declared, line)) continue;
    const lowest = declared
      .split('||')
      .map((alt) => semver.minVersion(`${alt.trim()} ${line}`)?.version)
      .filter((v): v is string => !!v && semver.satisfies(v, declared) && semver.satisfies(v, line))
      .sort(semver.compare)[0];
    if (lowest) lines.push(lowest);
  }
  return lines;
}

/** Packages in the lockfile whose engines.node refuses one of `versions`. */
function engineConflicts(packages: Record<string, LockPackage>, versions: string[]): string[] {
  const out: string[] = [];
  for (const [path, pkg] of Object.entries(packages)) {
    const engines = pkg.engines;
    const node =
      engines && typeof engines === 'object' && !Array.isArray(engines)
        ? (engines as Record<string, unknown>).node
        : undefined;
    if (!path || typeof node !== 'string' || !semver.validRange(node)) continue;
    const refused = versions.filter((v) => !semver.satisfies(v, node));
    if (refused.length)
      out.push(`${path}@${pkg.version} wants node "${node}", refuses ${refused.join(', ')}`);
  }
  return out;
}

describe('Node engines', () => {
  const declared = (readJson('package.json') as { engines: { node: string } }).engines.node;
  const lock = readJson('package-lock.json') as { packages: Record<string, LockPackage> };

  it('every installed package accepts every Node line package.json declares', () => {
    const lines = supportedLines(declared);
    expect(lines[0]).toMatch(/^20\./);
    expect(engineConflicts(lock.packages, lines)).toEqual([]);
  });

  it('the running Node is one package.json declares', () => {
    expect(semver.satisfies(process.versions.node, declared)).toBe(true);
  });

  it('catches a package that needs a newer Node than declared', () => {
    const lines = supportedLines('^20.19.0 || >=22.12.0');
    expect(lines.slice(0, 2)).toEqual(['20.19.0', '22.12.0']);
    expect(
      engineConflicts(
        { 'node_modules/cookie': { version: '2.0.2', engines: { node: '>=22' } } },
        lines,
      ),
    ).toEqual(['node_modules/cookie@2.0.2 wants node ">=22", refuses 20.19.0']);
  });
});
