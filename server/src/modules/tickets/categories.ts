import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { ticketCategories } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import type { Tier } from './rules/vocabulary.js';
import { txMemo } from '../../db/tx-memo.js';

export interface CategoryView {
  key: string;
  labelZh: string;
  labelEn: string;
  defaultTier: Tier;
  active: boolean;
  sortOrder: number;
}

type Row = typeof ticketCategories.$inferSelect;

const present = (r: Row): CategoryView => ({
  key: r.key,
  labelZh: r.labelZh,
  labelEn: r.labelEn,
  defaultTier: r.defaultTier as Tier,
  active: r.active,
  sortOrder: r.sortOrder,
});

export async function listCategories(ex: Executor, includeInactive = true) {
  const rows = await ex
    .select()
    .from(ticketCategories)
    .where(includeInactive ? undefined : eq(ticketCategories.active, true))
    .orderBy(asc(ticketCategories.sortOrder), asc(ticketCategories.key));
  return rows.map(present);
}

export async function findCategory(ex: Executor, key: string): Promise<CategoryView | null> {
  const [row] = await ex.select().from(ticketCategories).where(eq(ticketCategories.key, key));
  return row ? present(row) : null;
}

/** A category a ticket may be filed under: known and active (422 naming the field otherwise). */
export async function requireActiveCategory(ex: Executor, key: string, path = 'category') {
  const c = await txMemo(
    ex,
    `category:${key}`,
    () => findCategory(ex, key),
    (c) => !!c,
  );
  return activeCategoryOrProblem(c, key, path);
}

/** `requireActiveCategory` for a category the caller has read (`registrationReferences`). */
export function activeCategoryOrProblem(c: CategoryView | null, key: string, path = 'category') {
  if (!c || !c.active)
    throw problems.invalid([{ path, message: `unknown or inactive category ${key}` }]);
  return c;
}

export async function createCategory(
  ex: Executor,
  ctx: AuditContext,
  input: Omit<CategoryView, 'sortOrder'> & { sortOrder?: number },
) {
  const [row] = await ex
    .insert(ticketCategories)
    .values({ ...input, sortOrder: input.sortOrder ?? 100, createdAt: ctx.at, updatedAt: ctx.at })
    .returning()
    .catch((err: unknown) => {
      if (isUniqueViolation(err))
        throw problems.conflict('category_exists', `Category ${input.key} already exists.`, [
          { path: 'key', message: 'already in use' },
        ]);
      throw err;
    });
  const view = present(row!);
  await recordAudit(ex, ctx, {
    action: 'ticket_category.create',
    targetType: 'ticket_category',
    targetId: view.key,
    before: null,
    after: { ...view },
  });
  return view;
}

export async function updateCategory(
  ex: Executor,
  ctx: AuditContext,
  key: string,
  patch: Partial<Omit<CategoryView, 'key'>>,
) {
  const [before] = await ex
    .select()
    .from(ticketCategories)
    .where(eq(ticketCategories.key, key))
    .for('update');
  if (!before) throw problems.notFound('Category', 'key');
  const [row] = await ex
    .update(ticketCategories)
    .set({ ...patch, updatedAt: ctx.at })
    .where(eq(ticketCategories.key, key))
    .returning();
  const view = present(row!);
  await recordAudit(ex, ctx, {
    action: 'ticket_category.update',
    targetType: 'ticket_category',
    targetId: key,
    before: { ...present(before) },
    after: { ...view },
  });
  return view;
}
