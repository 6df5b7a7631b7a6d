/**
 * BM25F (pure): how the search's candidates are re-ranked in Node. Per field (title, tags,
 * body) a term's frequency is length-normalised and weighted, the fields are summed, and the
 * sum is saturated once (Robertson's simple BM25F) — so a word repeated in a long body no longer
 * outweighs the same word in the title, which ts_rank (no saturation, one length norm) let
 * happen. Parameters were chosen on the tuning half of the finance FAQ evaluation only
 * (bench/kb-rank-lab.ts; figures in docs/benchmarks.md, kb-search-quality).
 */
export interface Bm25fPolicy {
  /** Saturation: how quickly repeated occurrences stop adding (BM25's k1). */
  k1: number;
  /** Weight of an occurrence per field. */
  weights: FieldNumbers;
  /** Length normalisation per field (BM25's b: 0 none, 1 full). */
  b: FieldNumbers;
}

export interface FieldNumbers {
  title: number;
  tags: number;
  body: number;
}

export const DEFAULT_BM25F_POLICY: Bm25fPolicy = {
  k1: 0.6,
  // The lab's best gave tags 0 (the FAQ articles have none); 1 keeps them counting for manuals
  // whose tags carry synonyms, at the same tuning recall@3.
  weights: { title: 8, tags: 1, body: 0.5 },
  b: { title: 1, tags: 0.75, body: 0.75 },
};

/** One query term: its alternatives (synonyms), prefix matching, and its weight (idf × role). */
export interface RankTerm {
  alternatives: readonly string[];
  /** Alternatives also match the index words they start (a one-character word: 还 → 还款). */
  prefix: boolean;
  weight: number;
}

export interface FieldTokens {
  title: readonly string[];
  tags: readonly string[];
  body: readonly string[];
}

const FIELDS = ['title', 'tags', 'body'] as const;

/** The BM25F score of one article for the query terms, given the corpus's mean field lengths. */
export function bm25fScore(
  doc: FieldTokens,
  terms: readonly RankTerm[],
  meanLengths: FieldNumbers,
  policy: Bm25fPolicy = DEFAULT_BM25F_POLICY,
): number {
  const norm = FIELDS.map(
    (f) => 1 - policy.b[f] + (policy.b[f] * doc[f].length) / Math.max(meanLengths[f], 1e-9),
  );
  let score = 0;
  for (const term of terms) {
    let tf = 0;
    FIELDS.forEach((f, i) => {
      if (!policy.weights[f]) return;
      let n = 0;
      for (const token of doc[f])
        if (term.alternatives.some((a) => token === a || (term.prefix && token.startsWith(a))))
          n += 1;
      tf += (policy.weights[f] * n) / norm[i]!;
    });
    if (tf > 0) score += (term.weight * tf * (policy.k1 + 1)) / (tf + policy.k1);
  }
  return score;
}
