import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { hanBigrams, hasCjk, keepTokens } from '../rules/query.js';

let jieba: Jieba | undefined;
/** Words administrators added (kb_dictionary), loaded into jieba beside its own dictionary. */
let userWords: readonly string[] = [];
let kind: 'jieba' | 'intl' = 'jieba';
const intl = new Intl.Segmenter('zh-CN', { granularity: 'word' });

/** For the measured comparison in the search-quality test only: jieba is the product's choice. */
export function chooseSegmenter(next: 'jieba' | 'intl'): void {
  kind = next;
}

/** The jieba segmenter (prebuilt native module), loaded once on first use. */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    // A high frequency: an added word wins over the pieces jieba would cut it into.
    if (userWords.length)
      jieba.loadDict(Buffer.from(userWords.map((w) => `${w} 100000 n`).join('\n')));
  }
  return jieba;
}

/** The words of the administrators' dictionary now in use (sorted). */
export const dictionaryWords = () => userWords;

/**
 * Replaces the administrators' words. jieba cannot forget a word, so a change rebuilds the
 * segmenter (tens of milliseconds, only when the list changed).
 */
export function useDictionary(words: readonly string[]): boolean {
  const next = [...new Set(words)].sort();
  if (next.length === userWords.length && next.every((w, i) => w === userWords[i])) return false;
  userWords = next;
  jieba = undefined;
  return true;
}

/**
 * Words of a text for the search index and for queries: Chinese through jieba's search mode
 * (which also emits the shorter words inside long ones: 保修期 → 保修, 保修期), other scripts
 * split on non-letters. Lower-cased, punctuation and stop words removed.
 */
export function segment(raw: string): string[] {
  // Variant characters customers mix up: one form in the index and in queries.
  const text = raw.replace(/帐/g, '账');
  if (!hasCjk(text)) return keepTokens(text.split(/[^\p{L}\p{N}]+/u));
  if (kind === 'intl') return keepTokens([...intl.segment(text)].map((s) => s.segment));
  // Without HMM: unknown pairs such as 想换 or 券能 stay two words and still match.
  return keepTokens(segmenter().cutForSearch(text, false));
}

/**
 * What the index stores for a text: its words, then the character bigrams that are not already
 * words (see `hanBigrams`). Queries match both; ranking weighs a bigram below a word.
 */
export function indexTokens(text: string): string[] {
  const words = segment(text);
  const seen = new Set(words);
  return [...words, ...hanBigrams(text.replace(/帐/g, '账')).filter((b) => !seen.has(b))];
}

/** Space-joined tokens, the form stored in the `search_*` columns. */
export const tokensText = (text: string) => indexTokens(text).join(' ');
