/**
 * Typo candidates for Chinese query words by sound: customers type pinyin and pick the wrong
 * character of the same sound (发漂 for 发票, 环款 for 还款, 预期 for 逾期). Pure: the vocabulary
 * (index words with their document frequency) is given by the caller.
 */
import { pinyin } from 'pinyin-pro';

/** Longest Han word looked at (longer words are rarely mistyped as a whole). */
const MAX_CHARS = 4;
/** Polyphonic characters multiply the readings of a word; a word keeps at most this many. */
const MAX_KEYS = 8;

const readingsCache = new Map<string, string[]>();

/** Toneless readings of one Han character (还 → hai, huan). */
function readings(ch: string): string[] {
  let r = readingsCache.get(ch);
  if (!r) {
    r = [
      ...new Set(
        pinyin(ch, { toneType: 'none', multiple: true, type: 'array' }).filter((s) =>
          /^[a-zü]+$/.test(s),
        ),
      ),
    ];
    if (!r.length) r = [ch];
    readingsCache.set(ch, r);
  }
  return r;
}

/**
 * Every toneless pinyin spelling of a Han word of 2–4 characters (还款 → "hai kuan", "huan kuan");
 * empty for anything else (single characters are too ambiguous to correct).
 */
export function pinyinKeys(word: string): string[] {
  const chars = [...word];
  if (chars.length < 2 || chars.length > MAX_CHARS || !/^\p{Script=Han}+$/u.test(word)) return [];
  let keys = [''];
  for (const ch of chars) {
    const next: string[] = [];
    for (const k of keys) for (const r of readings(ch)) next.push(k ? `${k} ${r}` : r);
    keys = next.slice(0, MAX_KEYS);
  }
  return keys;
}

export interface SoundIndex {
  /** pinyin key → index words with that sound and their document frequency, most frequent first. */
  byKey: Map<string, { word: string; df: number }[]>;
}

/** Groups the index vocabulary by sound. */
export function buildSoundIndex(vocabulary: Iterable<{ word: string; df: number }>): SoundIndex {
  const byKey = new Map<string, { word: string; df: number }[]>();
  for (const entry of vocabulary)
    for (const key of pinyinKeys(entry.word)) {
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(entry);
    }
  for (const list of byKey.values()) list.sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1));
  return { byKey };
}

/** A typo is one wrong character: 发漂 / 发票, not 线一 / 洗衣 (two different characters). */
function oneCharApart(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) diff += 1;
  return diff === 1;
}

export interface TypoPolicy {
  /** A candidate must be in at least this many live articles. */
  minDf: number;
  /** … and in at least this many times more articles than the word typed (plus one). */
  ratio: number;
  /** At most this many candidates per word. */
  max: number;
}

export const DEFAULT_TYPO_POLICY: TypoPolicy = { minDf: 3, ratio: 5, max: 2 };

/**
 * Words of the index that sound like `word`, differ from it in one character, and are much more frequent than it (`df` = the
 * articles that contain `word` itself): the likely intended words. Empty when `word` is common
 * enough to be meant, or nothing sounds like it.
 */
export function soundAlikes(
  word: string,
  df: number,
  index: SoundIndex,
  policy: TypoPolicy = DEFAULT_TYPO_POLICY,
): string[] {
  const floor = Math.max(policy.minDf, policy.ratio * (df + 1));
  const out = new Map<string, number>();
  for (const key of pinyinKeys(word))
    for (const c of index.byKey.get(key) ?? []) {
      if (c.df < floor) break;
      if (oneCharApart(c.word, word)) out.set(c.word, Math.max(out.get(c.word) ?? 0, c.df));
    }
  return [...out]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, policy.max)
    .map(([w]) => w);
}
