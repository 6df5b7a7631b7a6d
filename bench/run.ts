/**
 * Runs every `bench/*.bench.ts` in turn and prints one table at the end.
 *   npm run bench            all of them
 *   npm run bench -- me      only `me.bench.ts` (several names may be given)
 * A missed goal is printed as MISSED but exits 0 (machines differ); a bench that throws or
 * reports an invalid run exits 1, because then nothing was measured.
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { goalMet, type Bench, type BenchResult } from './lib.js';

const filters = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no bench/*.bench.ts matches ${filters.join(' ')}`);
  process.exit(1);
}

const results: BenchResult[] = [];
const errors: string[] = [];
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.error(`▶ ${name}`);
  try {
    const mod = (await import(pathToFileURL(`${import.meta.dirname}/${file}`).href)) as {
      default: Bench;
    };
    results.push(...(await mod.default()));
  } catch (err) {
    console.error(err);
    errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const rows = [
  ['bench', 'metric', 'value', 'unit', 'goal'],
  ...results.map((r) => [r.name, r.metric, formatValue(r), r.unit, verdict(r)]),
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
console.log();
console.log(line(rows[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows.slice(1)) console.log(line(row));
for (const e of errors) console.log(`ERROR ${e}`);

const missed = results.filter((r) => goalMet(r) === false && !r.invalid).length;
const invalid = results.filter((r) => r.invalid).length;
console.log();
console.log(
  `${results.length} figures, ${missed} goals MISSED, ${invalid} INVALID, ${errors.length} errors`,
);
if (invalid > 0 || errors.length > 0) process.exitCode = 1;

function formatValue(r: BenchResult): string {
  // autocannon's latency histogram has 1 ms resolution, so only ratios get decimals.
  return r.unit === 'ratio' ? r.value.toFixed(2) : Math.round(r.value).toString();
}

function verdict(r: BenchResult): string {
  if (r.invalid) return `INVALID (${r.invalid})`;
  if (!r.goal) return '';
  const goal = 'atLeast' in r.goal ? `≥ ${r.goal.atLeast}` : `≤ ${r.goal.atMost}`;
  return `goal ${goal} ${goalMet(r) ? 'OK' : 'MISSED'}`;
}
