/**
 * Aliyun (Alibaba Cloud) SMS, `SendSms` of dysmsapi 2017-05-25, signed with the RPC signature
 * version 1.0 (HMAC-SHA1): the parameters sorted by name, each name and value percent-encoded
 * (RFC 3986: space → %20, `*` → %2A, `~` kept), joined with `&`; the string to sign is
 * `GET&%2F&` + percentEncode(that); the key is `AccessKeySecret + "&"`; Base64.
 * Spec and worked example: Alibaba Cloud SMS "HTTP协议及签名" (help.aliyun.com/document_detail/56189.html),
 * whose example (testId / testSecret, SignatureNonce 45e25e9b-…, 2017-07-12T02:42:19Z) yields
 * `zJDF+Lrzhj/ThnlvIToysFRq6t4=` — checked in sms.test.ts.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { SmsMessage, SmsSender } from '../../surveys/sms.js';

export function percentEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%7E/g, '~');
}

export function aliyunCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
}

export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(aliyunCanonicalQuery(params))}`;
}

export function aliyunSignature(
  params: Record<string, string>,
  accessKeySecret: string,
  method = 'GET',
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(aliyunStringToSign(method, params))
    .digest('base64');
}

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** The template variable that carries the message text. */
  templateParam: string;
  regionId: string;
  /** https://dysmsapi.aliyuncs.com (a local server in tests). */
  endpoint: string;
  now?: () => Date;
}

/** The signed query for one message. */
export function aliyunSendSmsQuery(
  cfg: AliyunSmsConfig,
  m: SmsMessage,
  nonce: string,
  at: Date,
): string {
  const params: Record<string, string> = {
    AccessKeyId: cfg.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    OutId: m.ref.slice(0, 64),
    PhoneNumbers: m.to,
    RegionId: cfg.regionId,
    SignName: cfg.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: cfg.templateCode,
    TemplateParam: JSON.stringify({ [cfg.templateParam]: m.text }),
    Timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  const signature = aliyunSignature(params, cfg.accessKeySecret);
  return `Signature=${percentEncode(signature)}&${aliyunCanonicalQuery(params)}`;
}

export function aliyunSmsSender(cfg: AliyunSmsConfig): SmsSender {
  return {
    name: 'aliyun',
    async send(m) {
      const query = aliyunSendSmsQuery(cfg, m, randomUUID(), (cfg.now ?? (() => new Date()))());
      const res = await fetch(`${cfg.endpoint.replace(/\/$/, '')}/?${query}`, {
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      let code: string | undefined;
      try {
        code = (JSON.parse(text) as { Code?: string }).Code;
      } catch {
        code = undefined;
      }
      if (!res.ok || code !== 'OK')
        throw new Error(`aliyun sms refused: HTTP ${res.status} ${code ?? ''}`);
    },
  };
}
