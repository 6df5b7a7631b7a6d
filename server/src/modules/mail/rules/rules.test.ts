import { describe, expect, it } from 'vitest';
import { errorSummary, retryAfterFailure } from './backoff.js';
import {
  asMailLocale,
  escapeHtml,
  MAIL_LOCALES,
  PUBLIC_URL_MARK,
  renderMail,
  TEMPLATE_KEYS,
  withPublicUrl,
  type TemplateParams,
} from './templates.js';

describe('retry back-off', () => {
  it('doubles from the base delay and gives up after the last attempt', () => {
    expect(retryAfterFailure(1, 60, 4)).toEqual({ giveUp: false, delayMs: 60_000 });
    expect(retryAfterFailure(2, 60, 4)).toEqual({ giveUp: false, delayMs: 120_000 });
    expect(retryAfterFailure(3, 60, 4)).toEqual({ giveUp: false, delayMs: 240_000 });
    expect(retryAfterFailure(4, 60, 4)).toEqual({ giveUp: true });
    expect(retryAfterFailure(9, 60, 4)).toEqual({ giveUp: true });
  });

  it('never waits more than a day', () => {
    expect(retryAfterFailure(30, 3600, 50)).toEqual({ giveUp: false, delayMs: 86_400_000 });
  });

  it('treats a first failure with zero recorded attempts like the first', () => {
    expect(retryAfterFailure(0, 10, 3)).toEqual({ giveUp: false, delayMs: 10_000 });
  });

  it('keeps errors to one bounded line', () => {
    expect(errorSummary(new Error('550 mailbox\n unavailable'))).toBe(
      'Error: 550 mailbox unavailable',
    );
    expect(errorSummary('x'.repeat(3000))).toHaveLength(2000);
    expect(errorSummary(42)).toBe('error');
  });
});

const params: TemplateParams = {
  'ticket.confirmation': {
    number: 'KF-2026-000001',
    subject: '<b>积分</b>\r\nBcc: evil@example.com',
    linkPath: '/portal/confirm/abc_DEF-123',
    expiresAt: new Date('2026-03-09T02:00:00Z'),
    timeZone: 'Asia/Shanghai',
  },
  'portal.sign_in_code': { code: '012345', minutes: 10 },
  'portal.request_received': { number: 'KF-2026-000002', subject: 'A & B' },
  'sla.breach': {
    number: 'KF-2026-000003',
    subject: '<script>',
    target: 'resolution',
    dueAt: new Date('2026-03-02T06:00:00Z'),
    timeZone: 'Asia/Shanghai',
    ticketPath: '/tickets/00000000-0000-4000-8000-000000000003',
  },
  'survey.invitation': {
    number: 'KF-2026-000004',
    subject: '<b>发票</b>',
    month: null,
    linkPath: '/survey/abc',
    optOutPath: '/survey/abc?optOut=1',
    expiresAt: new Date('2026-03-09T02:00:00Z'),
    timeZone: 'Asia/Shanghai',
  },
  'survey.reminder': {
    number: null,
    subject: null,
    month: '2026-03',
    linkPath: '/survey/def',
    optOutPath: '/survey/def?optOut=1',
    expiresAt: new Date('2026-03-09T02:00:00Z'),
    timeZone: 'Asia/Shanghai',
  },
  'ticket.reply': {
    number: 'KF-2026-000005',
    subject: '<b>打印机</b>\r\nBcc: evil@example.com',
    body: '您好，<b>请重启</b>。',
    agent: '王小明',
    team: '一线',
  },
  'ticket.off_hours_ack': {
    number: 'KF-2026-000006',
    subject: 'A & B',
    message: '您好，现在是非工作时间，我们已收到您的问题。',
  },
};

