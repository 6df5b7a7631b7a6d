import { describe, expect, it } from 'vitest';
import { asksForPerson, hasCapacity, onFeedback, onQuestion, waitSeconds } from './bot.js';
import { signVisitor, verifyUserHash, verifyVisitor, macOf } from './identity.js';

describe('FAQ assistant rules', () => {
  it('recognises a request for a person in Chinese and English', () => {
    expect(asksForPerson('我要转人工')).toBe(true);
    expect(asksForPerson('Can I talk to a person?')).toBe(true);
    expect(asksForPerson('如何修改密码')).toBe(false);
  });
  it('answers when the search finds something, hands over on no match or when asked', () => {
    expect(onQuestion('如何修改密码', 2)).toEqual({ kind: 'answer' });
    expect(onQuestion('如何修改密码', 0)).toEqual({ kind: 'handoff', reason: 'no_match' });
    expect(onQuestion('转人工', 3)).toEqual({ kind: 'handoff', reason: 'asked' });
  });
  it('a second miss hands over (the limit is a setting)', () => {
    expect(onFeedback(true, 0, 2)).toEqual({ kind: 'solved' });
    expect(onFeedback(false, 0, 2)).toEqual({ kind: 'rephrase' });
    expect(onFeedback(false, 1, 2)).toEqual({ kind: 'handoff', reason: 'misses' });
    expect(onFeedback(false, 0, 1)).toEqual({ kind: 'handoff', reason: 'misses' });
  });
  it('counts waiting seconds and agent capacity', () => {
    const t = new Date('2026-03-02T02:00:00Z');
    expect(waitSeconds(t, new Date('2026-03-02T02:00:31.900Z'))).toBe(31);
    expect(waitSeconds(t, new Date('2026-03-02T01:59:00Z'))).toBe(0);
    expect(hasCapacity(2, 3)).toBe(true);
    expect(hasCapacity(3, 3)).toBe(false);
  });
});

describe('visitor identity', () => {
  const secret = 'a-site-secret-of-some-length';
  it('signs and verifies anonymous visitor tokens', () => {
    const token = signVisitor(secret, 'anon:visitor_12345678');
    expect(verifyVisitor(secret, token)).toBe('anon:visitor_12345678');
    expect(verifyVisitor('another-secret-xxxxxxxx', token)).toBeNull();
    expect(verifyVisitor(secret, `${token.slice(0, -1)}0`)).toBeNull();
    expect(verifyVisitor(secret, 'garbage')).toBeNull();
  });
  it('identifies a host-site user by HMAC of the user id', () => {
    expect(verifyUserHash(secret, 'u-42', macOf(secret, 'u-42'))).toBe(true);
    expect(verifyUserHash(secret, 'u-43', macOf(secret, 'u-42'))).toBe(false);
    expect(verifyUserHash(secret, '', macOf(secret, ''))).toBe(false);
  });
});
