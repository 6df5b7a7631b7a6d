/**
 * BM25F (pure): how the search's candidates are re-ranked in Node. Per field (title, tags,
 * body) a term's frequency is length-normalised and weighted, the fields are summed, and the
 * sum is saturated once (Robertson's simple BM25F) — so a word repeated in a long body no longer
 * outweighs the same word in the title, which ts_rank (no saturation, one length norm) let
 * happen. Parameters were chosen on the tuning half of the finance FAQ evaluation only
 * (bench/kb-rank-lab.ts; figures in docs/benchmarks.md, kb-search-quality).
 */
import { BIGRAM_STOP } from './query.js';

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

/**
 * Character evidence added to the BM25F score (pure). The finance FAQ questions are rewordings
 * whose words often differ from the article's while their characters do not (冻住 / 冻结 share
 * 冻, 怎么还 / 还款 share 还): so each of the query's topical Han characters is scored once more
 * by a saturated, field-weighted BM25F over the candidate's raw title and body, weighted by the
 * character's idf; plus the idf-weighted share of the query's characters found in the title,
 * the share of the title's characters found in the query, and the Dice overlap of the two
 * character sets. A character's document frequency is that of the prefix query `'还':*` on the
 * stored tokens (words and bigrams starting with it: counted like any query group). Parameters
 * chosen on tuning questions only — the finance FAQ's tuning half, refusing any setting that
 * loses a top-3 hit on the demo manual's tuned questions (bench/kb-rank-lab.ts LAB_MODE=rerank
 * LAB_GUARD=1 LAB_TOKEN_LENGTHS=1; docs/benchmarks.md, kb-search-quality).
 */
export interface CharPolicy {
  /** Weight of the character BM25F relative to the word BM25F. */
  weight: number;
  k1: number;
  weights: { title: number; body: number };
  b: { title: number; body: number };
  /** Weight of the idf-weighted share of the query's characters found in the title (0–1). */
  cover: number;
  /** Weight of the share of the title's characters found in the query (0–1). */
  precision: number;
  /** Weight of the Dice coefficient of the query's and the title's character sets (0–1). */
  dice: number;
}

export const DEFAULT_CHAR_POLICY: CharPolicy = {
  weight: 0.1,
  k1: 2,
  weights: { title: 1, body: 0.5 },
  b: { title: 0.75, body: 1 },
  cover: 4,
  precision: 2,
  dice: 2,
};

const hanChars = (text: string) => text.replace(/帐/g, '账').match(/\p{Script=Han}/gu) ?? [];
const topical = (text: string) => hanChars(text).filter((c) => !BIGRAM_STOP.has(c));

/** The distinct topical Han characters of a query (帐 → 账; stop characters such as 的, 我 dropped). */
export function queryChars(q: string): string[] {
  return [...new Set(topical(q))];
}

/** A query character and its weight (idf). */
export interface RankChar {
  char: string;
  idf: number;
}

export interface CharDoc {
  title: string;
  /** Plain text of the body (markdownToText). */
  body: string;
  /** Each field's length relative to the corpus mean (the stored token counts ÷ their mean). */
  lengthRatio: { title: number; body: number };
}

/** The character evidence of one candidate for the query's characters (queryChars + idf). */
export function charScore(
  doc: CharDoc,
  chars: readonly RankChar[],
  policy: CharPolicy = DEFAULT_CHAR_POLICY,
): number {
  if (!chars.length) return 0;
  const count = (text: string) => {
    const m = new Map<string, number>();
    for (const c of hanChars(text)) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const title = count(doc.title);
  const body = count(doc.body);
  const norm = (f: 'title' | 'body') => 1 - policy.b[f] + policy.b[f] * doc.lengthRatio[f];
  const nTitle = norm('title');
  const nBody = norm('body');
  let bm25 = 0;
  let covered = 0;
  let idfSum = 0;
  let shared = 0;
  for (const { char, idf } of chars) {
    idfSum += idf;
    const inTitle = title.get(char) ?? 0;
    const tf =
      (policy.weights.title * inTitle) / nTitle +
      (policy.weights.body * (body.get(char) ?? 0)) / nBody;
    if (tf > 0) bm25 += (idf * tf * (policy.k1 + 1)) / (tf + policy.k1);
    if (inTitle) {
      covered += idf;
      shared += 1;
    }
  }
  const titleSet = new Set(topical(doc.title));
  const precision = titleSet.size ? shared / titleSet.size : 0;
  const dice = (2 * shared) / (chars.length + titleSet.size);
  return (
    policy.weight * bm25 +
    policy.cover * (idfSum > 0 ? covered / idfSum : 0) +
    policy.precision * precision +
    policy.dice * dice
  );
}
