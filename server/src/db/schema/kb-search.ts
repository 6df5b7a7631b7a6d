// Knowledge-base search dictionary (migrations 0027_search.sql, 0047 synonyms).
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.js';
import { users } from './foundation.js';

export const kbDictionary = pgTable('kb_dictionary', {
  id: uuid('id').primaryKey().defaultRandom(),
  word: text('word').notNull(),
  synonyms: text('synonyms').array().notNull().default([]),
  createdAt: at('created_at').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
});
