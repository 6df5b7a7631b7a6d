import { z } from 'zod';
import { STAFF_ROLES } from '../../access/roles.js';
import { pageQuery } from '../../lib/pagination.js';
import { VERSION_STATUSES, WORKFLOW_ACTIONS } from './rules/workflow.js';

export const ARTICLE_TYPES = [
  'faq',
  'sop',
  'standard',
  'script',
  'policy',
  'emergency_plan',
  'appendix',
] as const;
export const AUDIENCES = [
  'internal',
  'all_customers',
  'tier:vip',
  'tier:regular',
  'tier:prospect',
] as const;
export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export const FEEDBACK_CATEGORIES = ['process', 'accuracy', 'guidance', 'attitude'] as const;

export type ArticleType = (typeof ARTICLE_TYPES)[number];
export type Audience = (typeof AUDIENCES)[number];
export type Language = (typeof LANGUAGES)[number];

export const typeSchema = z.enum(ARTICLE_TYPES);
export const audienceSchema = z
  .enum(AUDIENCES)
  .describe('internal = staff only; all_customers; or one customer tier');
export const languageSchema = z.enum(LANGUAGES);
export const statusSchema = z.enum(VERSION_STATUSES);
export const actionSchema = z.enum(WORKFLOW_ACTIONS);

export const idParams = z.object({ id: z.uuid() });

// ---- categories -------------------------------------------------------------------------

const reviewRole = z.enum(STAFF_ROLES as [string, ...string[]]);

export const categorySchema = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    name: z.string(),
    description: z.string(),
    position: z.number().int(),
    reviewRoles: z
      .tuple([reviewRole, reviewRole, reviewRole])
      .describe('Role deciding the initial review, second review and final approval'),
    reviewIntervalMonths: z.number().int(),
    archived: z.boolean().describe('Archived: keeps its articles, takes no new ones'),
  })
  .meta({ id: 'KbCategory' });
export type CategoryView = z.infer<typeof categorySchema>;

export const createCategoryBody = z.strictObject({
  parentId: z.uuid().nullable().default(null),
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).default(''),
  position: z.number().int().min(0).max(10_000).default(0),
  reviewRoles: z
    .tuple([reviewRole, reviewRole, reviewRole])
    .default(['knowledge_editor', 'supervisor', 'reviewer']),
  reviewIntervalMonths: z.number().int().min(1).max(24).default(3),
});
export const updateCategoryBody = z.strictObject({
  parentId: z.uuid().nullable().optional(),
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  reviewRoles: z.tuple([reviewRole, reviewRole, reviewRole]).optional(),
  reviewIntervalMonths: z.number().int().min(1).max(24).optional(),
  archived: z.boolean().optional(),
});
export const reorderCategoriesBody = z.strictObject({
  ids: z
    .array(z.uuid())
    .min(1)
    .max(500)
    .describe('Categories in their new order; each gets position 10, 20, 30 …'),
});

// ---- versions and articles --------------------------------------------------------------

export const phrasesSchema = z
  .strictObject({
    forbidden: z
      .array(
        z.strictObject({
          phrase: z.string().trim().min(1).max(100),
          suggestion: z.string().trim().max(200).default(''),
        }),
      )
      .max(200)
      .default([]),
    required: z
      .array(z.strictObject({ phrase: z.string().trim().min(1).max(100) }))
      .max(200)
      .default([]),
  })
  .describe('Scripts only: forbidden phrases (禁用语) and required polite phrases (礼貌用语)');

const approvalSchema = z.object({
  step: z.enum(['initial_review', 'second_review', 'final_approval']),
  userId: z.string(),
  userName: z.string(),
  at: z.string(),
  comment: z.string(),
});