describe('templates', () => {
  for (const key of TEMPLATE_KEYS)
    for (const locale of MAIL_LOCALES)
      it(`${key} renders text and HTML in ${locale}`, () => {
        const m = renderMail(key, locale, params[key]);
        expect(m.subject.length).toBeGreaterThan(0);
        expect(m.subject).not.toMatch(/[\r\n]/);
        expect(m.text.length).toBeGreaterThan(20);
        expect(m.html).toContain(`<html lang="${locale}">`);
        expect(m.html).not.toContain('<b>');
        expect(m.html).not.toContain('<script>');
      });

  it('writes the confirmation link relative to the public URL, with the expiry in local time', () => {
    const zh = renderMail('ticket.confirmation', 'zh-CN', params['ticket.confirmation']);
    expect(zh.text).toContain(`${PUBLIC_URL_MARK}/portal/confirm/abc_DEF-123`);
    expect(zh.text).toContain('2026');
    expect(zh.text).toContain('KF-2026-000001');
    expect(zh.subject).toContain('请确认');
    const en = renderMail('ticket.confirmation', 'en-US', params['ticket.confirmation']);
    expect(en.subject).toContain('Is your request solved?');
    // The customer's subject cannot add header lines.
    expect(en.text).not.toContain('\r\nBcc');
    expect(en.html).toContain('&lt;b&gt;');
  });

  it('puts the code in the subject and text of the sign-in mail', () => {
    const m = renderMail('portal.sign_in_code', 'en-US', params['portal.sign_in_code']);
    expect(m.subject).toContain('012345');
    expect(m.text).toContain('valid for 10 minutes');
  });

  it('completes links with the public URL when sending', () => {
    const body = `see ${PUBLIC_URL_MARK}/portal/x and ${PUBLIC_URL_MARK}/y`;
    expect(withPublicUrl(body, 'https://kefu.example.com/')).toBe(
      'see https://kefu.example.com/portal/x and https://kefu.example.com/y',
    );
    expect(withPublicUrl(PUBLIC_URL_MARK, 'https://a.example/?a=1&b=2', true)).toBe(
      'https://a.example/?a=1&amp;b=2',
    );
  });

  it('escapes HTML and picks zh-CN unless en-US is asked for', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(asMailLocale('en-US')).toBe('en-US');
    expect(asMailLocale('fr')).toBe('zh-CN');
    expect(asMailLocale(null)).toBe('zh-CN');
  });
});

describe('mail kinds', () => {
  it('every kind expires (so a late backlog is not sent stale) and has a readable name in the web outbox', async () => {
    const { readFileSync } = await import('node:fs');
    const { mailExpiresAt } = await import('./expiry.js');
    const at = new Date('2026-05-01T02:00:00Z');
    const survey = {
      number: 'T1',
      subject: 's',
      month: null,
      linkPath: '/survey/x',
      optOutPath: '/survey/x',
      expiresAt: new Date('2026-05-15T02:00:00Z'),
      timeZone: 'Asia/Shanghai',
    };
    const params: TemplateParams = {
      'ticket.confirmation': {
        number: 'T1',
        subject: 's',
        linkPath: '/p',
        expiresAt: new Date('2026-05-08T02:00:00Z'),
        timeZone: 'Asia/Shanghai',
      },
      'portal.sign_in_code': { code: '1', minutes: 10 },
      'portal.request_received': { number: 'T1', subject: 's' },
      'sla.breach': {
        number: 'T1',
        subject: 's',
        target: 'first_response',
        dueAt: at,
        timeZone: 'Asia/Shanghai',
        ticketPath: '/t',
      },
      'survey.invitation': survey,
      'survey.reminder': survey,
      'ticket.reply': { number: 'T1', subject: 's', body: 'b', agent: 'a', team: 't' },
      'ticket.off_hours_ack': { number: 'T1', subject: 's', message: 'm' },
    };
    expect(mailExpiresAt('portal.sign_in_code', params['portal.sign_in_code'], at)).toEqual(
      new Date('2026-05-01T02:10:00Z'),
    );
    expect(mailExpiresAt('ticket.confirmation', params['ticket.confirmation'], at)).toEqual(
      params['ticket.confirmation'].expiresAt,
    );
    for (const key of TEMPLATE_KEYS) {
      // A customer's reply by mail never expires unsent (it waits or lands in the dead letters).
      if (key === 'ticket.reply') expect(mailExpiresAt(key, params[key], at)).toBeNull();
      else
        expect(mailExpiresAt(key, params[key], at)!.getTime(), key).toBeGreaterThan(at.getTime());
      for (const locale of MAIL_LOCALES) {
        const texts = JSON.parse(
          readFileSync(
            new URL(`../../../../../web/src/locales/${locale}/adminSettings.json`, import.meta.url),
            'utf8',
          ),
        ) as { mail: { templates: Record<string, Record<string, string>> } };
        const [area, name] = key.split('.') as [string, string];
        expect(texts.mail.templates[area]?.[name], `${locale} ${key}`).toBeTruthy();
      }
    }
  });
});
