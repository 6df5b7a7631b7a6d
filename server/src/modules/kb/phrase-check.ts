import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import type { KbPhrases } from '../../db/schema/index.js';
import { courtesyMissing, findPhrases, type PhraseRule } from './rules/phrases.js';

/** Forbidden and required phrases of every live script, with the script they come from. */
export async function livePhrases(ex: Executor) {
  const rows = rowsOf<{ id: string; title: string; phrases: KbPhrases }>(
    await ex.execute(sql`
      SELECT a.id, a.title, v.phrases
      FROM kb_articles a JOIN kb_versions v ON v.id = a.live_version_id
      WHERE a.type = 'script'
      ORDER BY a.title, a.id`),
  );
  const forbidden: (PhraseRule & { articleTitle: string })[] = [];
  const required: (PhraseRule & { articleTitle: string })[] = [];
  for (const r of rows) {
    for (const f of r.phrases.forbidden)
      forbidden.push({ ...f, articleId: r.id, articleTitle: r.title });
    for (const q of r.phrases.required)
      required.push({ ...q, articleId: r.id, articleTitle: r.title });
  }
  return { forbidden, required };
}

/**
 * What the ticket reply box calls: forbidden phrases found (with positions); the required phrases
 * only when the reply has neither a greeting, a polite closing nor any required phrase.
 */
export async function phraseCheck(ex: Executor, text: string) {
  const { forbidden, required } = await livePhrases(ex);
  return {
    forbidden: findPhrases(text, forbidden),
    requiredMissing: courtesyMissing(text, required).map((r) => ({
      phrase: r.phrase,
      articleId: r.articleId ?? null,
    })),
  };
}
