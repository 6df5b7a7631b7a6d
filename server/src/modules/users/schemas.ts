import { z } from 'zod';
import { ROLES } from '../../access/roles.js';
import { pageQuery } from '../../lib/pagination.js';

export const localeSchema = z.enum(['zh-CN', 'en-US']).describe('UI language');
export const roleSchema = z.enum(ROLES);

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    roles: z.array(roleSchema),
    teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
    locale: localeSchema,
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    lastSignInAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'User' });

export type UserView = z.infer<typeof userSchema>;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));

export const createUserBody = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1).max(100),
  password: z.string().max(200).describe('Initial password, at least 10 characters'),
  roles: z.array(roleSchema).min(1).max(ROLES.length),
  teamIds: z.array(z.uuid()).max(50).default([]),
  locale: localeSchema.default('zh-CN'),
});

export const updateUserBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  roles: z.array(roleSchema).min(1).max(ROLES.length).optional(),
  teamIds: z.array(z.uuid()).max(50).optional(),
  locale: localeSchema.optional(),
  active: z.boolean().optional().describe('false deactivates: sign-in refused, sessions ended'),
});

export const listUsersQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('Matches name or email'),
  role: roleSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const idParams = z.object({ id: z.uuid() });
