import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Visitor identity (docs/chat.md). An anonymous visitor carries a token `<id>.<mac>` signed with
 * the site's secret; a host site that knows its user signs the user id the same way
 * (HMAC-SHA256, hex) and the visitor is identified as `user:<id>`. No I/O here.
 */
export const macOf = (secret: string, message: string) =>
  createHmac('sha256', secret).update(message).digest('hex');

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A visitor key (`anon:<random>` or `user:<host id>`) signed for the widget to keep. */
export const signVisitor = (secret: string, visitorKey: string) => {
  const encoded = Buffer.from(visitorKey).toString('base64url');
  return `${encoded}.${macOf(secret, `visitor:${encoded}`)}`;
};

/** The visitor key inside a token the site's secret signed, or null. */
export function verifyVisitor(secret: string, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const encoded = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]{4,400}$/.test(encoded)) return null;
  if (!safeEqualHex(token.slice(dot + 1), macOf(secret, `visitor:${encoded}`))) return null;
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

/** The host site's user id, when `hash` is HMAC-SHA256(secret, userId) in hex. */
export const verifyUserHash = (secret: string, userId: string, hash: string) =>
  userId.length > 0 && safeEqualHex(hash.toLowerCase(), macOf(secret, userId));