export const versionSchema = z
  .object({
    id: z.uuid(),
    articleId: z.uuid(),
    number: z.number().int(),
    status: statusSchema,
    title: z.string(),
    body: z.string().describe('Markdown'),
    audience: audienceSchema,
    phrases: z.object({
      forbidden: z.array(z.object({ phrase: z.string(), suggestion: z.string() })),
      required: z.array(z.object({ phrase: z.string() })),
    }),
    reason: z.string(),
    authorId: z.uuid(),
    authorName: z.string().nullable(),
    approvals: z.array(approvalSchema),
    submittedAt: z.iso.datetime().nullable(),
    publishedAt: z.iso.datetime().nullable(),
    supersededAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    allowedActions: z.array(actionSchema).describe('What the caller may do with this version'),
  })
  .meta({ id: 'KbVersion' });
export type VersionView = z.infer<typeof versionSchema>;

const versionRef = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status: statusSchema,
  title: z.string(),
  audience: audienceSchema,
});

export const articleSchema = z
  .object({
    id: z.uuid(),
    type: typeSchema,
    categoryId: z.uuid(),
    language: languageSchema,
    translationGroup: z.uuid(),
    translations: z.array(z.object({ id: z.uuid(), language: languageSchema, title: z.string() })),
    tags: z.array(z.string()),
    title: z.string(),
    status: statusSchema.describe('Status of the version in progress, else published'),
    liveVersion: versionRef.nullable(),
    workingVersion: versionRef.nullable(),
    publishedAt: z.iso.datetime().nullable(),
    nextReviewAt: z.iso.date().nullable(),
    dueForReview: z.boolean(),
    urgentRevision: z.boolean(),
    urgentReason: z.string().nullable(),
    nextStep: z
      .object({
        action: z.enum(['submit', 'approve', 'publish']),
        step: z.enum(['initial_review', 'second_review', 'final_approval']).nullable(),
        role: z.string().describe("Role that acts next; 'author' for a draft"),
      })
      .nullable()
      .describe('Who acts next on the version in progress; null when nothing is in progress'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'KbArticle' });
export type ArticleView = z.infer<typeof articleSchema>;

export const createArticleBody = z.strictObject({
  type: typeSchema,
  categoryId: z.uuid(),
  language: languageSchema.default('zh-CN'),
  translationOf: z.uuid().optional().describe('Id of the article this one translates'),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  title: z.string().trim().min(1).max(200),
  body: z.string().max(200_000).default(''),
  audience: audienceSchema.default('internal'),
  phrases: phrasesSchema.optional(),
});
export type CreateArticleInput = z.infer<typeof createArticleBody>;

export const updateArticleBody = z.strictObject({
  categoryId: z.uuid().optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
});

export const updateVersionBody = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().max(200_000).optional(),
  audience: audienceSchema.optional(),
  phrases: phrasesSchema.optional(),
  reason: z.string().trim().max(2000).optional(),
});
export type UpdateVersionInput = z.infer<typeof updateVersionBody>;

export const actionBody = z.strictObject({
  action: z.enum(['submit', 'approve', 'reject', 'withdraw', 'publish']),
  comment: z
    .string()
    .trim()
    .max(2000)
    .default('')
    .describe('Required when rejecting: what must change'),
});

export const listArticlesQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('Matches the title'),
  type: typeSchema.optional(),
  categoryId: z.uuid().optional(),
  status: statusSchema.optional(),
  language: languageSchema.optional(),
  tag: z.string().trim().max(40).optional(),
  awaitingMe: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only versions the caller may approve or publish now (one page, no cursor)'),
});

export const revisionRequestBody = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
  proposedChange: z.string().trim().max(20_000).default(''),
  urgent: z.boolean().default(false),
});

export const urgentBody = z.strictObject({
  urgent: z.boolean(),
  reason: z
    .string()
    .trim()
    .max(500)
    .default('')
    .describe('e.g. policy change, incident, complaint'),
});

export const reviewDoneBody = z.strictObject({ comment: z.string().trim().max(2000).default('') });

export const eventSchema = z
  .object({
    id: z.number().int(),
    versionId: z.uuid().nullable(),
    versionNumber: z.number().int().nullable(),
    at: z.iso.datetime(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    step: z.string().nullable(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    comment: z.string(),
  })
  .meta({ id: 'KbEvent' });
export type EventView = z.infer<typeof eventSchema>;
