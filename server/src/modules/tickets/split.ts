import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/client.js';
import { ticketEvents, ticketLinks, tickets } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { lockTicket, staff } from './access.js';
import { assignByRules } from './assignment-rules.js';
import { requireActiveCategory } from './categories.js';
import { resolveCustomFields } from './custom-fields.js';
import { notifySupervisorsOfL3 } from './notifications.js';
import { nextTicketNumber } from './numbers.js';
import { presentTicket } from './present.js';
import { defaultTier, isGreenChannel } from './rules/tiers.js';
import type { Priority, Tier } from './rules/vocabulary.js';
import { ticketSnapshot } from './service.js';
import { getSettings } from './settings.js';
import { appendEvent } from './timeline.js';

export interface SplitInput {
  subject: string;
  description: string;
  category?: string;
  tier?: Tier;
  priority?: Priority;
  customFields?: Record<string, unknown>;
  /** Timeline entries of the source ticket to copy onto the new one as references. */
  eventIds: string[];
}

/** How much of a referenced entry's text is copied. */
const REFERENCE_BODY_MAX = 2000;

/**
 * Splits a second request out of a ticket: a new ticket for the same customer, on the same
 * channel, owned by the source ticket's first-contact owner (首问负责制) and registered by the
 * caller; both are linked (split_from / split_into) and both timelines say so. One transaction.
 */
export function splitTicket(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: SplitInput,
) {
  return db.transaction(async (tx) => {
    const doer = staff(actor);
    const source = await lockTicket(tx, id, doer);
    if (source.closeKind === 'merged')
      throw problems.conflict(
        'ticket_merged',
        'A merged ticket cannot be split; split its target.',
      );
    const settings = await getSettings(tx);
    const category = await requireActiveCategory(tx, input.category ?? source.category);
    const eventIds = [...new Set(input.eventIds)];
    const referenced = eventIds.length
      ? await tx
          .select()
          .from(ticketEvents)
          .where(and(eq(ticketEvents.ticketId, id), inArray(ticketEvents.id, eventIds)))
      : [];
    const missing = eventIds.filter((e) => !referenced.some((r) => r.id === e));
    if (missing.length)
      throw problems.invalid(
        missing.map((e) => ({
          path: `eventIds.${input.eventIds.indexOf(e)}`,
          code: 'not_found',
          message: 'not an entry of this ticket’s timeline',
        })),
      );
    referenced.sort((a, b) => a.seq - b.seq);
    const { values: customFields } = await resolveCustomFields(tx, {
      category: category.key,
      current: {},
      submitted: input.customFields,
      mode: 'create',
    });
    const tier = defaultTier(category.key, input.tier, category.defaultTier);
    const number = await nextTicketNumber(tx, ctx.at, settings.timeZone);
    const [row] = await tx
      .insert(tickets)
      .values({
        number,
        channel: source.channel,
        category: category.key,
        tier,
        priority: input.priority ?? source.priority,
        subject: input.subject,
        description: input.description,
        customerId: source.customerId,
        receivedAt: ctx.at,
        registeredAt: ctx.at,
        registeredBy: actor.userId,
        receivingAgentId: source.receivingAgentId,
        ownerId: source.ownerId,
        greenChannel: isGreenChannel(tier),
        tags: source.tags,
        customFields,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning();
    if (!row) throw new Error('split ticket insert returned no row');
    const pair = id < row.id ? { a: id, b: row.id } : { a: row.id, b: id };
    await tx.insert(ticketLinks).values({
      ticketA: pair.a,
      ticketB: pair.b,
      kind: 'split',
      sourceId: id,
      createdBy: actor.userId,
      createdAt: ctx.at,
    });
    await appendEvent(tx, row.id, ctx, doer, {
      kind: 'created',
      data: {
        number,
        channel: row.channel,
        category: row.category,
        tier: row.tier,
        priority: row.priority,
        greenChannel: row.greenChannel,
        receivedAt: ctx.at.toISOString(),
        splitFrom: { id, number: source.number },
      },
    });
    await appendEvent(tx, row.id, ctx, doer, {
      kind: 'link',
      data: {
        other: { id, number: source.number },
        split: 'from',
        references: referenced.map((e) => ({
          id: e.id,
          kind: e.kind,
          at: e.at.toISOString(),
          actor: e.actorId ? { id: e.actorId, name: e.actorName ?? '' } : null,
          visibility: e.visibility,
          body: e.body === null ? null : e.body.slice(0, REFERENCE_BODY_MAX),
        })),
      },
    });
    await appendEvent(tx, id, ctx, doer, {
      kind: 'link',
      data: { other: { id: row.id, number, subject: row.subject }, split: 'into' },
    });
    await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, id));
    if (row.tier === 'L3') await notifySupervisorsOfL3(tx, row, ctx);
    const assigned = await assignByRules(tx, ctx, row);
    await recordAudit(tx, ctx, {
      action: 'ticket.split',
      targetType: 'ticket',
      targetId: row.id,
      before: null,
      after: { ...ticketSnapshot(row), splitFromId: id, references: referenced.length },
    });
    return presentTicket(tx, assigned, actor, ctx.at);
  });
}
