import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { audienceSchema, FEEDBACK_CATEGORIES, languageSchema, typeSchema } from './schemas.js';

export const snippetSchema = z
  .array(z.object({ text: z.string(), match: z.boolean() }))
  .describe('Passage around the first match; parts with match=true are the matched words');

export const searchHitSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    type: typeSchema,
    language: languageSchema,
    categoryId: z.uuid(),
    audience: audienceSchema,
    rank: z.number(),
    snippet: snippetSchema,
    via: z.enum(['fulltext', 'trigram']),
  })
  .meta({ id: 'KbSearchHit' });

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  language: languageSchema.optional(),
  categoryId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const phraseCheckBody = z.strictObject({ text: z.string().max(20_000) });

export const phraseCheckSchema = z
  .object({
    forbidden: z.array(
      z.object({
        phrase: z.string(),
        suggestion: z.string(),
        articleId: z.string().nullable(),
        start: z.number().int().describe('UTF-16 offset of the match in text'),
        end: z.number().int(),
        match: z.string(),
      }),
    ),
    requiredMissing: z.array(z.object({ phrase: z.string(), articleId: z.string().nullable() })),
  })
  .meta({ id: 'KbPhraseCheck' });

export const feedbackCategorySchema = z.enum(FEEDBACK_CATEGORIES);

export const feedbackBody = z.strictObject({
  helpful: z.boolean(),
  comment: z.string().trim().max(2000).default(''),
  category: feedbackCategorySchema
    .nullable()
    .default(null)
    .describe('process / accuracy / guidance / attitude'),
  query: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('The search that found the article: a helpful vote makes it evidence for search'),
});

export const feedbackSchema = z
  .object({
    id: z.uuid(),
    articleId: z.uuid(),
    articleTitle: z.string(),
    versionId: z.uuid().nullable(),
    source: z.enum(['agent', 'customer']),
    userName: z.string().nullable(),
    helpful: z.boolean(),
    comment: z.string(),
    category: feedbackCategorySchema.nullable(),
    status: z.enum(['open', 'answered', 'revision_requested']),
    answer: z.string().nullable(),
    answeredBy: z.string().nullable(),
    answeredAt: z.iso.datetime().nullable(),
    revisionRequestId: z.uuid().nullable(),
    dueAt: z.iso.datetime().describe('Reply deadline: 30 working days (Mon–Fri)'),
    overdue: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'KbFeedback' });

export const listFeedbackQuery = pageQuery.extend({
  status: z.enum(['open', 'answered', 'revision_requested']).optional(),
  articleId: z.uuid().optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

export const answerBody = z.strictObject({ answer: z.string().trim().min(1).max(5000) });

export const helpArticleSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    body: z.string().describe('Markdown; render it sanitised'),
    type: typeSchema,
    language: languageSchema,
    categoryId: z.uuid(),
    tags: z.array(z.string()),
    version: z.number().int(),
    publishedAt: z.iso.datetime(),
    translations: z.array(z.object({ id: z.uuid(), language: languageSchema, title: z.string() })),
  })
  .meta({ id: 'HelpArticle' });

export const helpListItemSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    type: typeSchema,
    language: languageSchema,
    categoryId: z.uuid(),
    snippet: snippetSchema,
  })
  .meta({ id: 'HelpArticleSummary' });

export const helpCategorySchema = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    name: z.string(),
    description: z.string(),
    articleCount: z.number().int(),
  })
  .meta({ id: 'HelpCategory' });
