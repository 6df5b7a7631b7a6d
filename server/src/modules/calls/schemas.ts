import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { customerSchema } from '../customers/schemas.js';
import { CALL_EVENT_KINDS } from './rules/call-state.js';

export const CALL_STATES = ['ringing', 'answered', 'completed', 'missed'] as const;
export const CALLBACK_STATUSES = ['open', 'done', 'cancelled'] as const;

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .trim()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(10))
    .optional();

export const ctiEventBody = z
  .strictObject({
    eventId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('Unique per provider: repeats are answered as duplicates'),
    callId: z.string().trim().min(1).max(200).describe("The provider's call id"),
    type: z.enum(CALL_EVENT_KINDS),
    occurredAt: z.iso.datetime({ offset: true }).describe("The provider's time of the event"),
    callerNumber: z.string().trim().min(1).max(40),
    agent: z
      .string()
      .trim()
      .max(254)
      .nullish()
      .describe(
        'The Kefu user id or e-mail of the agent the event concerns (transferee for transferred)',
      ),
    queue: z.string().trim().max(100).nullish(),
    recordingUrl: z.url().max(2000).nullish(),
  })
  .meta({ id: 'CtiEvent' });

export const providerParams = z.object({
  provider: z.string().regex(/^[a-z0-9_-]{1,40}$/),
});

export const ingestResultSchema = z.object({
  callId: z.uuid(),
  state: z.enum(CALL_STATES),
  duplicate: z.boolean(),
  ignored: z.boolean().describe('The event did not fit the call state (kept, without effect)'),
});

const ref = z.object({ id: z.uuid(), name: z.string() });

export const callSchema = z
  .object({
    id: z.uuid(),
    provider: z.string(),
    externalId: z.string(),
    state: z.enum(CALL_STATES),
    callerNumber: z.string().describe('Masked unless you are a supervisor/admin'),
    agent: ref.nullable(),
    queue: z.string().nullable(),
    customer: ref.nullable(),
    ticket: z.object({ id: z.uuid(), number: z.string() }).nullable(),
    ringAt: z.iso.datetime(),
    answeredAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    answerMs: z.number().nullable(),
    transfers: z.number(),
    recordingUrl: z.string().nullable(),
    direction: z.enum(['inbound', 'outbound']),
    callback: z
      .object({ id: z.uuid(), status: z.enum(CALLBACK_STATUSES), dueAt: z.iso.datetime() })
      .nullable(),
  })
  .meta({ id: 'Call' });

export const listCallsQuery = pageQuery.extend({
  state: csv(CALL_STATES),
  agentId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  mine: z.enum(['true', 'false']).optional().describe('Only calls that rang at you'),
});

export const screenPopSchema = z
  .object({
    call: callSchema,
    customers: z.array(customerSchema),
    openTickets: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        subject: z.string(),
        status: z.string(),
        customerId: z.uuid(),
        receivedAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'CallScreenPop' });

export const registerTicketBody = z.strictObject({
  customerId: z
    .uuid()
    .optional()
    .describe('Default: the customer the number matches, else a new one'),
  customerName: z.string().trim().min(1).max(100).optional().describe('Name for a new customer'),
  subject: z.string().trim().min(1).max(200).optional(),
  category: z.string().trim().min(1).max(40).default('consultation'),
  description: z.string().trim().max(20000).default(''),
});

export const registeredSchema = z.object({ id: z.uuid(), number: z.string() });

export const callbackSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(CALLBACK_STATUSES),
    dueAt: z.iso.datetime(),
    overdue: z.boolean(),
    outcome: z.string().nullable(),
    note: z.string(),
    attemptedAt: z.iso.datetime().nullable(),
    attemptedBy: ref.nullable(),
    agent: ref.nullable().describe('The agent the call missed; null = anyone'),
    call: callSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CallCallback' });

export const listCallbacksQuery = pageQuery.extend({
  status: csv(CALLBACK_STATUSES),
  mine: z.enum(['true', 'false']).optional().describe("Yours and nobody's"),
});

export const attemptBody = z.strictObject({
  outcome: z.enum(['reached', 'no_answer', 'voicemail']),
  note: z.string().trim().max(2000).default(''),
});

const measureSchema = z.object({
  offered: z.number(),
  answered: z.number(),
  missed: z.number(),
  connectionRate: z.number().nullable().describe('Percent; null with no calls'),
  meanAnswerMs: z.number().nullable(),
});

const peakWindowSchema = z.strictObject({
  start: z.string().max(5).describe('HH:MM, workspace time zone'),
  end: z.string().max(5),
  days: z.array(z.number().int()).max(7).optional().describe('ISO weekdays; default Mon–Fri'),
});

export const statsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Default: 30 days ago'),
  to: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
  agentId: z.uuid().optional(),
});

export const statsSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    timeZone: z.string(),
    overall: measureSchema,
    peak: measureSchema,
    windows: z.array(measureSchema.extend({ window: peakWindowSchema })),
    openCallbacks: z.number(),
  })
  .meta({ id: 'CallStats' });

export const dialConfig = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('http'),
      url: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .describe('Kefu posts a signed dial request here'),
    }),
    z.strictObject({ kind: z.literal('simulator') }),
  ])
  .meta({ id: 'CtiDialConfig' });

export const settingsSchema = z
  .object({
    providers: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        secretSet: z.boolean(),
        dial: dialConfig.nullable(),
      }),
    ),
    replayWindowSeconds: z.number(),
    peakWindows: z.array(peakWindowSchema),
    callbackDueMinutes: z.number(),
  })
  .meta({ id: 'CallSettings' });

export const settingsPatch = z.strictObject({
  providers: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z0-9_-]{1,40}$/),
        name: z.string().trim().min(1).max(100),
        secret: z.string().min(16).max(200).optional().describe('Omit to keep the current one'),
        dial: dialConfig
          .nullable()
          .optional()
          .describe('Outbound dialling through this provider; omit to keep, null to switch off'),
      }),
    )
    .max(20)
    .optional(),
  replayWindowSeconds: z.number().int().min(10).max(86400).optional(),
  peakWindows: z.array(peakWindowSchema).max(12).optional(),
  callbackDueMinutes: z.number().int().min(1).max(100000).optional(),
});

export const dialBody = z
  .strictObject({
    callbackId: z.uuid().optional(),
    ticketId: z.uuid().optional(),
    customerId: z.uuid().optional(),
    provider: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/)
      .optional()
      .describe('Default: the first provider set up for dialling'),
  })
  .describe('Exactly one of callbackId, ticketId, customerId: whose number to dial');
