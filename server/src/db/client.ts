import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

/** Rows of a raw `db.execute(sql\`…\`)`: both drivers answer `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** A json value of a raw row: parsed by node-postgres and PGlite, text from some drivers; null
 * (an empty aggregate) reads as `[]`. */
export function jsonOf<T>(raw: unknown): T {
  return (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as T;
}

/** A PostgreSQL array literal of strings, to bind as one parameter and cast (`${…}::text[]`). */
export function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}

export interface Database {
  engine: 'pglite' | 'postgres';
  db: Db;
  /** Runs `fn` holding one connection in a transaction, with raw multi-statement SQL. */
  rawTransaction(fn: (exec: RawExec) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface RawExec {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite engine is used. */
  url?: string;
  /** PGlite data directory; `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  /** PGlite's shared_buffers in MB (unset: PGlite's default, 128). */
  pgliteSharedBuffersMb?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url
    ? openPostgres(opts.url, opts.poolSize ?? 10)
    : openPglite(opts.dataDir ?? 'memory://', opts.pgliteSharedBuffersMb);
}

async function openPglite(dataDir: string, sharedBuffersMb?: number): Promise<Database> {
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(join(dataDir, 'PG_VERSION'))) initDataDirApart(dataDir);
  }
  const client = await PGlite.create(
    dataDir,
    sharedBuffersMb
      ? {
          startParams: [
            ...PGlite.defaultStartParams,
            '-c',
            `shared_buffers=${Math.floor(sharedBuffersMb)}MB`,
          ],
        }
      : {},
  );
  // Both drivers produce the same PgDatabase API; the cast unifies their result-kind generics.
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    engine: 'pglite',
    db,
    rawTransaction: (fn) =>
      client.transaction(async (tx) => {
        await fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <T>(sql: string, params?: unknown[]) =>
            (await tx.query<T>(sql, params as unknown[])).rows,
        });
      }),
    close: () => client.close(),
  };
}

/**
 * Creates a new PGlite data directory (initdb) in a short-lived child process. WebAssembly
 * memory never shrinks, and initdb's peak stays in the RSS of the process that ran it: a
 * fresh directory opened in-process left the demo server at ≈ 700 MB, an existing one
 * opens in ≈ 290 MB (docs/benchmarks.md, Embedded PGlite memory).
 */
function initDataDirApart(dataDir: string): void {
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = await PGlite.create(${JSON.stringify(dataDir)});
await db.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection lost: ${err.message}`));
  // Fail fast with a clear error rather than at the first request.
  await pool.query('select 1');
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    engine: 'postgres',
    db,
    async rawTransaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        await fn({
          exec: async (sql) => void (await conn.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) =>
            (await conn.query(sql, params)).rows as T[],
        });
        await conn.query('COMMIT');
      } catch (err) {
        await conn.query('ROLLBACK');
        throw err;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
