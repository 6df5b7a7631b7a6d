import { describe, expect, it } from 'vitest';
import {
  classifyNoise,
  customerNameFor,
  foldQuoted,
  isBlocked,
  normalizeMessageId,
  overSenderLimit,
  threadKeys,
  ticketNumberInSubject,
  ticketSubject,
} from './inbound.js';

const noise = (headers: Record<string, string>, from = 'a@b.cn', subject = 'hello', ct = null) =>
  classifyNoise({
    headers: new Map(Object.entries(headers)),
    from,
    subject,
    contentType: ct,
  });

describe('inbound mail rules', () => {
  it('normalises Message-IDs and collects thread keys, In-Reply-To first', () => {
    expect(normalizeMessageId(' <abc@host> ')).toBe('abc@host');
    expect(normalizeMessageId('')).toBeNull();
    expect(threadKeys('<b@x>', '<a@x> <b@x>')).toEqual(['b@x', 'a@x']);
    expect(threadKeys(null, ['<a@x>', '<c@x>'])).toEqual(['c@x', 'a@x']);
    expect(threadKeys(null, null)).toEqual([]);
  });

  it('finds the ticket number in brackets only', () => {
    expect(ticketNumberInSubject('Re: [KF-2026-000123] 发票')).toBe('KF-2026-000123');
    expect(ticketNumberInSubject('回复：[kf-2026-000123]')).toBe('KF-2026-000123');
    expect(ticketNumberInSubject('KF-2026-000123 without brackets')).toBeNull();
    expect(ticketNumberInSubject('Re: 发票')).toBeNull();
  });

  it('classifies auto-replies, bulk mail and bounces; ordinary mail is not noise', () => {
    expect(noise({ 'auto-submitted': 'auto-replied' })?.kind).toBe('auto_reply');
    expect(noise({ 'auto-submitted': 'no' })).toBeNull();
    expect(noise({ precedence: 'bulk' })?.kind).toBe('bulk');
    expect(noise({ precedence: 'list' })?.kind).toBe('bulk');
    expect(noise({ 'list-id': '<news.example>' })?.kind).toBe('bulk');
    expect(noise({}, 'MAILER-DAEMON@mx.example')?.kind).toBe('bounce');
    expect(noise({ 'x-failed-recipients': 'x@y' })?.kind).toBe('bounce');
    expect(noise({}, 'a@b.cn', 'Out of Office: back Monday')?.kind).toBe('auto_reply');
    expect(noise({}, 'a@b.cn', '自动回复：休假中')?.kind).toBe('auto_reply');
    expect(noise({})).toBeNull();
    expect(noise({}, 'a@b.cn', 'Re: office hours question')).toBeNull();
  });

  it('blocks whole addresses and domains, case-insensitively', () => {
    const list = ['@spam.test', 'bad@example.test'];
    expect(isBlocked('X@Spam.Test', list)).toBe(true);
    expect(isBlocked('bad@example.test', list)).toBe(true);
    expect(isBlocked('good@example.test', list)).toBe(false);
    expect(isBlocked('a@notspam.test', list)).toBe(false);
  });

  it('limits senders at the configured count', () => {
    expect(overSenderLimit(2, 3)).toBe(false);
    expect(overSenderLimit(3, 3)).toBe(true);
  });

  it('folds quoted history and signatures away', () => {
    expect(foldQuoted('new text\n\nOn Mon, 1 Dec 2026 Kefu wrote:\n> old')).toEqual({
      visible: 'new text',
      folded: 'On Mon, 1 Dec 2026 Kefu wrote:\n> old',
    });
    expect(foldQuoted('你好\n在 2026年12月1日，客服 写道：\n> 旧').visible).toBe('你好');
    expect(foldQuoted('thanks\n-- \nLi Hua | ACME').visible).toBe('thanks');
    expect(foldQuoted('> only a quote').visible).toBe('> only a quote');
    expect(foldQuoted('plain').folded).toBe('');
  });

  it('names customers and cleans subjects', () => {
    expect(customerNameFor('王芳', 'w@x.cn')).toBe('王芳');
    expect(customerNameFor('', 'li.hua@x.cn')).toBe('li.hua');
    expect(ticketSubject('Re: Fwd: 回复：发票')).toBe('发票');
    expect(ticketSubject('')).toBe('(no subject)');
    expect(ticketSubject('x'.repeat(300))).toHaveLength(200);
  });
});
