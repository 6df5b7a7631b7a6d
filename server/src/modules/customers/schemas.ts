import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { CUSTOMER_TIERS } from '../tickets/rules/vocabulary.js';

export const customerTierSchema = z.enum(CUSTOMER_TIERS);

export const customerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    phone: z.string().nullable().describe('Masked (138****5678) unless you are a supervisor/admin'),
    email: z.string().nullable().describe('Masked (l***@example.com) unless supervisor/admin'),
    wechat: z.string().nullable(),
    organisation: z.string().nullable(),
    tier: customerTierSchema,
    notes: z.string(),
    consent: z.object({ contact: z.boolean(), marketing: z.boolean() }),
    prefersEmail: z
      .boolean()
      .describe(
        'Agent public replies go to the customer by email even on tickets that came by another channel',
      ),
    masked: z.boolean().describe('true when contact details are masked for your role'),
    mergedInto: z
      .uuid()
      .nullable()
      .describe('Set on a duplicate merged into another customer: that customer’s id'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });

export type CustomerView = z.infer<typeof customerSchema>;

export const duplicateHintSchema = z
  .array(z.object({ id: z.uuid(), name: z.string() }))
  .describe('Existing customers with the same phone or email (de-duplication hints)');

/** Phone and email are checked by the service (a masked value sent back means "unchanged"). */
const phone = z.string().trim().max(40).describe('Digits, spaces, dashes; an optional leading +');
const email = z.string().trim().max(254);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v));

export const newCustomerFields = {
  name: z.string().trim().min(1).max(100).describe('Name or nickname'),
  phone: phone.nullish(),
  email: email.nullish(),
};

export const createCustomerBody = z.strictObject({
  ...newCustomerFields,
  wechat: optionalText(100).nullish(),
  organisation: optionalText(200).nullish(),
  tier: customerTierSchema.default('regular'),
  notes: z.string().trim().max(5000).default(''),
  consent: z
    .strictObject({ contact: z.boolean(), marketing: z.boolean() })
    .default({ contact: false, marketing: false }),
  prefersEmail: z.boolean().default(false).describe('Contact preference: replies by email'),
});

export type CreateCustomerInput = z.output<typeof createCustomerBody>;

export const updateCustomerBody = z.strictObject({
  name: newCustomerFields.name.optional(),
  phone: phone.nullish(),
  email: email.nullish(),
  wechat: optionalText(100).nullish(),
  organisation: optionalText(200).nullish(),
  tier: customerTierSchema.optional(),
  notes: z.string().trim().max(5000).optional(),
  consent: z.strictObject({ contact: z.boolean(), marketing: z.boolean() }).optional(),
  prefersEmail: z.boolean().optional().describe('Contact preference: replies by email'),
});

export type UpdateCustomerInput = z.output<typeof updateCustomerBody>;

export const listCustomersQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('Matches name, phone, email, organisation'),
  phone: z.string().trim().max(40).optional().describe('Phone prefix (look-up as you type)'),
  email: z.string().trim().max(254).optional().describe('Exact email'),
});

export const matchCustomersQuery = z.object({
  phone: z.string().trim().max(40).optional().describe('Whole number, any spacing, +86 or not'),
  email: z.string().trim().max(254).optional().describe('Exact email, any case'),
});

export const mergeCustomerBody = z.strictObject({
  intoId: z.uuid().describe('The customer that stays; this one is merged into it'),
});

export const mergeResultSchema = z
  .object({
    data: customerSchema,
    moved: z.object({ tickets: z.number().int(), portalAccounts: z.number().int() }),
  })
  .meta({ id: 'CustomerMerge' });
