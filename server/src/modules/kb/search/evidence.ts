/**
 * Learning from use: questions that an article answered become evidence for it. When an agent
 * cites an article in a ticket, the ticket's subject and description count; when a customer (or
 * agent) marks an article helpful after a search, the search text counts. Each question adds one
 * to (term, article) for its words and character bigrams (migration 0035, `kb_query_evidence`).
 * Search adds a capped bonus from this evidence to the text rank, and the articles it names
 * become candidates even when they share no word with the question (冻住 → 冻结).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../../db/client.js';
import { hanBigrams } from '../rules/query.js';
import { segment } from './segment.js';

/** A question contributes at most this many terms (a long ticket description keeps its first). */
const MAX_TERMS = 40;
/** Per query term, only the articles with the most evidence are read. */
const PER_TERM = 50;

/** The terms of a question, as search sees them: words, then character bigrams not already words. */
export function evidenceTerms(text: string): string[] {
  const words = [...new Set(segment(text))].filter((t) => t.length <= 40);
  const seen = new Set(words);
  const bigrams = hanBigrams(text.replace(/帐/g, '账')).filter((b) => !seen.has(b));
  return [...words, ...bigrams].slice(0, MAX_TERMS);
}

/** One more use of `articleId` for a question with this text (in the caller's transaction). */
export async function recordEvidence(
  ex: Executor,
  text: string,
  articleId: string,
  at: Date,
): Promise<number> {
  const terms = evidenceTerms(text);
  if (!terms.length) return 0;
  await ex.execute(sql`
    INSERT INTO kb_query_evidence (term, article_id, hits, updated_at)
    SELECT t, ${articleId}::uuid, 1, ${at.toISOString()}::timestamptz
    FROM unnest(${`{${terms.map((t) => `"${t.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]) AS t
    ON CONFLICT (term, article_id)
    DO UPDATE SET hits = kb_query_evidence.hits + 1, updated_at = excluded.updated_at`);
  return terms.length;
}

export interface EvidenceRow {
  term: string;
  articleId: string;
  hits: number;
  /** Articles with evidence for the term. */
  spread: number;
  /** Articles with any evidence. */
  articles: number;
}

/** Evidence for the given terms: per term, the PER_TERM articles with the most uses. */
export async function evidenceFor(ex: Executor, terms: readonly string[]): Promise<EvidenceRow[]> {
  if (!terms.length) return [];
  const list = `{${terms.map((t) => `"${t.replace(/["\\]/g, '')}"`).join(',')}}`;
  return rowsOf<{
    term: string;
    article_id: string;
    hits: number;
    spread: number;
    articles: number;
  }>(
    await ex.execute(sql`
      SELECT term, article_id, hits, spread,
             (SELECT count(DISTINCT article_id)::int FROM kb_query_evidence) AS articles FROM (
        SELECT term, article_id, hits,
               count(*) OVER (PARTITION BY term)::int AS spread,
               row_number() OVER (PARTITION BY term ORDER BY hits DESC, article_id) AS n
        FROM kb_query_evidence WHERE term = ANY (${list}::text[])) e
      WHERE n <= ${PER_TERM}`),
  ).map((r) => ({
    term: r.term,
    articleId: r.article_id,
    hits: r.hits,
    spread: r.spread,
    articles: r.articles,
  }));
}
