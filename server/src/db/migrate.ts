import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './client.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant: every Kefu instance takes this advisory lock before migrating. */
const MIGRATION_LOCK = 4_200_017;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: file.slice(0, 4),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(`${dir}${file}`, 'utf8'),
    }));
}

/**
 * Applies pending migrations in one transaction holding an advisory lock, so two instances
 * starting together do not both migrate, and a failed migration leaves nothing behind.
 * Returns the versions applied.
 */
export async function migrate(
  database: Database,
  migrations = listMigrations(),
): Promise<string[]> {
  const applied: string[] = [];
  await database.rawTransaction(async (raw) => {
    await raw.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await raw.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await raw.query<{ version: string }>('SELECT version FROM schema_migrations')).map(
        (r) => r.version,
      ),
    );
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await raw.exec(m.sql);
      await raw.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
  });
  return applied;
}

/** For /readyz: true when every migration shipped with this build is applied. */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const rows = rowsOf<{ version: string }>(
    await database.db.execute(sql`SELECT version FROM schema_migrations`),
  );
  const have = new Set(rows.map((r) => r.version));
  return listMigrations().every((m) => have.has(m.version));
}
