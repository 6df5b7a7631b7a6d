import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { MAIL_LOCALES } from './rules/templates.js';
import { EDITABLE_TEMPLATES } from './rules/editable.js';

export const mailStatusSchema = z.enum(['queued', 'sent', 'failed', 'expired', 'discarded']);

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
    eventId: z.uuid().nullable().describe('The public reply this mail carries, if any'),
    messageId: z.string().nullable(),
    discardedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'OutboxMail' });

/** A reply's delivery by mail, as the ticket's timeline shows it. */
export const deliverySchema = z
  .object({
    mailId: z.uuid(),
    eventId: z.uuid(),
    to: z.string(),
    status: mailStatusSchema,
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime(),
    lastError: z.string().nullable(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'MailDelivery' });
export const deliveriesQuery = z.object({ ticketId: z.uuid() });

export const deadLetterQuery = pageQuery.extend({ ticketId: z.uuid().optional() });

export const templateKeySchema = z.enum(EDITABLE_TEMPLATES);
export const templateParams = z.object({
  template: templateKeySchema,
  locale: z.enum(MAIL_LOCALES),
});
export const templateBody = z.strictObject({
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(20000),
});
export const mailTemplateSchema = z
  .object({
    template: templateKeySchema,
    locale: z.enum(MAIL_LOCALES),
    subject: z.string(),
    body: z.string(),
    customized: z.boolean().describe('false: the built-in text'),
    placeholders: z.array(z.string()),
    required: z.array(z.string()),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'MailTemplate' });
export const templatePreviewSchema = z
  .object({ subject: z.string(), text: z.string(), html: z.string() })
  .meta({ id: 'MailTemplatePreview' });

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
      discarded: z.number(),
    }),
  })
  .meta({ id: 'MailStatus' });

export const mailParams = z.object({ id: z.uuid() });

// ── Inbound (issue 13) ────────────────────────────────────────────────────────────────────

const blocklistEntry = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^([^\s@]+@[^\s@]+\.[^\s@]+|@[^\s@]+\.[^\s@]+)$/,
    'an address (a@b.cn) or a domain (@b.cn)',
  );

export const inboundSettingsSchema = z
  .object({
    smtpEnabled: z.boolean(),
    smtpHost: z.string(),
    smtpPort: z.number().int(),
    smtpTeamId: z.uuid().nullable(),
    defaultCategory: z.string(),
    senderLimit: z.number().int(),
    senderWindowMinutes: z.number().int(),
    maxMessageBytes: z.number().int(),
    blocklist: z.array(z.string()),
    receiver: z
      .object({
        listening: z.boolean(),
        port: z.number().int().nullable(),
        error: z.string().nullable(),
      })
      .describe('The SMTP receiver in this process'),
  })
  .meta({ id: 'MailInboundSettings' });

export const patchInboundSettingsBody = z.strictObject({
  smtpEnabled: z.boolean().optional(),
  smtpHost: z.string().trim().min(1).max(255).optional(),
  smtpPort: z.number().int().min(1).max(65535).optional(),
  smtpTeamId: z.uuid().nullable().optional(),
  defaultCategory: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  senderLimit: z.number().int().min(1).max(10000).optional(),
  senderWindowMinutes: z.number().int().min(1).max(10080).optional(),
  maxMessageBytes: z.number().int().min(1024).max(104857600).optional(),
  blocklist: z.array(blocklistEntry).max(1000).optional(),
});
export type PatchInboundSettings = z.output<typeof patchInboundSettingsBody>;

export const mailboxSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string(),
    host: z.string(),
    port: z.number().int(),
    tls: z.boolean(),
    username: z.string(),
    passwordSet: z.boolean().describe('The password itself is never returned'),
    folder: z.string(),
    teamId: z.uuid().nullable(),
    category: z.string().nullable(),
    pollSeconds: z.number().int(),
    active: z.boolean(),
    lastPolledAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Mailbox' });

const mailboxFields = {
  name: z.string().trim().min(1).max(100),
  address: z.email().max(254).toLowerCase(),
  host: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9.:-]+$/, 'a host name or IP address'),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1000),
  folder: z.string().trim().min(1).max(200),
  teamId: z.uuid().nullable(),
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .nullable(),
  pollSeconds: z.number().int().min(10).max(86400),
  active: z.boolean(),
};

export const createMailboxBody = z.strictObject({
  ...mailboxFields,
  port: mailboxFields.port.default(993),
  tls: mailboxFields.tls.default(true),
  folder: mailboxFields.folder.default('INBOX'),
  teamId: mailboxFields.teamId.default(null),
  category: mailboxFields.category.default(null),
  pollSeconds: mailboxFields.pollSeconds.default(60),
  active: mailboxFields.active.default(true),
});
export type CreateMailboxInput = z.output<typeof createMailboxBody>;

export const patchMailboxBody = z.strictObject({
  name: mailboxFields.name.optional(),
  address: mailboxFields.address.optional(),
  host: mailboxFields.host.optional(),
  port: mailboxFields.port.optional(),
  tls: mailboxFields.tls.optional(),
  username: mailboxFields.username.optional(),
  password: mailboxFields.password.optional().describe('Omit to keep the stored password'),
  folder: mailboxFields.folder.optional(),
  teamId: mailboxFields.teamId.optional(),
  category: mailboxFields.category.optional(),
  pollSeconds: mailboxFields.pollSeconds.optional(),
  active: mailboxFields.active.optional(),
});
export type PatchMailboxInput = z.output<typeof patchMailboxBody>;

export const pollResultSchema = z
  .object({
    fetched: z.number().int(),
    processed: z.number().int(),
    failed: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'MailboxPollResult' });

export const inboundOutcomeSchema = z.enum([
  'ticket',
  'appended',
  'held',
  'accepted',
  'auto_reply',
  'bounce',
  'bulk',
  'blocked',
  'rate_limited',
  'rejected',
]);

export const inboundEntrySchema = z
  .object({
    id: z.uuid(),
    messageId: z.string(),
    source: z.enum(['smtp', 'imap']),
    mailboxId: z.uuid().nullable(),
    from: z.string().nullable(),
    subject: z.string(),
    arrivedAt: z.iso.datetime(),
    outcome: inboundOutcomeSchema,
    reason: z.string().nullable(),
    ticketId: z.uuid().nullable(),
    sizeBytes: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'InboundMail' });

export const listInboundQuery = pageQuery.extend({
  outcome: inboundOutcomeSchema.optional(),
  ticketId: z.uuid().optional(),
});

export const inboundRawSchema = z
  .object({ id: z.uuid(), raw: z.string() })
  .meta({ id: 'InboundMailRaw' });
