import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { MAIL_LOCALES } from '../mail/rules/templates.js';
import { statusSchema } from '../tickets/schemas.js';
import { emailSchema } from '../users/schemas.js';

const localeSchema = z.enum(MAIL_LOCALES);

export const requestCodeBody = z.strictObject({
  email: emailSchema,
  locale: localeSchema.optional().describe('Language of the mail for a new account'),
});

export const verifyCodeBody = z.strictObject({
  email: emailSchema,
  code: z.string().trim().min(1).max(20),
  locale: localeSchema.optional(),
});

export const passwordSignInBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(200),
});

export const setPasswordBody = z.strictObject({
  newPassword: z.string().max(200),
  currentPassword: z
    .string()
    .max(200)
    .optional()
    .describe('Required unless this session was opened with a mailed code'),
});

export const accountSchema = z
  .object({
    email: z.string(),
    name: z.string(),
    locale: localeSchema,
    hasPassword: z.boolean(),
  })
  .meta({ id: 'PortalAccount' });

export const portalSessionAnswer = z.object({
  data: z.object({ account: accountSchema, csrfToken: z.string() }),
});

export const requestSummarySchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    subject: z.string(),
    status: statusSchema,
    category: z.string(),
    channel: z.string(),
    receivedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    awaitingConfirmation: z.boolean(),
  })
  .meta({ id: 'PortalRequest' });

export const portalEventSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    at: z.iso.datetime(),
    author: z.enum(['you', 'staff', 'system']),
    authorName: z.string().nullable().describe('Staff display name only; null otherwise'),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'PortalTimelineEntry' });

export const requestDetailSchema = requestSummarySchema
  .extend({
    description: z.string(),
    canReply: z.boolean(),
    timeline: z.array(portalEventSchema),
  })
  .meta({ id: 'PortalRequestDetail' });

export const submitRequestBody = z.strictObject({
  category: z.string().trim().min(1).max(50),
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(10_000),
});

export const replyRequestBody = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  attachmentIds: z
    .array(z.uuid())
    .max(20)
    .optional()
    .describe('Files already uploaded to this request (POST …/attachments) that go with the reply'),
});

export const portalAttachmentSchema = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    mimeType: z.string().describe('Detected from the content, not from the name'),
    size: z.number().int(),
    url: z.string().describe('Where the signed-in customer downloads it (same origin)'),
  })
  .meta({ id: 'PortalAttachment' });

export const attachmentParams = z.object({ id: z.uuid() });

export const decisionBody = z.strictObject({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().max(2000).optional(),
});

export const requestParams = z.object({ id: z.uuid() });
export const listRequestsQuery = pageQuery;

export const portalCategorySchema = z
  .object({ key: z.string(), labelZh: z.string(), labelEn: z.string() })
  .meta({ id: 'PortalCategory' });

export const portalSettingsSchema = z
  .object({
    codeTtlMinutes: z.number().int().min(1).max(120),
    codeMaxAttempts: z.number().int().min(1).max(20),
    sessionTtlHours: z.number().int().min(1).max(720),
    intakeUserId: z
      .uuid()
      .nullable()
      .describe('Receiving agent of portal requests; null: the first administrator'),
  })
  .meta({ id: 'PortalSettings' });

export const patchPortalSettingsBody = z.strictObject(portalSettingsSchema.partial().shape);
