/**
 * SMS senders, chosen by KEFU_SMS_PROVIDER: `log` (development and tests), `none`, `aliyun`
 * (modules/alerts/sms/aliyun.ts) and `tencent` (modules/alerts/sms/tencent.ts). Every message is
 * logged — the provider, the reference, a masked number, the text length and the outcome — never
 * the full number, the text or the link, which are personal data and a secret.
 */
import type { FastifyBaseLogger } from 'fastify';
import { maskPhone } from '../alerts/rules/message.js';
import { aliyunSmsSender } from '../alerts/sms/aliyun.js';
import { tencentSmsSender } from '../alerts/sms/tencent.js';

export interface SmsMessage {
  /** E.164-ish digits of the customer's phone. */
  to: string;
  text: string;
  /** What the message is about (an invitation id), safe to log. */
  ref: string;
}

export interface SmsSender {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
}

type SmsLog = Pick<FastifyBaseLogger, 'info'> & Partial<Pick<FastifyBaseLogger, 'warn'>>;

const logged = (m: SmsMessage, provider: string) => ({
  sms: { provider, ref: m.ref, to: maskPhone(m.to), length: m.text.length },
});

export function loggingSmsSender(log?: SmsLog): SmsSender {
  return {
    name: 'log',
    async send(m) {
      log?.info(logged(m, 'log'), 'sms sent (logging provider)');
    },
  };
}

export const noSmsSender: SmsSender = {
  name: 'none',
  async send() {
    // KEFU_SMS_PROVIDER=none: SMS is switched off; invitations go by the other channels.
  },
};

/** Wraps a gateway so every message is logged, sent or refused (the error is re-thrown). */
export function loggedSmsSender(inner: SmsSender, log?: SmsLog): SmsSender {
  return {
    name: inner.name,
    async send(m) {
      try {
        await inner.send(m);
        log?.info(logged(m, inner.name), 'sms sent');
      } catch (err) {
        (log?.warn ?? log?.info)?.call(
          log,
          { ...logged(m, inner.name), error: err instanceof Error ? err.message : String(err) },
          'sms failed',
        );
        throw err;
      }
    },
  };
}

export interface SmsGatewaySettings {
  KEFU_SMS_ACCESS_KEY_ID?: string | undefined;
  KEFU_SMS_ACCESS_KEY_SECRET?: string | undefined;
  KEFU_SMS_SIGN_NAME?: string | undefined;
  KEFU_SMS_TEMPLATE?: string | undefined;
  KEFU_SMS_TEMPLATE_PARAM?: string | undefined;
  KEFU_SMS_APP_ID?: string | undefined;
  KEFU_SMS_REGION?: string | undefined;
  KEFU_SMS_ENDPOINT?: string | undefined;
}

function required(s: SmsGatewaySettings, provider: string, names: (keyof SmsGatewaySettings)[]) {
  const missing = names.filter((n) => !s[n]);
  if (missing.length)
    throw new Error(`KEFU_SMS_PROVIDER=${provider} needs ${missing.join(', ')} to be set`);
}

export function smsSenderFor(
  provider: 'log' | 'none' | 'aliyun' | 'tencent',
  log?: SmsLog,
  settings: SmsGatewaySettings = {},
): SmsSender {
  if (provider === 'log') return loggingSmsSender(log);
  if (provider === 'none') return noSmsSender;
  const s = settings;
  if (provider === 'aliyun') {
    required(s, provider, [
      'KEFU_SMS_ACCESS_KEY_ID',
      'KEFU_SMS_ACCESS_KEY_SECRET',
      'KEFU_SMS_SIGN_NAME',
      'KEFU_SMS_TEMPLATE',
    ]);
    return loggedSmsSender(
      aliyunSmsSender({
        accessKeyId: s.KEFU_SMS_ACCESS_KEY_ID!,
        accessKeySecret: s.KEFU_SMS_ACCESS_KEY_SECRET!,
        signName: s.KEFU_SMS_SIGN_NAME!,
        templateCode: s.KEFU_SMS_TEMPLATE!,
        templateParam: s.KEFU_SMS_TEMPLATE_PARAM ?? 'content',
        regionId: s.KEFU_SMS_REGION ?? 'cn-hangzhou',
        endpoint: s.KEFU_SMS_ENDPOINT ?? 'https://dysmsapi.aliyuncs.com',
      }),
      log,
    );
  }
  required(s, provider, [
    'KEFU_SMS_ACCESS_KEY_ID',
    'KEFU_SMS_ACCESS_KEY_SECRET',
    'KEFU_SMS_SIGN_NAME',
    'KEFU_SMS_TEMPLATE',
    'KEFU_SMS_APP_ID',
  ]);
  return loggedSmsSender(
    tencentSmsSender({
      secretId: s.KEFU_SMS_ACCESS_KEY_ID!,
      secretKey: s.KEFU_SMS_ACCESS_KEY_SECRET!,
      sdkAppId: s.KEFU_SMS_APP_ID!,
      signName: s.KEFU_SMS_SIGN_NAME!,
      templateId: s.KEFU_SMS_TEMPLATE!,
      region: s.KEFU_SMS_REGION ?? 'ap-guangzhou',
      endpoint: s.KEFU_SMS_ENDPOINT ?? 'https://sms.tencentcloudapi.com',
    }),
    log,
  );
}

/** The SMS text (Chinese first; 【】 is the usual sender mark). */
export function surveySmsText(locale: string, url: string, reminder: boolean): string {
  return locale === 'en-US'
    ? `[Customer Service] ${reminder ? 'Reminder: ' : ''}please rate our service: ${url}`
    : `【客服中心】${reminder ? '提醒：' : ''}邀请您评价本次服务：${url}`;
}
