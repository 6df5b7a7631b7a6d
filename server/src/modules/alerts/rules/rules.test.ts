import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alertMarkdown,
  channelBody,
  judgeResponse,
  maskPersonal,
  maskPhone,
  retryDelayMs,
  type AlertPayload,
} from './message.js';
import {
  dingtalkSign,
  dingtalkSignedUrl,
  maskSecret,
  maskUrl,
  verifyWebhookSignature,
  webhookSignature,
} from './signing.js';

const p: AlertPayload = {
  eventType: 'sla_breach',
  ticketNumber: 'KF-2026-000123',
  ticketId: '00000000-0000-4000-8000-000000000001',
  subject: '客户 13912345678 / li.lei@example.com 投诉',
  priority: 'urgent',
  tier: 'L2',
  team: '售后',
  detail: 'first response',
  link: 'https://kefu.example.com/tickets/1',
  occurredAt: '2026-03-02T02:00:00.000Z',
};

describe('DingTalk signing', () => {
  it('is Base64(HMAC-SHA256(secret, "ts\\nsecret")), URL-encoded', () => {
    const raw = createHmac('sha256', 'SECxyz').update('1700000000000\nSECxyz').digest('base64');
    expect(dingtalkSign(1700000000000, 'SECxyz')).toBe(encodeURIComponent(raw));
    expect(dingtalkSign(1700000000000, 'SECxyz')).not.toMatch(/[+/=]/);
  });
  it('appends timestamp and sign only with a secret', () => {
    expect(dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=t', '', 1)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=t',
    );
    expect(dingtalkSignedUrl('https://h/robot/send?access_token=t', 's', 5)).toBe(
      `https://h/robot/send?access_token=t&timestamp=5&sign=${dingtalkSign(5, 's')}`,
    );
  });
});

describe('webhook signatures', () => {
  const body = '{"a":1}';
  const sig = webhookSignature('k', 1000, body);
  it('sign over `${ts}.${body}`', () => {
    expect(sig).toBe(`sha256=${createHmac('sha256', 'k').update('1000.{"a":1}').digest('hex')}`);
  });
  it.each([
    ['k', '1000', body, sig, 1000, true],
    ['k', '1000', body, sig, 1300, true],
    ['k', '1000', body, sig, 1301, false], // stale
    ['x', '1000', body, sig, 1000, false], // wrong key
    ['k', '1000', '{"a":2}', sig, 1000, false], // body changed
    ['k', '1001', body, sig, 1000, false], // timestamp changed
    ['k', undefined, body, sig, 1000, false],
    ['k', '1000', body, undefined, 1000, false],
    ['k', '1e3', body, sig, 1000, false],
    ['k', '1000', body, 'sha256=00', 1000, false],
  ] as const)('verify(%s, %s, …) at %s', (key, ts, b, s, now, ok) => {
    expect(verifyWebhookSignature(key, ts, b, s, now)).toBe(ok);
  });
});

describe('masking', () => {
  it('masks phones and e-mails in text', () => {
    expect(maskPersonal(p.subject)).toBe('客户 139****5678 / l***@example.com 投诉');
    expect(maskPersonal('+86 139-1234-5678')).toBe('861****5678');
    expect(maskPersonal('订单 12345 金额 300')).toBe('订单 12345 金额 300');
    expect(maskPersonal('0755-8888999')).toBe('075****8999');
    expect(maskPersonal('tel 8888-999999')).toBe('tel ******9999');
  });
  it('masks numbers for logs, secrets and URL keys for screens', () => {
    expect(maskPhone('13912345678')).toBe('139******78');
    expect(maskPhone('123')).toBe('***');
    expect(maskSecret('')).toBe('');
    expect(maskSecret('short')).toBe('••••');
    expect(maskSecret('SEC0123456789abcd')).toBe('••••abcd');
    expect(maskUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123&x=1')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••&x=••••',
    );
  });
});

describe('channel bodies', () => {
  it('WeCom markdown / text', () => {
    const md = channelBody('wecom', 'markdown', p, 'd1') as {
      msgtype: string;
      markdown: { content: string };
    };
    expect(md.msgtype).toBe('markdown');
    expect(md.markdown.content).toContain('<font color="warning">');
    expect(md.markdown.content).toContain('139****5678');
    expect(md.markdown.content).not.toContain('13912345678');
    const text = channelBody('wecom', 'text', p, 'd1') as { text: { content: string } };
    expect(text).toMatchObject({ msgtype: 'text' });
    expect(text.text.content).toContain('KF-2026-000123');
  });
  it('DingTalk markdown has a title; text has content', () => {
    expect(channelBody('dingtalk', 'markdown', p, 'd1')).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: expect.stringContaining('SLA'), text: alertMarkdown(p, false) },
    });
    expect(channelBody('dingtalk', 'text', p, 'd1')).toMatchObject({ msgtype: 'text' });
  });
  it('webhook: structured, masked', () => {
    expect(channelBody('webhook', 'markdown', p, 'd1')).toMatchObject({
      event: 'sla_breach',
      deliveryId: 'd1',
      alert: { subject: '客户 139****5678 / l***@example.com 投诉', priority: 'urgent' },
    });
  });
});

describe('retry and judging', () => {
  it('backs off exponentially, capped at a day', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 30))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(40, 30)).toBe(86_400_000);
  });
  it.each([
    ['webhook', 204, '', true],
    ['webhook', 500, '', false],
    ['webhook', 302, '', false],
    ['wecom', 200, '{"errcode":0,"errmsg":"ok"}', true],
    ['wecom', 200, '{"errcode":93000,"errmsg":"invalid"}', false],
    ['dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}', false],
    ['dingtalk', 200, 'not json', true],
    ['dingtalk', 429, '', false],
  ] as const)('%s %s %s → %s', (type, status, body, ok) => {
    expect(judgeResponse(type, status, body).ok).toBe(ok);
  });
});
