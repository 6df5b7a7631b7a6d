import { eq } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { kbArticles } from '../../../db/schema/index.js';
import { markdownToText } from '../rules/text.js';
import { tokensText } from './segment.js';

/** The three token columns of an article's live content; the database derives the tsvector. */
export function searchColumns(title: string, tags: readonly string[], body: string) {
  return {
    searchTitleTokens: tokensText(title),
    searchKeywords: tokensText(tags.join(' ')),
    searchTokens: tokensText(markdownToText(body)),
  };
}

/** Re-indexes only the tags (they are not versioned: a change is live at once). */
export async function reindexKeywords(tx: Executor, articleId: string, tags: readonly string[]) {
  await tx
    .update(kbArticles)
    .set({ searchKeywords: tokensText(tags.join(' ')) })
    .where(eq(kbArticles.id, articleId));
}
