import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { hasCjk, keepTokens } from '../rules/query.js';

let jieba: Jieba | undefined;
let kind: 'jieba' | 'intl' = 'jieba';
const intl = new Intl.Segmenter('zh-CN', { granularity: 'word' });

/** For the measured comparison in the search-quality test only: jieba is the product's choice. */
export function chooseSegmenter(next: 'jieba' | 'intl'): void {
  kind = next;
}

/** The jieba segmenter (prebuilt native module), loaded once on first use. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/**
 * Words of a text for the search index and for queries: Chinese through jieba's search mode
 * (which also emits the shorter words inside long ones: 保修期 → 保修, 保修期), other scripts
 * split on non-letters. Lower-cased, punctuation and stop words removed.
 */
export function segment(text: string): string[] {
  if (!hasCjk(text)) return keepTokens(text.split(/[^\p{L}\p{N}]+/u));
  if (kind === 'intl') return keepTokens([...intl.segment(text)].map((s) => s.segment));
  // Without HMM: unknown pairs such as 想换 or 券能 stay two words and still match.
  return keepTokens(segmenter().cutForSearch(text, false));
}

/** Space-joined tokens, the form stored in the `search_*` columns. */
export const tokensText = (text: string) => segment(text).join(' ');
