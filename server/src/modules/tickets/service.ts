import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { customers, ticketEvents, tickets } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import {
  deferAudit,
  flushDeferredAudit,
  recordAudit,
  type AuditContext,
} from '../audit/service.js';
import { insertCustomer } from '../customers/service.js';
import { lockTicket, saveTicket, staff, systemContext, type TicketRow } from './access.js';
import { assignByRules } from './assignment-rules.js';
import { activeCategoryOrProblem, requireActiveCategory } from './categories.js';
import { registrationReferences, resolveCustomFields } from './custom-fields.js';
import { notifySupervisorsOfL3 } from './notifications.js';
import { nextTicketNumber } from './numbers.js';
import { presentTicket, presentTickets } from './present.js';
import { receivedAtProblem } from './rules/registration.js';
import { defaultTier, escalatesToGreenChannel, isGreenChannel } from './rules/tiers.js';
import { BACKDATABLE_CHANNELS, type Channel, type Tier } from './rules/vocabulary.js';
import type { CreateTicketInput, PatchTicketInput } from './schemas.js';
import { getSettingsCached } from './settings.js';
import { customerLocaleSql } from './sla-actions.js';
import { afterNewTicketsSla, newTicketsSlaCtes, planNewTicketSla } from './sla-link.js';
import { appendEvent, eventValues } from './timeline.js';

/** What the audit log keeps of a ticket's fields. */
export const ticketSnapshot = (t: TicketRow) => ({
  number: t.number,
  status: t.status,
  channel: t.channel,
  category: t.category,
  tier: t.tier,
  priority: t.priority,
  subject: t.subject,
  description: t.description,
  customerId: t.customerId,
  ownerId: t.ownerId,
  teamId: t.teamId,
  handlerId: t.handlerId,
  tags: t.tags,
  receivedAt: t.receivedAt.toISOString(),
  closeKind: t.closeKind,
  customFields: t.customFields,
});

function checkReceivedAt(channel: Channel, receivedAt: Date, registeredAt: Date) {
  const problem = receivedAtProblem(
    receivedAt,
    registeredAt,
    BACKDATABLE_CHANNELS.includes(channel),
  );
  if (problem) throw problems.invalid([{ path: 'receivedAt', message: problem }]);
}

/** L3 ⇒ green channel, and every supervisor is told the moment a ticket becomes L3. */
async function escalateIfNeeded(
  tx: Executor,
  before: Tier | null,
  t: TicketRow,
  ctx: AuditContext,
) {
  if (escalatesToGreenChannel(before, t.tier as Tier)) await notifySupervisorsOfL3(tx, t, ctx);
}

/**
 * Registers a ticket (受理登记). The caller is the receiving agent and the owner (首问负责制).
 * A phone or walk-in entry may carry a past received time; who entered it and when are kept.
 */
export async function createTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: CreateTicketInput,
) {
  return db.transaction(async (tx) => {
    // Registration's audit rows (the acknowledgement's, the ticket's, a new customer's) in one
    // insert; nothing here reads the audit log.
    deferAudit(tx);
    const { row, duplicates } = await registerTicket(tx, ctx, actor, input);
    const settings = await getSettingsCached(tx);
    const [data] = await presentTickets(tx, [row], actor, ctx.at, settings);
    await flushDeferredAudit(tx);
    return { data: data!, duplicates };
  });
}

/**
 * `createTicket` inside the caller's transaction, without presenting the ticket: what mail
 * intake uses to register many tickets in one transaction (docs/mail.md, "Throughput").
 * `customer` skips the customer look-up when the caller has just read or written that row.
 * `number`: one the caller took already (`nextTicketNumbers`). `ack` is the off-hours
 * acknowledgement written with the ticket, if any.
 */
export async function registerTicket(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor,
  input: CreateTicketInput,
  known?: KnownForRegistration,
): Promise<RegisteredTicket> {
  const [done] = await writeTickets(tx, [await planTicket(tx, ctx, actor, input, known)]);
  return done!;
}

export interface KnownForRegistration {
  customer?: { id: string; tier: string; locale: string | null };
  number?: string;
}

export interface RegisteredTicket {
  row: TicketRow;
  duplicates: { id: string; name: string }[];
  ack: { id: string; body: string | null } | null;
}

/**
 * A ticket planned in Node, not written yet (`planTicket`): its id, number, row, SLA clocks and
 * due summary, and timeline entries. Only reads happen while planning (and the customer insert
 * when the input registers one), so several plans can be written together (`writeTickets`).
 */
export interface TicketPlan {
  ctx: AuditContext;
  actor: Actor;
  values: typeof tickets.$inferInsert & { id: string };
  sla: Awaited<ReturnType<typeof planNewTicketSla>>;
  /** The `created` entry, then the off-hours acknowledgement (a public reply) if any. */
  events: (typeof ticketEvents.$inferInsert)[];
  duplicates: { id: string; name: string }[];
}

