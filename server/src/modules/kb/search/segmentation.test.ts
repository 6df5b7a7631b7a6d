import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { SEGMENTATION_GOLD } from '../fixtures/segmentation-gold.js';

/** Word-level precision/recall/F1 of a segmentation against the gold one (span matching). */
function score(segment: (s: string) => string[]) {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  const spans = (words: string[]) => {
    const out = new Set<string>();
    let at = 0;
    for (const w of words) {
      out.add(`${at}:${at + w.length}`);
      at += w.length;
    }
    return out;
  };
  for (const line of SEGMENTATION_GOLD) {
    const words = line.split('/');
    const sentence = words.join('');
    const g = spans(words);
    const p = spans(segment(sentence));
    gold += g.size;
    predicted += p.size;
    for (const s of p) if (g.has(s)) tp += 1;
  }
  const precision = tp / predicted;
  const recall = tp / gold;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

describe('Chinese segmentation: @node-rs/jieba vs Intl.Segmenter', () => {
  it('measures both on the gold set; jieba is the better one', () => {
    const jieba = Jieba.withDict(dict);
    const intl = new Intl.Segmenter('zh-CN', { granularity: 'word' });
    const j = score((s) => jieba.cut(s, true));
    const i = score((s) => [...intl.segment(s)].map((x) => x.segment));
    const fmt = (r: typeof j) =>
      `P ${r.precision.toFixed(3)} R ${r.recall.toFixed(3)} F1 ${r.f1.toFixed(3)}`;
    console.log(
      `segmentation over ${SEGMENTATION_GOLD.length} sentences — jieba: ${fmt(j)}; Intl.Segmenter: ${fmt(i)}`,
    );
    expect(j.f1).toBeGreaterThan(i.f1);
  });
});
