import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { MAIL_LOCALES } from './rules/templates.js';

export const mailStatusSchema = z.enum(['queued', 'sent', 'failed', 'expired']);

export const outboxEntrySchema = z
  .object({
    id: z.uuid(),
    to: z.string(),
    subject: z.string().describe('Sign-in code mails show a placeholder, never the code'),
    template: z.string(),
    locale: z.enum(MAIL_LOCALES),
    ticketId: z.uuid().nullable(),
    status: mailStatusSchema,
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime(),
    lastError: z.string().nullable(),
    sentAt: z.iso.datetime().nullable(),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .describe('After this a queued mail is marked expired instead of sent'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OutboxMail' });

export const listOutboxQuery = pageQuery.extend({
  status: mailStatusSchema.optional(),
  ticketId: z.uuid().optional(),
});

export const mailStatusAnswer = z
  .object({
    configured: z
      .boolean()
      .describe('false: KEFU_SMTP_URL / KEFU_MAIL_FROM unset — mail stays queued'),
    from: z.string().nullable(),
    counts: z.object({
      queued: z.number(),
      sent: z.number(),
      failed: z.number(),
      expired: z.number(),
    }),
  })
  .meta({ id: 'MailStatus' });

export const mailParams = z.object({ id: z.uuid() });
