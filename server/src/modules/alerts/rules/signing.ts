/**
 * Request signing for alert channels (pure).
 *
 * DingTalk group robot, "加签" mode: string to sign = `${timestampMs}\n${secret}`, HMAC-SHA256
 * keyed with the secret, Base64, then URL-encoded; sent as `&timestamp=…&sign=…` on the robot URL
 * (DingTalk's custom-robot security settings page, open.dingtalk.com "自定义机器人安全设置").
 *
 * Generic webhooks (Kefu's own, documented for receivers in docs/alerts.md):
 *   X-Kefu-Timestamp: <unix seconds>
 *   X-Kefu-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function dingtalkSign(timestampMs: number, secret: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  return encodeURIComponent(digest);
}

/** The robot URL with `timestamp` and `sign` appended (unchanged without a secret). */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  if (!secret) return url;
  const sep = url.includes('?') ? '&' : '?';
  return `${url}${sep}timestamp=${timestampMs}&sign=${dingtalkSign(timestampMs, secret)}`;
}

export function webhookSignature(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time, and reject stale timestamps. */
export function verifyWebhookSignature(
  secret: string,
  timestampSec: string | undefined,
  body: string,
  signature: string | undefined,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  if (!timestampSec || !signature || !/^\d{1,12}$/.test(timestampSec)) return false;
  if (Math.abs(nowSec - Number(timestampSec)) > toleranceSec) return false;
  const expected = Buffer.from(webhookSignature(secret, Number(timestampSec), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `••••` plus the last 4 characters of a secret (nothing for short ones). */
export function maskSecret(secret: string): string {
  if (!secret) return '';
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : '••••';
}

/** A URL with its query values (robot keys, access tokens) hidden. */
export function maskUrl(url: string): string {
  return url.replace(/([?&][^=&#]+=)[^&#]*/g, (_, k: string) => `${k}••••`);
}
