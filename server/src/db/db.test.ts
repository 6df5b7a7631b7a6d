import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { openDatabase, rowsOf, type Database } from './client.js';
import { listMigrations, migrate, migrationsApplied } from './migrate.js';

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.drop());

describe('migrations', () => {
  it('are versioned files applied once, recorded in schema_migrations', async () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions[0]).toBe('0001');
    expect(await migrate(handle.database)).toEqual([]);
    expect(await migrationsApplied(handle.database)).toBe(true);
    const rows = rowsOf<{ version: string }>(
      await handle.database.db.execute(sql`SELECT version FROM schema_migrations ORDER BY version`),
    );
    expect(rows.map((r) => r.version)).toEqual(versions);
  });

  it('roll back completely when one fails', async () => {
    const broken = [
      ...listMigrations(),
      { version: '9998', name: '9998_ok', sql: 'CREATE TABLE will_vanish (id int);' },
      {
        version: '9999',
        name: '9999_broken',
        sql: 'CREATE TABLE nope (id int REFERENCES missing_table(id));',
      },
    ];
    await expect(migrate(handle.database, broken)).rejects.toThrow();
    const rows = rowsOf<{ n: number }>(
      await handle.database.db.execute(
        sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'will_vanish'`,
      ),
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('two instances starting together migrate once (advisory lock)', async () => {
    if (!handle.url) return; // PGlite is one process with one connection: nothing to race
    const extra: Database[] = [
      await openDatabase({ url: handle.url }),
      await openDatabase({ url: handle.url }),
    ];
    const more = [
      ...listMigrations(),
      { version: '9000', name: '9000_race', sql: 'CREATE TABLE race_marker (id int);' },
    ];
    const results = await Promise.all(extra.map((d) => migrate(d, more)));
    expect(results.flat()).toEqual(['9000']);
    await Promise.all(extra.map((d) => d.close()));
  });
});

describe('embedded PGlite on disk', () => {
  it('creates a new data directory apart, keeps data across opens and takes its page cache size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-pglite-'));
    try {
      const first = await openDatabase({ dataDir: join(dir, 'pg'), pgliteSharedBuffersMb: 16 });
      await first.db.execute(sql`CREATE TABLE kept (v text)`);
      await first.db.execute(sql`INSERT INTO kept VALUES ('still here')`);
      const [buffers] = rowsOf<{ shared_buffers: string }>(
        await first.db.execute(sql`SHOW shared_buffers`),
      );
      expect(buffers?.shared_buffers).toBe('16MB');
      await first.close();

      const again = await openDatabase({ dataDir: join(dir, 'pg') });
      const rows = rowsOf<{ v: string }>(await again.db.execute(sql`SELECT v FROM kept`));
      expect(rows).toEqual([{ v: 'still here' }]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
