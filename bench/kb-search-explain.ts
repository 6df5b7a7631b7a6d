/**
 * EXPLAIN (ANALYZE, BUFFERS) of the knowledge-base ranking statement for one question, on a kept
 * bench database (BENCH_KB_DATABASE_URL, loaded by `npm run bench -- kb-search`):
 *
 *   BENCH_KB_DATABASE_URL=postgres://…/kefu_kb node --import tsx bench/kb-search-explain.ts 快递好几天不动了
 *
 * The statement is built by the app's own rankedRows (captured, not run), with the re-rank depth
 * the API uses for Chinese questions.
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Db } from '../server/src/db/client.js';
import { prepareQuery, rankedRows } from '../server/src/modules/kb/search/service.js';

const url = process.env.BENCH_KB_DATABASE_URL;
const q = process.argv[2];
if (!url || !q) throw new Error('usage: BENCH_KB_DATABASE_URL=… kb-search-explain.ts <question>');
const database = await openDatabase({ url });
const prepared = await prepareQuery(database.db, q);
let captured: { sql: string; params: unknown[] } | undefined;
const capture = new Proxy(database.db, {
  get(target, key) {
    if (key !== 'execute') return Reflect.get(target, key) as unknown;
    return async (statement: SQL) => {
      captured = new PgDialect().sqlToQuery(statement);
      return { rows: [] };
    };
  },
}) as Db;
await rankedRows(capture, { q, limit: /\p{Script=Han}/u.test(q) ? 40 : 10 }, prepared);
await database.close();
if (!captured) throw new Error('no statement: the question has no search groups');
const client = new pg.Client({ connectionString: url });
await client.connect();
const plan = await client.query<{ 'QUERY PLAN': string }>(
  `EXPLAIN (ANALYZE, BUFFERS) ${captured.sql}`,
  captured.params,
);
console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
await client.end();
