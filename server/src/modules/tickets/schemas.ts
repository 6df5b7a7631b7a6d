import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { SLA_RISKS } from './rules/sla-risk.js';
import { customerTierSchema, newCustomerFields } from '../customers/schemas.js';
import {
  CHANNELS,
  CLOSE_KINDS,
  PRIORITIES,
  QUEUES,
  STATUSES,
  TIERS,
  TIMELINE_KINDS,
} from './rules/vocabulary.js';

export const channelSchema = z.enum(CHANNELS);
export const tierSchema = z.enum(TIERS);
export const prioritySchema = z.enum(PRIORITIES);
export const statusSchema = z.enum(STATUSES);
export const categoryKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'a category key such as after_sales')
  .describe('A key of GET /ticket-categories');

const ref = z.object({ id: z.uuid(), name: z.string() });

export const ticketSchema = z
  .object({
    id: z.uuid(),
    number: z.string().describe('KF-<year>-<6 digits>'),
    channel: channelSchema,
    category: z.string(),
    tier: tierSchema,
    priority: prioritySchema,
    subject: z.string(),
    description: z.string(),
    customer: z.object({ id: z.uuid(), name: z.string(), tier: customerTierSchema }),
    receivedAt: z.iso.datetime(),
    registeredAt: z.iso.datetime(),
    registeredBy: ref,
    receivingAgent: ref,
    owner: ref.describe('First-contact owner (首问负责制): changes only by a supervisor'),
    team: ref.nullable(),
    handler: ref.nullable(),
    status: statusSchema,
    greenChannel: z.boolean(),
    tags: z.array(z.string()),
    customFields: z
      .record(z.string(), z.unknown())
      .describe('Custom field values by key (GET /ticket-fields)'),
    version: z.number().int().describe('Send as If-Match: "<version>" on writes'),
    slaDueAt: z.iso
      .datetime()
      .nullable()
      .describe('Earliest due time of the running (or breached, not yet met) SLA clocks'),
    slaRisk: z
      .enum(SLA_RISKS)
      .nullable()
      .describe('breached once slaDueAt passed, warning once a warning time did; null: none runs'),
    registration: z
      .object({ complete: z.boolean(), missing: z.array(z.string()) })
      .describe('先登记、后处理: a ticket moves past new only when complete'),
    firstResponseAt: z.iso.datetime().nullable(),
    acceptedAt: z.iso.datetime().nullable(),
    resolvedAt: z.iso.datetime().nullable(),
    confirmedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    closeKind: z.enum(CLOSE_KINDS).nullable(),
    archivedAt: z.iso.datetime().nullable(),
    mergedInto: z.object({ id: z.uuid(), number: z.string() }).nullable(),
    followUp: z
      .object({
        reason: z.string(),
        plan: z.string(),
        dueAt: z.iso.datetime(),
        doneAt: z.iso.datetime().nullable(),
      })
      .nullable(),
    returnVisit: z
      .object({
        visitedAt: z.iso.datetime(),
        by: ref,
        outcome: z.string(),
        customerAccepted: z.boolean(),
      })
      .nullable(),
    allowedTransitions: z.array(statusSchema).describe('What you may move this ticket to now'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Ticket' });

export type TicketView = z.infer<typeof ticketSchema>;

export const timelineEntrySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(TIMELINE_KINDS),
    at: z.iso.datetime(),
    actor: ref.nullable().describe('null for the customer (portal) and the system'),
    visibility: z.enum(['public', 'internal']),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });

export type TimelineEntryView = z.infer<typeof timelineEntrySchema>;

const tags = z.array(z.string().trim().min(1).max(50)).max(20);

/** Custom field values by key; checked against GET /ticket-fields by the service (422). */
export const customFieldValues = z
  .record(z.string().max(40), z.unknown())
  .refine((v) => Object.keys(v).length <= 100, 'at most 100 fields')
  .describe('Custom field values by key; null clears one');

export const createTicketBody = z.strictObject({
  channel: channelSchema,
  category: categoryKey,
  tier: tierSchema.optional().describe('Default: the category default (complaint ⇒ L3)'),
  priority: prioritySchema.default('general'),
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().max(20000).default(''),
  customerId: z.uuid().optional(),
  customer: z.strictObject(newCustomerFields).optional().describe('Registers a new customer'),
  receivedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Past times only for phone and walk-in entries'),
  tags: tags.default([]),
  customFields: customFieldValues.optional(),
});

export type CreateTicketInput = z.output<typeof createTicketBody>;

/** Writes accept the version in the body as an alternative to If-Match. */
const version = z.number().int().min(1).optional().describe('Alternative to If-Match');

export const patchTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(20000).optional(),
  category: categoryKey.optional(),
  tier: tierSchema.optional(),
  priority: prioritySchema.optional(),
  tags: tags.optional(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  customFields: customFieldValues.optional().describe('Keys to set; null clears; others kept'),
  version,
});

