import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';

const uuid = z.uuid();

export const tokenParams = z.object({
  token: z
    .string()
    .min(20)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'a survey token'),
});

export const questionSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'lower-case letters, digits, _'),
    type: z.enum(['solved', 'rating5', 'score100']),
    zh: z.string().trim().min(1).max(200),
    en: z.string().trim().min(1).max(200),
    overall: z.boolean().optional(),
  })
  .meta({ id: 'SurveyQuestion' });

export const templateSchema = z
  .object({
    id: uuid,
    name: z.string(),
    version: z.number().int(),
    questions: z.array(questionSchema),
    allowComment: z.boolean(),
    active: z.boolean(),
    isDefault: z.boolean(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SurveyTemplate' });

export const templateVersionSchema = z
  .object({
    version: z.number().int(),
    name: z.string(),
    questions: z.array(questionSchema),
    allowComment: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SurveyTemplateVersion' });

export const createTemplateBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  questions: z.array(questionSchema).min(1).max(3),
  allowComment: z.boolean().default(true),
});

export const updateTemplateBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  questions: z.array(questionSchema).min(1).max(3).optional(),
  allowComment: z.boolean().optional(),
  active: z.boolean().optional(),
});

export const settingsSchema = z
  .object({
    enabled: z.boolean(),
    sendOn: z.enum(['resolved', 'closed']),
    delayMinutes: z.number().int(),
    channels: z.array(z.enum(['email', 'sms'])),
    linkDays: z.number().int(),
    reminderAfterHours: z.number().int(),
    lowScoreThreshold: z.number().int(),
    followUpDays: z.number().int(),
    templateId: uuid,
  })
  .meta({ id: 'SurveySettings' });

export const settingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  sendOn: z.enum(['resolved', 'closed']).optional(),
  delayMinutes: z.number().int().min(0).max(10080).optional(),
  channels: z
    .array(z.enum(['email', 'sms']))
    .max(2)
    .optional(),
  linkDays: z.number().int().min(1).max(90).optional(),
  reminderAfterHours: z.number().int().min(0).max(720).optional(),
  lowScoreThreshold: z.number().int().min(0).max(100).optional(),
  followUpDays: z.number().int().min(1).max(60).optional(),
  templateId: uuid.optional(),
});

export const publicSurveySchema = z
  .object({
    state: z.enum(['open', 'answered', 'expired']),
    kind: z.enum(['ticket', 'campaign']),
    ticketNumber: z.string().nullable(),
    ticketSubject: z.string().nullable(),
    month: z.string().nullable(),
    questions: z.array(questionSchema),
    allowComment: z.boolean(),
    expiresAt: z.iso.datetime(),
    optedOut: z.boolean(),
  })
  .meta({ id: 'PublicSurvey' });

export const answerBody = z.strictObject({
  answers: z.record(z.string().max(30), z.union([z.boolean(), z.number().int().min(0).max(100)])),
  comment: z.string().max(2000).optional(),
});

export const responseSchema = z
  .object({
    id: uuid,
    kind: z.enum(['ticket', 'campaign']),
    state: z.enum(['open', 'answered', 'expired']),
    ticket: z.object({ id: uuid, number: z.string(), subject: z.string() }).nullable(),
    agent: z.object({ id: uuid, name: z.string() }).nullable(),
    teamId: uuid.nullable(),
    periodMonth: z.string(),
    sentAt: z.iso.datetime(),
    answeredAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    reminderSentAt: z.iso.datetime().nullable(),
    channels: z.array(z.string()),
    solved: z.boolean().nullable(),
    score100: z.number().nullable(),
    answers: z.record(z.string(), z.union([z.boolean(), z.number()])).nullable(),
    comment: z.string().nullable(),
    templateVersion: z.number().int().nullable(),
    followUpAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'SurveyResponse' });

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

export const responsesQuery = pageQuery.extend({
  kind: z.enum(['ticket', 'campaign']).optional(),
  status: z.enum(['answered', 'unanswered', 'low']).optional(),
  agentId: uuid.optional(),
  teamId: uuid.optional(),
  month: month.optional(),
  ticketId: uuid.optional(),
});

export const campaignSchema = z
  .object({
    id: uuid,
    month: z.string(),
    templateId: uuid,
    templateVersion: z.number().int(),
    createdAt: z.iso.datetime(),
    lastRunAt: z.iso.datetime().nullable(),
    sent: z.number().int(),
    answered: z.number().int(),
    skipped: z.number().int(),
    responseRate: z.number().describe('answered / sent, in percent'),
    averageScore: z.number().nullable(),
  })
  .meta({ id: 'SurveyCampaign' });

export const createCampaignBody = z.strictObject({
  month,
  templateId: uuid.optional(),
});
