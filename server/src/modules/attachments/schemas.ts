import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';

export const visibilitySchema = z.enum(['public', 'internal']);

export const attachmentSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid().nullable(),
    articleId: z.uuid().nullable(),
    filename: z.string(),
    mimeType: z.string().describe('Detected from the content, not from the name'),
    size: z.number().int(),
    sha256: z.string(),
    visibility: visibilitySchema,
    uploadedBy: z.object({
      kind: z.enum(['user', 'customer', 'system']),
      id: z.uuid().nullable(),
      name: z.string().nullable(),
    }),
    createdAt: z.iso.datetime(),
    url: z.string().describe('Where to download it (same origin)'),
  })
  .meta({ id: 'Attachment' });
export type AttachmentView = z.infer<typeof attachmentSchema>;

/** What a timeline entry (upload or reply) carries about a file. */
export const attachmentRefSchema = z.object({
  id: z.uuid(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  visibility: visibilitySchema,
});
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

export const articleImageSchema = attachmentSchema
  .extend({ markdown: z.string().describe('Paste into the article body') })
  .meta({ id: 'ArticleImage' });

export const idParams = z.object({ id: z.uuid() });

export const listQuery = pageQuery.extend({ visibility: visibilitySchema.optional() });

/** Multipart text fields sent with the file. */
export const ticketUploadFields = z.object({
  visibility: visibilitySchema.default('internal'),
});

export const settingsSchema = z
  .object({
    maxFileBytes: z.number().int(),
    maxImageBytes: z.number().int(),
    allowedTypes: z.array(z.string()),
  })
  .meta({ id: 'AttachmentSettings' });

const mime = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/, 'a media type such as image/png');

export const settingsPatch = z.strictObject({
  maxFileBytes: z.number().int().min(1024).max(1_073_741_824).optional(),
  maxImageBytes: z.number().int().min(1024).max(1_073_741_824).optional(),
  allowedTypes: z.array(mime).max(100).optional(),
});

export const multipartNote =
  'Send `multipart/form-data` with one part named `file`. 413 `file_too_large` past the ' +
  'size limit (attachment settings); 415 `unsupported_file_type` with `detectedType` when the ' +
  'content (not the name) is not an allowed type.';