/** The first half of `registerTicket`: checks and plans the ticket without writing it. */
export async function planTicket(
  tx: Executor,
  ctx: AuditContext,
  actor: Actor,
  input: CreateTicketInput,
  known?: KnownForRegistration,
): Promise<TicketPlan> {
  const settings = await getSettingsCached(tx);
  const refs = await registrationReferences(tx, input.category);
  const category = activeCategoryOrProblem(refs.category, input.category);
  if (input.customerId && input.customer)
    throw problems.invalid([
      { path: 'customer', message: 'give either customerId or a new customer, not both' },
    ]);
  let customerId = input.customerId;
  let customerTier: string;
  // For the off-hours acknowledgement; a customer registered here has no portal account.
  let customerLocale: string | null = null;
  let duplicates: { id: string; name: string }[] = [];
  if (customerId && known?.customer?.id === customerId) {
    customerTier = known.customer.tier;
    customerLocale = known.customer.locale;
  } else if (customerId) {
    const [customer] = await tx
      .select({ tier: customers.tier, locale: customerLocaleSql(customerId) })
      .from(customers)
      .where(eq(customers.id, customerId));
    if (!customer) throw problems.notFound('Customer', 'customerId');
    customerTier = customer.tier;
    customerLocale = customer.locale;
  } else if (input.customer) {
    const created = await insertCustomer(tx, ctx, actor, input.customer);
    customerId = created.row.id;
    customerTier = created.row.tier;
    duplicates = created.duplicates;
  } else {
    throw problems.invalid([
      {
        path: 'customerId',
        message: 'name the customer (customerId) or register one (customer)',
      },
    ]);
  }
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : ctx.at;
  checkReceivedAt(input.channel, receivedAt, ctx.at);
  const tier = defaultTier(category.key, input.tier, category.defaultTier);
  const { values: customFields } = await resolveCustomFields(
    tx,
    { category: category.key, current: {}, submitted: input.customFields, mode: 'create' },
    refs.definitions,
  );
  const number = known?.number ?? (await nextTicketNumber(tx, ctx.at, settings.timeZone));
  // The id is chosen here so the SLA clocks can be planned before the row is written: one
  // insert carries the due time (docs/benchmarks.md, tickets-create).
  const id = randomUUID();
  const sla = await planNewTicketSla(
    tx,
    {
      id,
      channel: input.channel,
      number,
      customerLocale,
      facts: {
        channel: input.channel,
        category: category.key,
        tier,
        priority: input.priority,
        customerTier,
        receivedAt: receivedAt.getTime(),
      },
    },
    ctx.at,
  );
  const values = {
    id,
    number,
    channel: input.channel,
    category: category.key,
    tier,
    priority: input.priority,
    subject: input.subject,
    description: input.description,
    customerId,
    receivedAt,
    registeredAt: ctx.at,
    registeredBy: actor.userId,
    receivingAgentId: actor.userId,
    ownerId: actor.userId,
    greenChannel: isGreenChannel(tier),
    tags: [...new Set(input.tags)],
    customFields,
    slaDueAt: sla.slaDueAt,
    slaWarnAt: sla.slaWarnAt,
    createdAt: ctx.at,
    updatedAt: ctx.at,
  };
  const backdated = ctx.at.getTime() - receivedAt.getTime() > 60_000;
  const created = eventValues(id, ctx, staff(actor), {
    kind: 'created',
    data: {
      number,
      channel: values.channel,
      category: values.category,
      tier: values.tier,
      priority: values.priority,
      greenChannel: values.greenChannel,
      receivedAt: receivedAt.toISOString(),
      ...(backdated && {
        backdated: true,
        enteredBy: { id: actor.userId, name: actor.name },
        enteredAt: ctx.at.toISOString(),
      }),
    },
  });
  // The `created` entry and the acknowledgement (a public reply after it); the clocks they
  // move are planned above.
  const events = sla.ack ? [created, sla.ack.event] : [created];
  return { ctx, actor, values, sla, events, duplicates };
}

/**
 * The second half of `registerTicket`, for one plan or a batch of them (mail intake): the
 * tickets in one insert, their SLA clocks and timers in one statement, their timeline entries
 * in one insert; then, ticket by ticket in order, what reads or changes the written ticket
 * (a repeating acknowledgement met, L3 notification, assignment rules, audit) — each ticket
 * sees the ones before it exactly as if each had been registered alone before it (a later
 * ticket of the batch has no handler, team or assignment entry yet, so it changes no
 * candidate's load). Results in the order of `plans`.
 */
