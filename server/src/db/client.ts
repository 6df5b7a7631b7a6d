import { mkdirSync } from 'node:fs';
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
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url
    ? openPostgres(opts.url, opts.poolSize ?? 10)
    : openPglite(opts.dataDir ?? 'memory://');
}

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
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
