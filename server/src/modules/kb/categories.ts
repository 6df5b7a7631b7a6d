import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { kbCategories } from '../../db/schema/index.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { mayConfigureReviewRoles } from './policy.js';
import type { CategoryView } from './schemas.js';

type Row = typeof kbCategories.$inferSelect;

export const presentCategory = (r: Row): CategoryView => ({
  id: r.id,
  parentId: r.parentId,
  name: r.name,
  description: r.description,
  position: r.position,
  reviewRoles: r.reviewRoles as [string, string, string],
  reviewIntervalMonths: r.reviewIntervalMonths,
  archived: r.archivedAt !== null,
});

export async function listCategories(ex: Executor, ids?: string[]): Promise<CategoryView[]> {
  const rows = await ex
    .select()
    .from(kbCategories)
    .where(
      ids
        ? inArray(kbCategories.id, ids.length ? ids : ['00000000-0000-0000-0000-000000000000'])
        : undefined,
    )
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
  return rows.map(presentCategory);
}

export async function getCategory(ex: Executor, id: string, field = 'categoryId'): Promise<Row> {
  const [row] = await ex.select().from(kbCategories).where(eq(kbCategories.id, id));
  if (!row) throw problems.notFound('Category', field);
  return row;
}

/** A category new articles may be filed under: known (404) and not archived (422). */
export async function getOpenCategory(ex: Executor, id: string, field = 'categoryId') {
  const row = await getCategory(ex, id, field);
  if (row.archivedAt) throw problems.invalid([{ path: field, message: 'category is archived' }]);
  return row;
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err))
    throw problems.conflict('category_name_taken', 'A sibling category has this name.', [
      { path: 'name', message: 'already in use' },
    ]);
  throw err;
}

/** Refuses a parent that is the category itself or one of its descendants. */
async function assertParent(ex: Executor, id: string | null, parentId: string | null) {
  if (!parentId) return;
  await getCategory(ex, parentId, 'parentId');
  for (let at: string | null = parentId, depth = 0; at && depth < 50; depth++) {
    if (at === id) throw problems.invalid([{ path: 'parentId', message: 'would make a cycle' }]);
    const [row] = await ex
      .select({ parentId: kbCategories.parentId })
      .from(kbCategories)
      .where(eq(kbCategories.id, at));
    at = row?.parentId ?? null;
  }
}

export interface CategoryInput {
  archived?: boolean;
  parentId: string | null;
  name: string;
  description: string;
  position: number;
  reviewRoles: [string, string, string];
  reviewIntervalMonths: number;
}

export async function insertCategory(tx: Executor, ctx: AuditContext, input: CategoryInput) {
  if (input.parentId) await getOpenCategory(tx, input.parentId, 'parentId');
  await assertParent(tx, null, input.parentId);
  const { archived, ...values } = input;
  const [row] = await tx
    .insert(kbCategories)
    .values({
      ...values,
      archivedAt: archived ? ctx.at : null,
      createdAt: ctx.at,
      updatedAt: ctx.at,
    })
    .returning()
    .catch(nameTaken);
  const view = presentCategory(row!);
  await recordAudit(tx, ctx, {
    action: 'kb.category.create',
    targetType: 'kb_category',
    targetId: view.id,
    before: null,
    after: { ...view },
  });
  return view;
}

export function createCategory(db: Db, ctx: AuditContext, actor: Actor, input: CategoryInput) {
  const defaults = ['knowledge_editor', 'supervisor', 'reviewer'];
  if (input.reviewRoles.some((r, i) => r !== defaults[i]) && !mayConfigureReviewRoles(actor.roles))
    throw reviewRolesRefused();
  return db.transaction((tx) => insertCategory(tx, ctx, input));
}

const reviewRolesRefused = () =>
  new HttpProblem({
    status: 403,
    code: 'forbidden',
    detail: 'Only an administrator changes the reviewer roles of a category.',
    errors: [{ path: 'reviewRoles', message: 'administrators only' }],
  });

export function updateCategory(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  patch: Partial<CategoryInput>,
) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(kbCategories)
      .where(eq(kbCategories.id, id))
      .for('update');
    if (!before) throw problems.notFound('Category', 'id');
    if (
      patch.reviewRoles &&
      patch.reviewRoles.join() !== before.reviewRoles.join() &&
      !mayConfigureReviewRoles(actor.roles)
    )
      throw reviewRolesRefused();
    if (patch.parentId !== undefined) await assertParent(tx, id, patch.parentId);
    const { archived, ...values } = patch;
    const archivedAt =
      archived === undefined ? undefined : archived ? (before.archivedAt ?? ctx.at) : null;
    const [row] = await tx
      .update(kbCategories)
      .set({ ...values, archivedAt, updatedAt: ctx.at })
      .where(and(eq(kbCategories.id, id)))
      .returning()
      .catch(nameTaken);
    const view = presentCategory(row!);
    await recordAudit(tx, ctx, {
      action:
        archived === undefined || archived === Boolean(before.archivedAt)
          ? 'kb.category.update'
          : archived
            ? 'kb.category.archive'
            : 'kb.category.restore',
      targetType: 'kb_category',
      targetId: id,
      before: { ...presentCategory(before) },
      after: { ...view },
    });
    return view;
  });
}

/**
 * Puts categories in the given order (positions 10, 20, 30 …) in one transaction, one audit row
 * with the old and new positions. Categories not named keep their positions.
 */
export function reorderCategories(db: Db, ctx: AuditContext, ids: string[]) {
  return db.transaction(async (tx) => {
    if (new Set(ids).size !== ids.length)
      throw problems.invalid([{ path: 'ids', message: 'a category is listed twice' }]);
    const rows = await tx
      .select()
      .from(kbCategories)
      .where(inArray(kbCategories.id, ids))
      .for('update');
    const known = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.findIndex((id) => !known.has(id));
    if (missing !== -1) throw problems.notFound('Category', `ids.${missing}`);
    const before = await listCategories(tx);
    for (const [i, id] of ids.entries()) {
      const position = (i + 1) * 10;
      if (known.get(id)!.position !== position)
        await tx
          .update(kbCategories)
          .set({ position, updatedAt: ctx.at })
          .where(eq(kbCategories.id, id));
    }
    const after = await listCategories(tx);
    // Names in order, so the audit log reads as a before/after list.
    await recordAudit(tx, ctx, {
      action: 'kb.category.reorder',
      targetType: 'kb_category',
      targetId: ids[0]!,
      before: { order: before.map((c) => c.name) },
      after: { order: after.map((c) => c.name) },
    });
    return after;
  });
}
