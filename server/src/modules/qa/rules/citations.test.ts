import { describe, expect, it } from 'vitest';
import { checkCitations, chineseNumber, figuresOf, type CitedArticle } from './citations.js';

const article = (over: Partial<CitedArticle> = {}): CitedArticle => ({
  articleId: 'a1',
  title: '退换货规定',
  citedVersion: 1,
  citedText: '商品签收后7天内可无理由退货。退款在3个工作日内原路退回。',
  currentVersion: 2,
  currentText: '商品签收后15天内可无理由退货。退款在3个工作日内原路退回。运费补贴¥10。',
  citedAt: '2026-03-01T00:00:00.000Z',
  ...over,
});
const reply = (text: string, at = '2026-03-02T00:00:00.000Z', eventId = 'e1') => ({
  eventId,
  at,
  text,
});

describe('figures', () => {
  it('reads Chinese numerals', () => {
    expect([chineseNumber('七'), chineseNumber('十五'), chineseNumber('二十')]).toEqual([
      7, 15, 20,
    ]);
    expect([chineseNumber('一百二十'), chineseNumber('两'), chineseNumber('百')]).toEqual([
      120, 2, 100,
    ]);
    expect(chineseNumber('x')).toBeNaN();
  });

  it('finds amounts, percentages and time limits with their units', () => {
    const f = figuresOf(
      '请在7天内退货，3个工作日到账，手续费5%，补贴¥10，客服48小时在线，十五天，百分之二十',
    );
    expect(f.map((x) => [x.unit, x.value])).toEqual([
      ['day', 7],
      ['workday', 3],
      ['percent', 5],
      ['money', 10],
      ['hour', 48],
      ['day', 15],
      ['percent', 20],
    ]);
    const text = 'Refunds within 5 working days, a $20 credit, 2 weeks.';
    expect(figuresOf(text).map((x) => [x.unit, x.value, x.text])).toEqual([
      ['workday', 5, '5 working days'],
      ['money', 20, '$20'],
      ['week', 2, '2 weeks'],
    ]);
  });

  it('ignores dates, years, ids and numbers without a unit', () => {
    expect(figuresOf('工单 Q-123，2026年3月5日，订单 2026-03-05，请拨打 400800')).toEqual([]);
    expect(figuresOf('一下，一个问题，十分感谢')).toEqual([]);
  });
});

describe('replies against the cited article’s current version', () => {
  it('flags a figure that was right in the cited version but changed since, with the evidence', () => {
    const [f, ...rest] = checkCitations(
      [reply('您好！签收后7天内可以退货。祝您生活愉快')],
      [article()],
    );
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'citation_contradiction',
      reason: 'changed',
      eventId: 'e1',
      citedVersion: 1,
      currentVersion: 2,
      sentence: '签收后7天内可以退货。',
      figure: '7天',
      currentFigures: ['15天'],
      currentSentence: '商品签收后15天内可无理由退货。',
    });
    expect(f!.sentence.slice(f!.start, f!.end)).toBe('7天');
  });

  it('flags a figure the article never stated (differs), even when not revised', () => {
    const found = checkCitations(
      [reply('退款5个工作日内到账。')],
      [article({ citedVersion: 2, citedText: article().currentText })],
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      reason: 'differs',
      figure: '5个工作日',
      currentFigures: ['3个工作日'],
    });
  });

  it('accepts figures the current text states, units it does not use, and earlier replies', () => {
    expect(checkCitations([reply('15天内可退，3个工作日到账，补贴¥10。')], [article()])).toEqual(
      [],
    );
    expect(checkCitations([reply('我们48小时内回电。')], [article()])).toEqual([]);
    expect(checkCitations([reply('7天内可退。', '2026-02-28T00:00:00.000Z')], [article()])).toEqual(
      [],
    );
    expect(checkCitations([], [article()])).toEqual([]);
    expect(checkCitations([reply('7天内可退。')], [])).toEqual([]);
  });

  it('checks every reply from the citation on, once per figure and article', () => {
    const found = checkCitations(
      [reply('7天内可退。', undefined, 'e1'), reply('再确认：7天，运费补贴¥20。', undefined, 'e2')],
      [
        article(),
        article({
          articleId: 'a2',
          title: '运费',
          currentText: '补贴¥10。',
          citedText: '补贴¥10。',
        }),
      ],
    );
    expect(found.map((f) => [f.articleId, f.eventId, f.figure])).toEqual([
      ['a1', 'e1', '7天'],
      ['a1', 'e2', '7天'],
      ['a1', 'e2', '¥20'],
      ['a2', 'e2', '¥20'],
    ]);
  });
});
