import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import type { CategoryView } from './categories.js';
import { isUniqueViolation } from '../../db/errors.js';
import {
  ticketCategories,
  ticketFieldDefinitions,
  tickets,
  type FieldOption,
} from '../../db/schema/index.js';
import { problems, type FieldError } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import {
  applyCustomFields,
  containmentDocs,
  type FieldDefinition,
  type FieldType,
  type FieldValue,
} from './rules/custom-fields.js';
import { txMemo } from '../../db/tx-memo.js';

type Row = typeof ticketFieldDefinitions.$inferSelect;

export interface FieldDefinitionView {
  id: string;
  key: string;
  labelZh: string;
  labelEn: string;
  type: FieldType;
  options: FieldOption[];
  required: boolean;
  active: boolean;
  position: number;
  categories: string[];
}

const present = (r: Row): FieldDefinitionView => ({
  id: r.id,
  key: r.key,
  labelZh: r.labelZh,
  labelEn: r.labelEn,
  type: r.type as FieldType,
  options: r.options,
  required: r.required,
  active: r.active,
  position: r.position,
  categories: r.categories,
});

/**
 * What registering a ticket checks against, in one statement: the category (null when unknown)
 * and the active custom-field definitions (as `listFieldDefinitions(ex, true)`, in its order).
 */
export function registrationReferences(
  ex: Executor,
  categoryKey: string,
): Promise<{ category: CategoryView | null; definitions: FieldDefinitionView[] }> {
  return txMemo(
    ex,
    `registration:${categoryKey}`,
    async () => {
      const [row] = rowsOf<{
        category: CategoryView | null;
        definitions: FieldDefinitionView[];
      }>(
        await ex.execute(sql`SELECT
        (SELECT json_build_object('key', key, 'labelZh', label_zh, 'labelEn', label_en,
            'defaultTier', default_tier, 'active', active, 'sortOrder', sort_order)
          FROM ticket_categories WHERE key = ${categoryKey}) AS category,
        (SELECT coalesce(json_agg(json_build_object('id', id, 'key', key, 'labelZh', label_zh,
            'labelEn', label_en, 'type', type, 'options', options, 'required', required,
            'active', active, 'position', position, 'categories', categories)
            ORDER BY position, key), '[]'::json)
          FROM ticket_field_definitions WHERE active) AS definitions`),
      );
      return { category: row?.category ?? null, definitions: row?.definitions ?? [] };
    },
    (r) => r.category !== null,
  );
}

export async function listFieldDefinitions(ex: Executor, onlyActive = false) {
  const rows = await ex
    .select()
    .from(ticketFieldDefinitions)
    .where(onlyActive ? eq(ticketFieldDefinitions.active, true) : undefined)
    .orderBy(asc(ticketFieldDefinitions.position), asc(ticketFieldDefinitions.key));
  return rows.map(present);
}

const isListType = (type: FieldType) => type === 'select' || type === 'multiselect';

/** Options belong to select types only, with unique values; categories must exist. */
async function checkShape(
  ex: Executor,
  type: FieldType,
  options: FieldOption[] | undefined,
  categories: string[] | undefined,
) {
  const errors: FieldError[] = [];
  if (options !== undefined) {
    if (isListType(type) && options.length === 0)
      errors.push({ path: 'options', code: 'required', message: 'a select needs options' });
    if (!isListType(type) && options.length > 0)
      errors.push({ path: 'options', code: 'not_allowed', message: `a ${type} has no options` });
    const seen = new Set<string>();
    options.forEach((o, i) => {
      if (seen.has(o.value))
        errors.push({ path: `options.${i}.value`, code: 'duplicate', message: 'used twice' });
      seen.add(o.value);
    });
  }
  if (categories?.length) {
    const known = await ex
      .select({ key: ticketCategories.key })
      .from(ticketCategories)
      .where(inArray(ticketCategories.key, categories));
    categories.forEach((c, i) => {
      if (!known.some((k) => k.key === c))
        errors.push({ path: `categories.${i}`, code: 'not_found', message: `no category ${c}` });
    });
  }
  if (errors.length) throw problems.invalid(errors);
}

