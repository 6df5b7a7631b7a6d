/**
 * SMS senders, chosen by KEFU_SMS_PROVIDER. Only a logging provider exists so far: it logs that
 * a message went out (the invitation id and the text length) — never the phone number, the text
 * or the link, which are personal data and a secret. A real gateway implements `SmsSender`.
 */
import type { FastifyBaseLogger } from 'fastify';

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

export function loggingSmsSender(log?: Pick<FastifyBaseLogger, 'info'>): SmsSender {
  return {
    name: 'log',
    async send(m) {
      log?.info({ sms: { ref: m.ref, length: m.text.length } }, 'sms sent (logging provider)');
    },
  };
}

export const noSmsSender: SmsSender = {
  name: 'none',
  async send() {
    // KEFU_SMS_PROVIDER=none: SMS is switched off; invitations go by the other channels.
  },
};

export function smsSenderFor(
  provider: 'log' | 'none',
  log?: Pick<FastifyBaseLogger, 'info'>,
): SmsSender {
  return provider === 'log' ? loggingSmsSender(log) : noSmsSender;
}

/** The SMS text (Chinese first; 【】 is the usual sender mark). */
export function surveySmsText(locale: string, url: string, reminder: boolean): string {
  return locale === 'en-US'
    ? `[Customer Service] ${reminder ? 'Reminder: ' : ''}please rate our service: ${url}`
    : `【客服中心】${reminder ? '提醒：' : ''}邀请您评价本次服务：${url}`;
}