export type PatchTicketInput = z.output<typeof patchTicketBody>;

export const followUpBody = z.strictObject({
  plan: z.string().trim().min(1).max(2000),
  dueAt: z.iso.datetime({ offset: true }),
});

export const transitionBody = z.strictObject({
  to: statusSchema,
  reason: z.string().trim().max(2000).optional(),
  reasonVisibleToCustomer: z
    .boolean()
    .optional()
    .describe(
      'Show the reason to the customer (help centre, confirmation page); internal by default',
    ),
  followUp: followUpBody.optional(),
  customerConfirmed: z
    .boolean()
    .optional()
    .describe('Closing a resolved ticket: the customer acknowledged the solution to you'),
  version,
});

export type TransitionInput = z.output<typeof transitionBody>;

export const assignBody = z.strictObject({
  teamId: z.uuid().nullable().optional(),
  handlerId: z.uuid().nullable().optional(),
  autoHandler: z
    .boolean()
    .optional()
    .describe('Pick the least-loaded member of the team as handler (ties rotate)'),
  version,
});

export const ownerBody = z.strictObject({
  ownerId: z.uuid(),
  reason: z.string().trim().min(1).max(2000),
  version,
});

export const replyBody = z.strictObject({
  body: z.string().trim().min(1).max(20000),
  visibility: z.enum(['public', 'internal']),
  attachmentIds: z
    .array(z.uuid())
    .max(20)
    .optional()
    .describe(
      'Files already uploaded to this ticket that go with the reply (a public reply: public files only)',
    ),
});

export const returnVisitBody = z.strictObject({
  visitedAt: z.iso.datetime({ offset: true }),
  outcome: z.string().trim().min(1).max(5000),
  customerAccepted: z.boolean(),
  version,
});

export const followUpDoneBody = z.strictObject({
  note: z.string().trim().max(2000).optional(),
  version,
});

export const mergeBody = z.strictObject({ intoId: z.uuid(), version });
export const linkBody = z.strictObject({ otherId: z.uuid() });

export const bulkBody = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(100),
  action: z.enum(['assign', 'transition']),
  teamId: z.uuid().nullable().optional(),
  handlerId: z.uuid().nullable().optional(),
  autoHandler: z.boolean().optional(),
  to: statusSchema.optional(),
  reason: z.string().trim().max(2000).optional(),
  reasonVisibleToCustomer: z
    .boolean()
    .optional()
    .describe(
      'Show the reason to the customer (help centre, confirmation page); internal by default',
    ),
  followUp: followUpBody.optional(),
});

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .trim()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(20))
    .optional();

/** `due_asc`: due soonest first (earliest due time of the running SLA clocks), none last. */
export const SORTS = ['received_desc', 'received_asc', 'updated_desc', 'due_asc'] as const;

export const listTicketsQuery = pageQuery.extend({
  queue: z.enum(QUEUES).default('all'),
  status: csv(STATUSES),
  channel: csv(CHANNELS),
  category: z
    .string()
    .trim()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(categoryKey).max(20))
    .optional(),
  tier: csv(TIERS),
  priority: csv(PRIORITIES),
  ownerId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  handlerId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  tag: z.string().trim().max(50).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Received at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('Received before'),
  q: z.string().trim().max(200).optional().describe('Number, subject, description, customer name'),
  customField: z
    .string()
    .trim()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]{1,39}:[^,]{1,100}$/, 'key:value')).max(10))
    .optional()
    .describe('Custom field filters key:value (select, multiselect, boolean), all must hold'),
  sort: z.enum(SORTS).default('received_desc'),
});

export type ListTicketsQuery = z.output<typeof listTicketsQuery>;

export const countsSchema = z
  .object(
    Object.fromEntries(QUEUES.map((q) => [q, z.number().int()])) as Record<
      (typeof QUEUES)[number],
      z.ZodNumber
    >,
  )
  .meta({ id: 'QueueCounts' });

export const ticketParams = z.object({ id: z.uuid() });
