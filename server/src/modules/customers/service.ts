import { randomUUID } from 'node:crypto';
import { and, desc, eq, ilike, inArray, isNull, like, lt, ne, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { Role } from '../../access/roles.js';
import type { Db, Executor } from '../../db/client.js';
import { attachments, customers, portalAccounts, tickets } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems, type FieldError } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import {
  maskContact,
  maskEmail,
  maskPhone,
  normalisePhone,
  seesFullContact,
} from '../tickets/rules/masking.js';
import type { CustomerTier } from '../tickets/rules/vocabulary.js';
import type { CreateCustomerInput, CustomerView, UpdateCustomerInput } from './schemas.js';

export type CustomerRow = typeof customers.$inferSelect;

export function presentCustomer(row: CustomerRow, roles: readonly Role[]): CustomerView {
  const contact = maskContact({ phone: row.phone, email: row.email, wechat: row.wechat }, roles);
  return {
    id: row.id,
    name: row.name,
    ...contact,
    organisation: row.organisation,
    tier: row.tier as CustomerTier,
    notes: row.notes,
    consent: { contact: row.consentContact, marketing: row.consentMarketing },
    prefersEmail: row.prefersEmail,
    masked: !seesFullContact(roles),
    mergedInto: row.mergedInto,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const PHONE = /^\+?[0-9]{3,20}$/;
const emailCheck = z.email();
/** `customers.email`'s limit (migration 0002). */
const EMAIL_MAX = 254;

/**
 * Why `email` (lower-cased) cannot be a customer's email, or null when it can: what
 * `contactFields` and the table's check accept. Mail intake asks before registering a sender.
 */
export function customerEmailProblem(email: string): string | null {
  if (email.length > EMAIL_MAX) return `longer than ${EMAIL_MAX} characters`;
  if (!emailCheck.safeParse(email.toLowerCase()).success) return 'must be an email address';
  return null;
}

/**
 * Normalises and checks phone and email. A value equal to the masked form of the current one
 * (a form sent back as it was shown) means "unchanged", never "replace with asterisks".
 */
function contactFields(
  input: { phone?: string | null; email?: string | null },
  current: CustomerRow | null,
): { phone?: string | null; email?: string | null } {
  const errors: FieldError[] = [];
  const out: { phone?: string | null; email?: string | null } = {};
  if (input.phone !== undefined) {
    if (input.phone === null || input.phone === '') out.phone = null;
    else if (current?.phone && input.phone === maskPhone(current.phone)) out.phone = current.phone;
    else {
      const phone = normalisePhone(input.phone);
      if (PHONE.test(phone)) out.phone = phone;
      else
        errors.push({ path: 'phone', message: 'must be 3–20 digits with an optional leading +' });
    }
  }
  if (input.email !== undefined) {
    if (input.email === null || input.email === '') out.email = null;
    else if (current?.email && input.email === maskEmail(current.email)) out.email = current.email;
    else {
      const email = input.email.toLowerCase();
      const problem = customerEmailProblem(email);
      if (!problem) out.email = email;
      else errors.push({ path: 'email', message: problem });
    }
  }
  if (errors.length) throw problems.invalid(errors);
  return out;
}

/** Existing customers sharing a phone or email with `c` (de-duplication hints). */
export async function findDuplicates(
  ex: Executor,
  c: { phone: string | null; email: string | null },
  excludeId?: string,
): Promise<{ id: string; name: string }[]> {
  const match = or(
    c.phone ? eq(customers.phone, c.phone) : undefined,
    c.email ? eq(customers.email, c.email) : undefined,
  );
  if (!match) return [];
  return ex
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(
      and(match, isNull(customers.mergedInto), excludeId ? ne(customers.id, excludeId) : undefined),
    )
    .orderBy(desc(customers.createdAt))
    .limit(10);
}

const auditSnapshot = (r: CustomerRow) => ({
  name: r.name,
  phone: r.phone,
  email: r.email,
  wechat: r.wechat,
  organisation: r.organisation,
  tier: r.tier,
  notes: r.notes,
  consentContact: r.consentContact,
  consentMarketing: r.consentMarketing,
  prefersEmail: r.prefersEmail,
});

export type NewCustomer = Pick<CreateCustomerInput, 'name'> &
  Partial<Omit<CreateCustomerInput, 'name'>>;

/** Creates a customer inside `tx` (also used by ticket registration), audited. */
export async function insertCustomer(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor,
  input: NewCustomer,
  /** `hints: false`: no de-duplication hints (mail intake looked the address up already). */
  opts: { hints?: boolean } = {},
): Promise<{ row: CustomerRow; duplicates: { id: string; name: string }[] }> {
  const [row] = await insertCustomers(tx, ctx, actor, [input]);
  if (!row) throw new Error('insert returned no row');
  return { row, duplicates: opts.hints === false ? [] : await findDuplicates(tx, row, row.id) };
}

/**
 * Several customers in one insert, each audited as `customer.create`, without de-duplication
 * hints (mail intake: the addresses were looked up first). Rows in the order of `inputs`.
 */
export async function insertCustomers(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor,
  inputs: NewCustomer[],
): Promise<CustomerRow[]> {
  if (inputs.length === 0) return [];
  const values = inputs.map((input) => {
    const contact = contactFields(input, null);
    return {
      id: randomUUID(),
      name: input.name,
      phone: contact.phone ?? null,
      email: contact.email ?? null,
      wechat: input.wechat ?? null,
      organisation: input.organisation ?? null,
      tier: input.tier ?? 'regular',
      notes: input.notes ?? '',
      consentContact: input.consent?.contact ?? false,
      consentMarketing: input.consent?.marketing ?? false,
      prefersEmail: input.prefersEmail ?? false,
      createdBy: actor.userId,
      createdAt: ctx.at,
      updatedAt: ctx.at,
    };
  });
  const inserted = await tx.insert(customers).values(values).returning();
  const byId = new Map(inserted.map((r) => [r.id, r]));
  const rows = values.map((v) => byId.get(v.id)!);
  for (const row of rows)
    await recordAudit(tx, ctx, {
      action: 'customer.create',
      targetType: 'customer',
      targetId: row.id,
      before: null,
      after: auditSnapshot(row),
    });
  return rows;
}

export async function createCustomer(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: CreateCustomerInput,
) {
  const { row, duplicates } = await db.transaction((tx) => insertCustomer(tx, ctx, actor, input));
  return { data: presentCustomer(row, actor.roles), duplicates };
}

export async function findCustomerRow(ex: Executor, id: string): Promise<CustomerRow | null> {
  const [row] = await ex.select().from(customers).where(eq(customers.id, id));
  return row ?? null;
}

export interface CustomerFilter {
  q?: string;
  phone?: string;
  email?: string;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/** Newest first, keyset on (created_at, id). */
export async function listCustomers(db: Db, f: CustomerFilter, limit: number, after?: CursorKey) {
  const text = f.q ? `%${escapeLike(f.q)}%` : undefined;
  const phonePrefix = f.phone ? normalisePhone(f.phone) : undefined;
  const where: (SQL | undefined)[] = [
    isNull(customers.mergedInto),
    text
      ? or(
          ilike(customers.name, text),
          ilike(customers.phone, `%${escapeLike(normalisePhone(f.q ?? ''))}%`),
          ilike(customers.email, text),
          ilike(customers.organisation, text),
        )
      : undefined,
    phonePrefix ? like(customers.phone, `${escapeLike(phonePrefix)}%`) : undefined,
    f.email ? eq(customers.email, f.email.toLowerCase()) : undefined,
    after
      ? or(
          lt(customers.createdAt, new Date(after.at)),
          and(eq(customers.createdAt, new Date(after.at)), lt(customers.id, after.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(customers)
    .where(and(...where))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(limit + 1);
}

export async function updateCustomer(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  patch: UpdateCustomerInput,
): Promise<CustomerView> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(customers).where(eq(customers.id, id)).for('update');
    if (!current) throw problems.notFound('Customer', 'id');
    const contact = contactFields(patch, current);
    const [row] = await tx
      .update(customers)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...contact,
        ...(patch.wechat !== undefined && { wechat: patch.wechat }),
        ...(patch.organisation !== undefined && { organisation: patch.organisation }),
        ...(patch.tier !== undefined && { tier: patch.tier }),
        ...(patch.notes !== undefined && { notes: patch.notes }),
        ...(patch.consent && {
          consentContact: patch.consent.contact,
          consentMarketing: patch.consent.marketing,
        }),
        ...(patch.prefersEmail !== undefined && { prefersEmail: patch.prefersEmail }),
        updatedAt: ctx.at,
      })
      .where(eq(customers.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'customer.update',
      targetType: 'customer',
      targetId: id,
      before: auditSnapshot(current),
      after: auditSnapshot(row!),
    });
    return presentCustomer(row!, actor.roles);
  });
}

/**
 * The stored forms a typed phone number may have: separators removed, and a mainland mobile
 * number with or without its country code (+86, 86, 0086).
 */
export function phoneVariants(raw: string): string[] {
  const digits = normalisePhone(raw);
  const core = /^(?:\+?86|0086)(1\d{10})$/.exec(digits)?.[1] ?? digits;
  return [...new Set([digits, core, `+86${core}`, `86${core}`])];
}

/**
 * Customers (not merged away) whose phone is the whole number typed, in any of its forms, or
 * whose email is the one typed — the new-ticket form shows them while typing so a known customer
 * is reused instead of registered twice.
 */
export async function matchCustomers(
  ex: Executor,
  input: { phone?: string; email?: string },
): Promise<CustomerRow[]> {
  const digits = input.phone ? normalisePhone(input.phone) : '';
  const email = input.email?.trim().toLowerCase() ?? '';
  const match = or(
    /^\+?\d{7,20}$/.test(digits) ? inArray(customers.phone, phoneVariants(digits)) : undefined,
    email.includes('@') ? eq(customers.email, email) : undefined,
  );
  if (!match) return [];
  return ex
    .select()
    .from(customers)
    .where(and(match, isNull(customers.mergedInto)))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(10);
}

/**
 * Merges the duplicate `sourceId` into `intoId` in one transaction: its tickets, portal accounts
 * and portal uploads move over, contact details the kept customer lacks are copied (and it
 * prefers email when either did), and the duplicate stays as a record (`mergedInto`) hidden from searches. Audited as `customer.merge`.
 */
export async function mergeCustomers(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  sourceId: string,
  intoId: string,
) {
  if (sourceId === intoId)
    throw problems.invalid([{ path: 'intoId', message: 'is the customer being merged' }]);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(customers)
      .where(inArray(customers.id, [sourceId, intoId]))
      .orderBy(customers.id)
      .for('update');
    const source = rows.find((r) => r.id === sourceId);
    const target = rows.find((r) => r.id === intoId);
    if (!source) throw problems.notFound('Customer', 'id');
    if (!target) throw problems.notFound('Customer', 'intoId');
    if (source.mergedInto || target.mergedInto)
      throw problems.conflict('customer_merged', 'This customer was already merged into another.');
    const moved = await tx
      .update(tickets)
      .set({ customerId: target.id })
      .where(eq(tickets.customerId, source.id))
      .returning({ id: tickets.id });
    const accounts = await tx
      .update(portalAccounts)
      .set({ customerId: target.id, updatedAt: ctx.at })
      .where(eq(portalAccounts.customerId, source.id))
      .returning({ id: portalAccounts.id });
    await tx
      .update(attachments)
      .set({ uploadedByCustomerId: target.id })
      .where(eq(attachments.uploadedByCustomerId, source.id));
    const [kept] = await tx
      .update(customers)
      .set({
        phone: target.phone ?? source.phone,
        email: target.email ?? source.email,
        wechat: target.wechat ?? source.wechat,
        organisation: target.organisation ?? source.organisation,
        // Replies by email if either of the two asked for them.
        prefersEmail: target.prefersEmail || source.prefersEmail,
        notes: [target.notes, source.notes].filter((n) => n.trim()).join('\n\n'),
        updatedAt: ctx.at,
      })
      .where(eq(customers.id, target.id))
      .returning();
    await tx
      .update(customers)
      .set({ mergedInto: target.id, mergedAt: ctx.at, updatedAt: ctx.at })
      .where(eq(customers.id, source.id));
    await recordAudit(tx, ctx, {
      action: 'customer.merge',
      targetType: 'customer',
      targetId: target.id,
      before: { kept: auditSnapshot(target), merged: { id: source.id, ...auditSnapshot(source) } },
      after: {
        ...auditSnapshot(kept!),
        mergedFrom: source.id,
        ticketIds: moved.map((m) => m.id),
        portalAccountIds: accounts.map((a) => a.id),
      },
    });
    return {
      data: presentCustomer(kept!, actor.roles),
      moved: { tickets: moved.length, portalAccounts: accounts.length },
    };
  });
}
