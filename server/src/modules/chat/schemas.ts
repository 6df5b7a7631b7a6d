import { z } from 'zod';

const ref = z.object({ id: z.uuid(), name: z.string() });
const clientId = z.string().trim().min(1).max(100);
const body = z.string().trim().min(1).max(5000);

export const visitBody = z.strictObject({
  siteKey: z.string().trim().min(8).max(100),
  token: z.string().max(1000).optional(),
  userId: z.string().trim().min(1).max(200).optional(),
  userHash: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/)
    .optional(),
});

export const visitSchema = z
  .object({
    token: z.string(),
    conversationId: z.uuid(),
    state: z.enum(['bot', 'waiting', 'active', 'closed', 'offline']),
    lastSeq: z.number().int(),
    open: z.boolean(),
    botEnabled: z.boolean(),
  })
  .meta({ id: 'ChatVisit' });

export const messageSchema = z
  .object({
    seq: z.number().int(),
    author: z.enum(['visitor', 'bot', 'agent', 'system']),
    agentName: z.string().nullable(),
    clientId: z.string().nullable(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
  })
  .meta({ id: 'ChatMessage' });

const queueItem = z.object({
  id: z.uuid(),
  state: z.enum(['bot', 'waiting', 'active', 'closed', 'offline']),
  customerName: z.string(),
  ticketId: z.uuid().nullable(),
  ticketNumber: z.string().nullable(),
  team: ref.nullable(),
  queuedAt: z.iso.datetime().nullable(),
  waitSeconds: z.number().int(),
  lastSeq: z.number().int(),
  visitorReadSeq: z.number().int(),
  agentReadSeq: z.number().int(),
});

export const queueSchema = z
  .object({
    waiting: z.array(queueItem),
    mine: z.array(queueItem),
    stats: z
      .object({
        queueLength: z.number().int(),
        activeCount: z.number().int(),
        longestWaitSeconds: z.number().int(),
      })
      .nullable(),
    concurrencyLimit: z.number().int(),
  })
  .meta({ id: 'ChatQueue' });

export const conversationSchema = z
  .object({
    id: z.uuid(),
    state: z.enum(['bot', 'waiting', 'active', 'closed', 'offline']),
    ticketId: z.uuid().nullable(),
    agentId: z.uuid().nullable(),
    mine: z.boolean(),
    rating: z.number().int().nullable(),
    visitorReadSeq: z.number().int(),
    messages: z.array(messageSchema),
  })
  .meta({ id: 'ChatConversation' });

export const agentMessageBody = z.strictObject({ clientId, body });
export const transferBody = z.strictObject({
  agentId: z.uuid().optional(),
  teamId: z.uuid().optional(),
});

export const cannedSchema = z
  .object({ id: z.uuid(), title: z.string(), body: z.string() })
  .meta({ id: 'ChatCannedReply' });

export const settingsSchema = z
  .object({
    enabled: z.boolean(),
    agentConcurrency: z.number().int().min(1).max(50),
    botEnabled: z.boolean(),
    botAnswers: z.number().int().min(1).max(10),
    botMaxMisses: z.number().int().min(1).max(10),
    ticketCategory: z.string().min(1).max(100),
    visitorCookieDays: z.number().int().min(1).max(400),
    idleCloseMinutes: z
      .number()
      .int()
      .min(0)
      .max(1440)
      .describe('Minutes of visitor silence before an open chat is closed; 0 = never'),
  })
  .meta({ id: 'ChatSettings' });
export const settingsPatch = settingsSchema.partial().strict();

export const siteSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    publicKey: z.string(),
    secret: z.string(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ChatSite' });
export const createSiteBody = z.strictObject({ name: z.string().trim().min(1).max(200) });

/** What the widget sends over the WebSocket. */
export const visitorFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('msg'), cid: clientId, body }),
  z.object({ t: z.literal('feedback'), solved: z.boolean() }),
  z.object({ t: z.literal('person') }),
  z.object({ t: z.literal('typing') }),
  z.object({ t: z.literal('read'), seq: z.number().int().min(0) }),
  z.object({ t: z.literal('rate'), score: z.number().int().min(1).max(5) }),
  z.object({ t: z.literal('close') }),
  z.object({
    t: z.literal('leave'),
    name: z.string().trim().min(1).max(100),
    contact: z.string().trim().min(3).max(200),
    body,
  }),
  z.object({ t: z.literal('ping') }),
]);

/** What the agent console sends over its WebSocket. */
export const agentFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('watch'), conversationId: z.uuid() }),
  z.object({ t: z.literal('typing'), conversationId: z.uuid() }),
  z.object({ t: z.literal('read'), conversationId: z.uuid(), seq: z.number().int().min(0) }),
  z.object({ t: z.literal('ping') }),
]);

export const visitorFileSchema = z
  .object({
    seq: z.number().int(),
    attachment: z.object({
      id: z.uuid(),
      filename: z.string(),
      mimeType: z.string(),
      size: z.number().int(),
    }),
  })
  .meta({ id: 'ChatVisitorFile' });
