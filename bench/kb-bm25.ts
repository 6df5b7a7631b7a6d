/**
 * The plain baselines of the kb-search-quality bench, shared with the offline ranking lab
 * (bench/kb-rank-lab.ts): `Intl.Segmenter` words, character bigrams, Okapi BM25 over one field,
 * and the product names the bench adds to the search dictionary.
 */
import { markdownToText } from '../server/src/modules/kb/rules/text.js';

const intl = new Intl.Segmenter('zh-CN', { granularity: 'word' });
/** Plain words: Intl.Segmenter's word-like segments, lower-cased; no stop words, no synonyms. */
export const wordsOf = (text: string) =>
  [...intl.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());
export const bigramsOf = (text: string) => {
  const out: string[] = [];
  for (const run of text.match(/\p{Script=Han}+/gu) ?? [])
    for (let i = 0; i + 1 < run.length; i += 1) out.push(run.slice(i, i + 2));
  return out;
};

/** Okapi BM25 (k1 1.2, b 0.75) over title + body as one field: the baseline. */
export function bm25(
  docs: { id: string; title: string; body: string }[],
  tokens: (t: string) => string[],
) {
  const k1 = 1.2;
  const b = 0.75;
  const postings = new Map<string, Map<number, number>>();
  const lengths: number[] = [];
  docs.forEach((d, i) => {
    const terms = tokens(`${d.title}\n${markdownToText(d.body)}`);
    lengths.push(terms.length);
    for (const t of terms) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = new Map()));
      list.set(i, (list.get(i) ?? 0) + 1);
    }
  });
  const n = docs.length;
  const avg = lengths.reduce((a, x) => a + x, 0) / n;
  return (q: string): string[] => {
    const scores = new Map<number, number>();
    for (const t of new Set(tokens(q))) {
      const list = postings.get(t);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.size + 0.5) / (list.size + 0.5));
      for (const [doc, tf] of list) {
        const s = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[doc]!) / avg));
        scores.set(doc, (scores.get(doc) ?? 0) + s);
      }
    }
    return [...scores]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, 10)
      .map(([doc]) => docs[doc]!.id);
  };
}

/**
 * Other names customers use for the workspace's products, added with them to the search
 * dictionary as an administrator would after reading failed searches: taken from the misses of
 * the finance set's TUNING questions only (LAB_MISSES=1 in bench/kb-rank-lab.ts), never from
 * held-out ones.
 */
export const PRODUCT_SYNONYMS: Record<string, string[]> = {
  储蓄卡: ['借记卡'],
  车贷: ['汽车贷款'],
  房贷: ['房屋贷款'],
  手机银行: ['银行app'],
  免密支付: ['免密'],
};

/** The dictionary the bench and the lab give the search: product names and their synonyms. */
export const dictionaryEntries = (withSynonyms: boolean) => [
  ...PRODUCT_NAMES.map((word) => ({ word, synonyms: [] as string[] })),
  ...(withSynonyms
    ? Object.entries(PRODUCT_SYNONYMS).map(([word, synonyms]) => ({ word, synonyms }))
    : []),
];

/** Product names a workspace like this one would add to its search dictionary. */
export const PRODUCT_NAMES = [
  '花呗',
  '借呗',
  '网商贷',
  '备用金',
  '白条',
  '微粒贷',
  '消费贷',
  '余额宝',
  '零钱通',
  '亲情卡',
];