export interface NewFieldDefinition {
  key: string;
  labelZh: string;
  labelEn: string;
  type: FieldType;
  options: FieldOption[];
  required: boolean;
  active: boolean;
  position?: number;
  categories: string[];
}

export function createFieldDefinition(db: Db, ctx: AuditContext, input: NewFieldDefinition) {
  return db.transaction(async (tx) => {
    await checkShape(tx, input.type, input.options, input.categories);
    const [last] = await tx
      .select({ max: sql<number | null>`max(${ticketFieldDefinitions.position})` })
      .from(ticketFieldDefinitions);
    const [row] = await tx
      .insert(ticketFieldDefinitions)
      .values({
        ...input,
        categories: [...new Set(input.categories)],
        position: input.position ?? (last?.max ?? 0) + 10,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning()
      .catch((err: unknown) => {
        if (isUniqueViolation(err))
          throw problems.conflict('field_key_taken', `A custom field ${input.key} exists.`, [
            { path: 'key', message: 'already in use', code: 'taken' },
          ]);
        throw err;
      });
    const view = present(row!);
    await recordAudit(tx, ctx, {
      action: 'ticket_field.create',
      targetType: 'ticket_field',
      targetId: view.id,
      before: null,
      after: { ...view },
    });
    return view;
  });
}

export type FieldDefinitionPatch = Partial<
  Pick<
    NewFieldDefinition,
    'labelZh' | 'labelEn' | 'options' | 'required' | 'active' | 'position' | 'categories'
  >
>;

/** Key and type never change: values already stored depend on them. */
export function updateFieldDefinition(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: FieldDefinitionPatch,
) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(ticketFieldDefinitions)
      .where(eq(ticketFieldDefinitions.id, id))
      .for('update');
    if (!before) throw problems.notFound('Custom field', 'id');
    await checkShape(tx, before.type as FieldType, patch.options, patch.categories);
    const [row] = await tx
      .update(ticketFieldDefinitions)
      .set({
        ...patch,
        ...(patch.categories && { categories: [...new Set(patch.categories)] }),
        updatedAt: ctx.at,
      })
      .where(eq(ticketFieldDefinitions.id, id))
      .returning();
    const view = present(row!);
    await recordAudit(tx, ctx, {
      action: 'ticket_field.update',
      targetType: 'ticket_field',
      targetId: id,
      before: { ...present(before) },
      after: { ...view },
    });
    return view;
  });
}

/**
 * Applies submitted custom field values for a ticket (422 with one error per field, each with a
 * stable code). Returns the values to store and the keys that changed.
 */
export async function resolveCustomFields(
  ex: Executor,
  input: {
    category: string;
    current: Record<string, unknown>;
    submitted: Record<string, unknown> | undefined;
    mode: 'create' | 'update';
  },
  /** The active definitions when the caller has read them (`registrationReferences`). */
  known?: readonly FieldDefinition[],
): Promise<{ values: Record<string, FieldValue>; changed: string[] }> {
  const definitions: readonly FieldDefinition[] =
    known ?? (await txMemo(ex, 'fieldDefinitions:active', () => listFieldDefinitions(ex, true)));
  if (definitions.length === 0 && !input.submitted) return { values: {}, changed: [] };
  const result = applyCustomFields({ ...input, definitions, submitted: input.submitted ?? {} });
  if (!result.ok) throw problems.invalid(result.errors);
  return { values: result.values, changed: result.changed };
}

/**
 * List filter: `customField=region:east,vip:true` — every condition must hold; a select value,
 * a multiselect containing it, or a boolean.
 */
export function customFieldCondition(conditions: readonly string[] | undefined): SQL | undefined {
  if (!conditions?.length) return undefined;
  const parts = conditions.map((c) => {
    const at = c.indexOf(':');
    const key = c.slice(0, at);
    const value = c.slice(at + 1);
    return or(
      ...containmentDocs(key, value).map(
        (doc) => sql`${tickets.customFields} @> ${JSON.stringify(doc)}::jsonb`,
      ),
    )!;
  });
  return and(...parts);
}
