/**
 * The demo workspace as the knowledge-base benches start from it: demo users and the manual
 * seeded, the manual's categories by key, and the demo editor as the author of what the bench
 * imports next (through the app's own `importArticles`).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import type { AuditContext } from '../server/src/modules/audit/service.js';
import { CATEGORIES, type CategoryKey } from '../server/src/modules/kb/fixtures/types.js';
import type { ManualCategoryIds } from '../server/src/modules/kb/seed.js';

export async function seedKbBench(
  db: Db,
  now: Date,
): Promise<{
  author: { id: string; name: string };
  categories: ManualCategoryIds;
  ctx: AuditContext;
}> {
  await seedDemo(db, now);
  const [author] = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`SELECT id, name FROM users WHERE email = 'editor@kefu.demo'`),
  );
  if (!author) throw new Error('the demo has no knowledge editor');
  const categories: ManualCategoryIds = new Map();
  for (const row of rowsOf<{ id: string; name: string; review_interval_months: number }>(
    await db.execute(sql`SELECT id, name, review_interval_months FROM kb_categories`),
  )) {
    const key = (Object.keys(CATEGORIES) as CategoryKey[]).find(
      (k) => CATEGORIES[k].name === row.name,
    );
    if (key) categories.set(key, { id: row.id, months: row.review_interval_months });
  }
  const ctx: AuditContext = {
    actorId: author.id,
    actorName: author.name,
    ip: null,
    userAgent: null,
    requestId: null,
    at: now,
  };
  return { author, categories, ctx };
}
