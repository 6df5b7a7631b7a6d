/**
 * CTI webhook signatures: HMAC-SHA256 over `${timestamp}.${rawBody}` with the provider's secret,
 * sent as `x-kefu-signature: sha256=<hex>` with `x-kefu-timestamp: <unix seconds>`. A timestamp
 * outside the replay window (either side of now) is refused even when the signature is right, so
 * a captured request cannot be replayed later; within the window, event ids make a replay a
 * harmless duplicate.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-kefu-signature';
export const TIMESTAMP_HEADER = 'x-kefu-timestamp';
export const PROVIDER_HEADER = 'x-kefu-provider';

export function signBody(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type SignatureCheck = 'ok' | 'malformed' | 'stale' | 'bad_signature';

export function checkSignature(opts: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowMs: number;
  windowSeconds: number;
}): SignatureCheck {
  const { timestamp, signature } = opts;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (!signature || !/^sha256=[0-9a-f]{64}$/.test(signature)) return 'malformed';
  if (Math.abs(opts.nowMs / 1000 - Number(timestamp)) > opts.windowSeconds) return 'stale';
  const expected = Buffer.from(signBody(opts.secret, timestamp, opts.body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? 'ok'
    : 'bad_signature';
}
