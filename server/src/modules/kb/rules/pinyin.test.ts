import { describe, expect, it } from 'vitest';
import { buildSoundIndex, pinyinKeys, soundAlikes } from './pinyin.js';

const index = buildSoundIndex([
  { word: '发票', df: 40 },
  { word: '还款', df: 120 },
  { word: '逾期', df: 60 },
  { word: '预期', df: 1 },
  { word: '绑定', df: 30 },
  { word: '飘扬', df: 2 },
  { word: '洗衣', df: 50 },
]);

describe('pinyin typo candidates', () => {
  it('spells words by every reading of polyphonic characters', () => {
    expect(pinyinKeys('还款')).toEqual(expect.arrayContaining(['hai kuan', 'huan kuan']));
    expect(pinyinKeys('发漂')).toEqual(['fa piao']);
    expect(pinyinKeys('还')).toEqual([]);
    expect(pinyinKeys('refund')).toEqual([]);
  });

  it('suggests frequent index words that sound like a rare query word', () => {
    expect(soundAlikes('发漂', 0, index)).toEqual(['发票']);
    expect(soundAlikes('环款', 0, index)).toEqual(['还款']);
    expect(soundAlikes('预期', 1, index)).toEqual(['逾期']);
    expect(soundAlikes('邦定', 0, index)).toEqual(['绑定']);
  });

  it('leaves words alone that are common enough to be meant, or sound like nothing frequent', () => {
    expect(soundAlikes('发票', 40, index)).toEqual([]);
    expect(soundAlikes('逾期', 60, index)).toEqual([]);
    expect(soundAlikes('飘洋', 0, index)).toEqual([]);
    expect(soundAlikes('退货', 0, index)).toEqual([]);
    // Two characters apart is not a typo (a bigram across two words: 线一 / 洗衣).
    expect(soundAlikes('线一', 0, index)).toEqual([]);
  });
});
