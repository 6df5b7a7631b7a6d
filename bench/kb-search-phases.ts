/**
 * Where a knowledge-base search's time goes, per question, on a kept bench database
 * (BENCH_KB_DATABASE_URL, loaded by `npm run bench -- kb-search`): the ranking statement alone
 * and the whole search (re-rank included), best of ROUNDS each. Prints the slowest questions
 * with their groups and document frequencies, and the manual's recall@1/3/10 among all articles.
 *
 *   BENCH_KB_DATABASE_URL=postgres://…/kefu_kb node --import tsx bench/kb-search-phases.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../server/src/db/client.js';
import { EN_HELDOUT, ZH_HELDOUT } from '../server/src/modules/kb/fixtures/queries-heldout.js';
import { EN_QUERIES, ZH_QUERIES } from '../server/src/modules/kb/fixtures/queries.js';
import { manualArticles } from '../server/src/modules/kb/fixtures/manual.js';
import {
  prepareQuery,
  rankedRows,
  searchArticles,
} from '../server/src/modules/kb/search/service.js';

const url = process.env.BENCH_KB_DATABASE_URL;
if (!url) throw new Error('BENCH_KB_DATABASE_URL names the kept bench database');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const database = await openDatabase({ url });
const { db } = database;
const queries = [...ZH_QUERIES, ...EN_QUERIES, ...ZH_HELDOUT, ...EN_HELDOUT].map(([q]) => q);
for (const q of queries) await searchArticles(db, { q, limit: 10 }); // warm the term statistics
// Quality at this scale: where the expected manual article lands among the first 10.
const titles = new Map(manualArticles().map((a) => [a.key, a.title]));
const expected = new Map(
  [...ZH_QUERIES, ...EN_QUERIES, ...ZH_HELDOUT, ...EN_HELDOUT].map(([q, key]) => [
    q,
    titles.get(key),
  ]),
);
let at1 = 0;
let at3 = 0;
let at10 = 0;
const lists: Record<string, string[]> = {};
for (const q of queries) {
  const found = await searchArticles(db, { q, limit: 10 });
  lists[q] = found.map((h) => h.id);
  const at = found.findIndex((h) => h.title === expected.get(q));
  if (at === 0) at1 += 1;
  if (at >= 0 && at < 3) at3 += 1;
  if (at >= 0) at10 += 1;
}
const share = (n: number) => (n / queries.length).toFixed(3);
console.log(
  `recall@1/3/10 over ${queries.length} questions: ${share(at1)} / ${share(at3)} / ${share(at10)}`,
);
// LISTS_OUT saves each question's first 10; LISTS_IN compares this run's with a saved run's.
if (process.env.LISTS_OUT) writeFileSync(process.env.LISTS_OUT, JSON.stringify(lists));
if (process.env.LISTS_IN) {
  const before = JSON.parse(readFileSync(process.env.LISTS_IN, 'utf8')) as Record<string, string[]>;
  let top1 = 0;
  let top3 = 0;
  let shared = 0;
  let total = 0;
  for (const q of queries) {
    const a = before[q] ?? [];
    const b = lists[q] ?? [];
    if (a[0] === b[0]) top1 += 1;
    if (a.slice(0, 3).join() === b.slice(0, 3).join()) top3 += 1;
    shared += b.filter((id) => a.includes(id)).length;
    total += Math.max(a.length, b.length);
  }
  console.log(
    `against ${process.env.LISTS_IN}: same top 1 ${top1}/${queries.length}, same top 3 ${top3}, ` +
      `top 10 shared ${((100 * shared) / total).toFixed(1)} %`,
  );
}
const rows: { q: string; rank: number; search: number; groups: string; df: string }[] = [];
for (const q of queries) {
  let rank = Infinity;
  let search = Infinity;
  const prepared = await prepareQuery(db, q);
  for (let r = 0; r < ROUNDS; r += 1) {
    let t = performance.now();
    await rankedRows(db, { q, limit: /\p{Script=Han}/u.test(q) ? 40 : 10 }, prepared);
    rank = Math.min(rank, performance.now() - t);
    t = performance.now();
    await searchArticles(db, { q, limit: 10 });
    search = Math.min(search, performance.now() - t);
  }
  rows.push({ q, rank, search, groups: prepared.groups.join(' '), df: prepared.df.join(',') });
}
rows.sort((a, b) => b.search - a.search);
const all = rows.map((r) => r.search).sort((a, b) => a - b);
const p = (x: number) => all[Math.min(all.length - 1, Math.floor(x * all.length))]!.toFixed(1);
console.log(`search (best of ${ROUNDS}) p50 ${p(0.5)} ms, p95 ${p(0.95)} ms`);
for (const r of rows.slice(0, Number(process.env.SHOW ?? 15)))
  console.log(
    `${r.search.toFixed(1).padStart(6)} ms (rank ${r.rank.toFixed(1)})  ${r.q}  | ${r.groups} | df ${r.df}`,
  );
await database.close();
