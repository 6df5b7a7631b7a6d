// Attachments on tickets and images in knowledge-base articles (migration 0005_attachments.sql).
import { bigint, boolean, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

export const attachmentSettings = pgTable('attachment_settings', {
  id: boolean('id').primaryKey().default(true),
  maxFileBytes: bigint('max_file_bytes', { mode: 'number' }).notNull(),
  maxImageBytes: bigint('max_image_bytes', { mode: 'number' }).notNull(),
  allowedTypes: text('allowed_types').array().notNull(),
  updatedAt: at('updated_at'),
});

export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketId: uuid('ticket_id'),
  articleId: uuid('article_id'),
  visibility: text('visibility').notNull(),
  filename: text('filename').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedByUserId: uuid('uploaded_by_user_id'),
  uploadedByCustomerId: uuid('uploaded_by_customer_id'),
  createdAt: at('created_at').notNull(),
});