export async function writeTickets(
  tx: Executor,
  plans: readonly TicketPlan[],
): Promise<RegisteredTicket[]> {
  if (plans.length === 0) return [];
  // One statement: the tickets, their SLA clocks and timers, their timeline entries (CTEs; the
  // foreign keys to the new tickets are checked at the statement's end). The entries' ids are
  // chosen here, so the acknowledgement's is known without reading it back.
  const events = plans.flatMap((p) => p.events.map((e) => ({ ...e, id: randomUUID() })));
  const planned = plans.map((p) => ({ ticketId: p.values.id, sla: p.sla, now: p.ctx.at }));
  const eventsCte = tx
    .$with('new_ticket_events')
    .as(tx.insert(ticketEvents).values(events).returning({ id: ticketEvents.id }));
  const ticketsCte = tx.$with('new_tickets').as(
    tx
      .insert(tickets)
      .values(plans.map((p) => p.values))
      .returning(),
  );
  const inserted = await tx
    .with(...newTicketsSlaCtes(tx, planned), eventsCte, ticketsCte)
    .select()
    .from(ticketsCte);
  const byId = new Map(inserted.map((r) => [r.id, r]));
  await afterNewTicketsSla(tx, planned);
  // A new ticket's only `reply` entry is its acknowledgement.
  const acks = new Map(events.filter((e) => e.kind === 'reply').map((e) => [e.ticketId, e]));
  const out: RegisteredTicket[] = [];
  for (const p of plans) {
    let row = byId.get(p.values.id);
    if (!row) throw new Error('ticket insert returned no row');
    const { ctx, sla } = p;
    if (sla.ack) await recordAudit(tx, systemContext(ctx.at), sla.ack.audit);
    await escalateIfNeeded(tx, null, row, ctx);
    // SPEC 2: an L2 ticket goes to the team of the first matching assignment rule.
    row = await assignByRules(tx, ctx, row);
    await recordAudit(tx, ctx, {
      action: 'ticket.create',
      targetType: 'ticket',
      targetId: row.id,
      before: null,
      after: ticketSnapshot(row),
    });
    const ack = sla.ack ? (acks.get(row.id) ?? null) : null;
    out.push({ row, duplicates: p.duplicates, ack: ack && { id: ack.id, body: ack.body ?? null } });
  }
  return out;
}

const FIELD_KEYS = [
  'subject',
  'description',
  'category',
  'priority',
  'tags',
  'receivedAt',
] as const;

/** Edits a ticket's registration fields; tier changes are their own timeline entries. */
export async function patchTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  patch: PatchTicketInput,
  expectedVersion?: number,
) {
  return db.transaction(async (tx) => {
    const row = await lockTicket(tx, id, staff(actor), expectedVersion ?? patch.version);
    const next: Partial<TicketRow> = {};
    if (patch.subject !== undefined) next.subject = patch.subject;
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.priority !== undefined) next.priority = patch.priority;
    if (patch.tags !== undefined) next.tags = [...new Set(patch.tags)];
    if (patch.receivedAt !== undefined) {
      next.receivedAt = new Date(patch.receivedAt);
      checkReceivedAt(row.channel as Channel, next.receivedAt, row.registeredAt);
    }
    if (patch.category !== undefined && patch.category !== row.category) {
      const category = await requireActiveCategory(tx, patch.category);
      next.category = category.key;
      // Re-filed as a complaint (or any L3-by-default category): escalate unless a tier is given.
      if (patch.tier === undefined && category.defaultTier === 'L3') next.tier = 'L3';
    }
    if (patch.tier !== undefined) next.tier = patch.tier;
    if (next.tier !== undefined) next.greenChannel = isGreenChannel(next.tier as Tier);
    const fields = await resolveCustomFields(tx, {
      category: next.category ?? row.category,
      current: row.customFields,
      submitted: patch.customFields,
      mode: 'update',
    });
    if (fields.changed.length) next.customFields = fields.values;

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of FIELD_KEYS) {
      const from = key === 'receivedAt' ? row.receivedAt.toISOString() : row[key];
      const value = next[key];
      const to = value instanceof Date ? value.toISOString() : value;
      if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to))
        changes[key] = { from, to };
    }
    for (const key of fields.changed)
      changes[`customFields.${key}`] = {
        from: row.customFields[key] ?? null,
        to: fields.values[key] ?? null,
      };
    const tierChanged = next.tier !== undefined && next.tier !== row.tier;
    if (Object.keys(changes).length === 0 && !tierChanged)
      return presentTicket(tx, row, actor, ctx.at);

    let saved = await saveTicket(tx, row, next, ctx.at);
    const doer = staff(actor);
    if (Object.keys(changes).length)
      await appendEvent(tx, id, ctx, doer, { kind: 'field', data: { changes } });
    if (tierChanged) {
      await appendEvent(tx, id, ctx, doer, {
        kind: 'tier',
        data: { from: row.tier, to: saved.tier, greenChannel: saved.greenChannel },
      });
      await escalateIfNeeded(tx, row.tier as Tier, saved, ctx);
      saved = await assignByRules(tx, ctx, saved);
    }
    await recordAudit(tx, ctx, {
      action: 'ticket.update',
      targetType: 'ticket',
      targetId: id,
      before: ticketSnapshot(row),
      after: ticketSnapshot(saved),
    });
    return presentTicket(tx, saved, actor, ctx.at);
  });
}
