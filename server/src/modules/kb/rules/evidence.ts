/**
 * How evidence from use becomes a ranking bonus (pure). The questions an article answered are
 * treated like an extra field of the article: for each term of a new question, BM25-style
 * saturation of its uses for the article (hits / (hits + k)) times its rarity among articles with
 * evidence (a product name used for twenty articles says little about which; 晚还 used only for
 * the overdue articles says much), weighted like the term in text search. The sum is capped, so
 * evidence reorders close candidates and brings in articles the words miss, but never buries a
 * strong text match under many clicks.
 */
export interface EvidencePolicy {
  /** Bonus of an article with full evidence, in text-rank units. */
  weight: number;
  /** Evidence sum at which the bonus stops growing. */
  saturation: number;
  /** Saturation of repeated uses (BM25's k): hits / (hits + k). */
  k: number;
}

export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = { weight: 0.15, saturation: 4, k: 1 };

export function evidenceBonus(
  rows: readonly {
    term: string;
    articleId: string;
    hits: number;
    spread: number;
    articles: number;
  }[],
  termWeight: (term: string) => number,
  policy: EvidencePolicy = DEFAULT_EVIDENCE_POLICY,
): Map<string, number> {
  const sum = new Map<string, number>();
  for (const r of rows) {
    const idf = Math.log(1 + (r.articles - r.spread + 0.5) / (r.spread + 0.5));
    const tf = r.hits / (r.hits + policy.k);
    sum.set(r.articleId, (sum.get(r.articleId) ?? 0) + termWeight(r.term) * idf * tf);
  }
  const out = new Map<string, number>();
  for (const [id, e] of sum) out.set(id, policy.weight * Math.min(1, e / policy.saturation));
  return out;
}
