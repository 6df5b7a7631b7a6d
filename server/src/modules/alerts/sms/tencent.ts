/**
 * Tencent Cloud SMS, `SendSms` 2021-01-11, signed with TC3-HMAC-SHA256 (Tencent Cloud API 3.0
 * "签名方法 v3" / "Signature v3", cloud.tencent.com/document/api/382/52072 and the same page for
 * every product): CanonicalRequest = method \n / \n query \n headers \n signedHeaders \n
 * hex(sha256(body)); StringToSign = TC3-HMAC-SHA256 \n timestamp \n date/service/tc3_request \n
 * hex(sha256(CanonicalRequest)); key = HMAC chain "TC3"+SecretKey → date → service →
 * "tc3_request"; Signature = hex(HMAC(key, StringToSign)). The page's worked example (CVM
 * DescribeInstances, timestamp 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE) yields
 * `72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168` — checked in sms.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';
import type { SmsMessage, SmsSender } from '../../surveys/sms.js';

const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, msg: string) =>
  createHmac('sha256', key).update(msg, 'utf8').digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  timestamp: number;
  payload: string;
  contentType?: string;
}

export function tc3Sign(input: Tc3Input) {
  const contentType = input.contentType ?? 'application/json; charset=utf-8';
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${input.host}\n`,
    signedHeaders,
    sha256hex(input.payload),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const hashedCanonicalRequest = sha256hex(canonicalRequest);
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${hashedCanonicalRequest}`;
  const kDate = hmac(`TC3${input.secretKey}`, date);
  const kService = hmac(kDate, input.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    hashedPayload: sha256hex(input.payload),
    hashedCanonicalRequest,
    stringToSign,
    signature,
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
  region: string;
  /** https://sms.tencentcloudapi.com (a local server in tests). */
  endpoint: string;
  now?: () => Date;
}

export function tencentSendSmsRequest(cfg: TencentSmsConfig, m: SmsMessage, at: Date) {
  const url = new URL(cfg.endpoint);
  const host = url.host;
  const phone = m.to.startsWith('+') ? m.to : `+86${m.to}`;
  const payload = JSON.stringify({
    PhoneNumberSet: [phone],
    SmsSdkAppId: cfg.sdkAppId,
    SignName: cfg.signName,
    TemplateId: cfg.templateId,
    TemplateParamSet: [m.text],
    SessionContext: m.ref,
  });
  const timestamp = Math.floor(at.getTime() / 1000);
  const signed = tc3Sign({
    secretId: cfg.secretId,
    secretKey: cfg.secretKey,
    service: 'sms',
    host,
    timestamp,
    payload,
  });
  return {
    url: url.toString(),
    body: payload,
    headers: {
      Authorization: signed.authorization,
      'Content-Type': 'application/json; charset=utf-8',
      Host: host,
      'X-TC-Action': 'SendSms',
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Version': '2021-01-11',
      'X-TC-Region': cfg.region,
    },
  };
}

export function tencentSmsSender(cfg: TencentSmsConfig): SmsSender {
  return {
    name: 'tencent',
    async send(m) {
      const req = tencentSendSmsRequest(cfg, m, (cfg.now ?? (() => new Date()))());
      const res = await fetch(req.url, {
        method: 'POST',
        headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'Host')),
        body: req.body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      let code: string | undefined;
      try {
        const json = JSON.parse(text) as {
          Response?: { Error?: { Code?: string }; SendStatusSet?: { Code?: string }[] };
        };
        code = json.Response?.Error?.Code ?? json.Response?.SendStatusSet?.[0]?.Code;
      } catch {
        code = undefined;
      }
      if (!res.ok || code !== 'Ok')
        throw new Error(`tencent sms refused: HTTP ${res.status} ${code ?? ''}`);
    },
  };
}
