import { describe, expect, it } from 'vitest';
import {
  courtesyMissing,
  courtesyOf,
  findPhrases,
  SPEC_FORBIDDEN_PHRASES,
  SPEC_REQUIRED_PHRASES,
} from './phrases.js';

const required = SPEC_REQUIRED_PHRASES;

// Real polite replies agents send (from the demo tickets and the examples): none of them
// contains all five of the script's required phrases, and none should be warned about.
const POLITE = [
  '您好！您的订单已经发出，快递单号是 SF1234567890，预计明天送达。祝您生活愉快！',
  '你好，退款已经原路退回，一般 1–3 个工作日到账。',
  '已为您登记换货，新的商品会在两天内寄出，给您带来不便敬请谅解。',
  '亲爱的用户：关于发票的问题，我们已经重新开具，请查收邮件。如有其他问题，欢迎随时联系我们。',
  '感谢您的耐心等待，问题已经解决了。',
  '非常感谢您的反馈，我们会转给产品团队。',
  '早上好～保修期内的维修是免费的，请携带发票到就近的服务网点。',
  '您 好，已经帮您 改好了地址。',
  '尊敬的客户，您的投诉我们已经受理，主管会在 4 小时内联系您。谢谢！',
  'Hello Ms Wang, your parcel left our warehouse this morning.',
  'Hi, the refund has been issued. Let us know if anything else comes up.',
  'Your replacement ships tomorrow. Thanks for your patience!',
  'Dear customer,\n\nthe invoice is attached.\n\nBest regards,\nKefu support',
  'Good morning! The repair is covered by the warranty.',
];

const IMPOLITE = [
  '已处理。',
  '单号 SF1234567890',
  '退款三天到账',
  'Done. The refund was issued.',
  'This is fixed in this version.', // "hi" inside "this" is not a greeting
  '我亲自查了，没问题。',
];

describe('courtesy check', () => {
  it.each(POLITE)('does not warn on a polite reply: %s', (text) => {
    expect(courtesyMissing(text, required)).toEqual([]);
  });

  it.each(IMPOLITE)('lists the required phrases for a reply with no courtesy: %s', (text) => {
    expect(courtesyMissing(text, required).map((r) => r.phrase)).toEqual(
      required.map((r) => r.phrase),
    );
  });

  it('tells greeting from closing, ignoring punctuation and whitespace', () => {
    expect(courtesyOf('您，好！问题已解决', required)).toMatchObject({
      greeting: true,
      closing: false,
    });
    expect(courtesyOf('问题已解决。祝 您 愉快', required)).toMatchObject({
      greeting: false,
      closing: true,
    });
    expect(courtesyOf('请 稍等，我查一下', required)).toMatchObject({ scripted: true });
  });

  it('accepts a required phrase of a custom script', () => {
    expect(courtesyMissing('欢迎光临本店', [{ phrase: '欢迎光临' }])).toEqual([]);
    expect(courtesyMissing('已处理', [{ phrase: '欢迎光临' }])).toEqual([{ phrase: '欢迎光临' }]);
  });

  it('warns about nothing when no script requires anything', () => {
    expect(courtesyMissing('已处理', [])).toEqual([]);
  });
});

describe('forbidden phrases', () => {
  it('match across whitespace and punctuation with offsets into the original text', () => {
    const text = '抱歉，这不是，我的 职责。';
    const [hit] = findPhrases(text, SPEC_FORBIDDEN_PHRASES);
    expect(hit?.phrase).toBe('这不是我的职责');
    expect(text.slice(hit!.start, hit!.end)).toBe('这不是，我的 职责');
  });
});
