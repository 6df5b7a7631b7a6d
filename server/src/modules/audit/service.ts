import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { auditEvents } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';

export interface AuditContext {
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  at: Date;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

type Change = { from: unknown; to: unknown };

/** Field-level difference of two snapshots; only fields that changed. */
export function diffOf(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, Change> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Record<string, Change> = {};
  for (const key of keys) {
    const from = before?.[key] ?? null;
    const to = after?.[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

/**
 * Appends one audit row. Call it with the same executor (transaction) as the change it
 * describes, so the change and its record commit or roll back together.
 */
/** Transactions whose audit entries are written together just before they commit. */
const deferred = new WeakMap<object, (typeof auditEvents.$inferInsert)[]>();

/**
 * From now on `recordAudit` in `tx` only collects; `flushDeferredAudit(tx)` writes what was
 * collected in one insert (mail intake's batches: two entries a ticket, docs/mail.md). The
 * caller must flush before its transaction commits; nothing in it may read the audit log back.
 */
export function deferAudit(tx: Executor): void {
  deferred.set(tx, []);
}

export async function flushDeferredAudit(tx: Executor): Promise<void> {
  const rows = deferred.get(tx);
  deferred.delete(tx);
  if (rows && rows.length > 0) await tx.insert(auditEvents).values(rows);
}

export type AuditRow = typeof auditEvents.$inferInsert;

/** The row `recordAudit` writes for `entry`. */
export function auditRowOf(ctx: AuditContext, entry: AuditEntry): AuditRow {
  const hasSnapshots = entry.before !== undefined || entry.after !== undefined;
  return {
    at: ctx.at,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    diff: hasSnapshots ? diffOf(entry.before, entry.after) : null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  };
}

export async function recordAudit(
  ex: Executor,
  ctx: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  const row = auditRowOf(ctx, entry);
  const later = deferred.get(ex);
  if (later) later.push(row);
  else await ex.insert(auditEvents).values(row);
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export function auditWhere(f: AuditFilter, after?: CursorKey): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    f.actorId ? eq(auditEvents.actorId, f.actorId) : undefined,
    f.action
      ? sql`${auditEvents.action} LIKE ${`${f.action.replace(/[%_\\]/g, '\\$&')}%`}`
      : undefined,
    f.targetType ? eq(auditEvents.targetType, f.targetType) : undefined,
    f.targetId ? eq(auditEvents.targetId, f.targetId) : undefined,
    f.from ? gte(auditEvents.at, new Date(f.from)) : undefined,
    f.to ? lte(auditEvents.at, new Date(f.to)) : undefined,
    after
      ? or(
          lt(auditEvents.at, new Date(after.at)),
          and(eq(auditEvents.at, new Date(after.at)), lt(auditEvents.id, Number(after.id))),
        )
      : undefined,
  ];
  return and(...conditions);
}

export async function listAuditEvents(
  ex: Executor,
  f: AuditFilter,
  limit: number,
  after?: CursorKey,
) {
  return ex
    .select()
    .from(auditEvents)
    .where(auditWhere(f, after))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}

/**
 * Readable names of audit targets, looked up for a page of events: a ticket's number and
 * subject, a user's, customer's or team's name, an article's title. Keys are `type:id`;
 * unknown types and deleted targets have none (the page shows the id).
 */
export async function targetLabels(
  ex: Executor,
  events: readonly { targetType: string; targetId: string | null }[],
): Promise<Map<string, string>> {
  const list = (ids: string[]) =>
    sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
  const LOOKUPS: Record<string, (ids: string[]) => SQL> = {
    ticket: (ids) =>
      sql`SELECT id::text AS id, number || ' ' || subject AS label FROM tickets WHERE id::text IN (${list(ids)})`,
    user: (ids) =>
      sql`SELECT id::text AS id, name AS label FROM users WHERE id::text IN (${list(ids)})`,
    customer: (ids) =>
      sql`SELECT id::text AS id, name AS label FROM customers WHERE id::text IN (${list(ids)})`,
    team: (ids) =>
      sql`SELECT id::text AS id, name AS label FROM teams WHERE id::text IN (${list(ids)})`,
  };
  const byType = new Map<string, Set<string>>();
  for (const e of events)
    if (e.targetId && LOOKUPS[e.targetType]) {
      const set = byType.get(e.targetType) ?? new Set<string>();
      set.add(e.targetId);
      byType.set(e.targetType, set);
    }
  const labels = new Map<string, string>();
  for (const [type, ids] of byType) {
    const rows = rowsOf<{ id: string; label: string }>(await ex.execute(LOOKUPS[type]!([...ids])));
    for (const r of rows) labels.set(`${type}:${r.id}`, r.label);
  }
  return labels;
}
