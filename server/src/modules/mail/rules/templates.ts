import {
  escapeHtml,
  MAIL_LOCALES,
  PUBLIC_URL_MARK,
  type MailLocale,
  type RenderedMail,
} from './mail-text.js';
import { isEditable, renderEditable, TEMPLATE_SPECS, type EditableTemplate } from './editable.js';

export { escapeHtml, MAIL_LOCALES, PUBLIC_URL_MARK, type MailLocale, type RenderedMail };

/**
 * Mail templates in zh-CN and en-US: plain text plus a simple HTML version, without a template
 * engine. Links are written relative to PUBLIC_URL_MARK, which the sender replaces with the
 * configured public URL when the mail leaves (so queued mail follows a changed PUBLIC_URL).
 */

export const asMailLocale = (value: string | null | undefined): MailLocale =>
  value === 'en-US' ? 'en-US' : 'zh-CN';

export interface TemplateParams {
  'ticket.confirmation': {
    number: string;
    subject: string;
    /** Path of the one-time link, e.g. `/portal/confirm/<token>`. */
    linkPath: string;
    expiresAt: Date;
    timeZone: string;
  };
  'portal.sign_in_code': { code: string; minutes: number };
  'portal.request_received': { number: string; subject: string };
  /** To staff: a time limit of a ticket was breached (modules/tickets/sla-mail.ts). */
  'sla.breach': {
    number: string;
    subject: string;
    target: string;
    dueAt: Date;
    timeZone: string;
    ticketPath: string;
  };
  /** A satisfaction survey or its one reminder (modules/surveys/delivery.ts). */
  'survey.invitation': SurveyMailParams;
  'survey.reminder': SurveyMailParams;
  /** An agent's public reply to a ticket that came by mail (modules/mail/reply-mail.ts). */
  'ticket.reply': { number: string; subject: string; body: string; agent: string; team: string };
  /** The off-hours acknowledgement of a ticket that came by mail. */
  'ticket.off_hours_ack': { number: string; subject: string; message: string };
}
export interface SurveyMailParams {
  /** The ticket surveyed, or null for the monthly campaign. */
  number: string | null;
  subject: string | null;
  /** The campaign's month, e.g. `2026-11`, or null for a ticket survey. */
  month: string | null;
  /** Path of the single-use link, e.g. `/survey/<token>`; opting out is on that page too. */
  linkPath: string;
  optOutPath: string;
  expiresAt: Date;
  timeZone: string;
}
export type TemplateKey = keyof TemplateParams;
export const TEMPLATE_KEYS: readonly TemplateKey[] = [
  'ticket.confirmation',
  'portal.sign_in_code',
  'portal.request_received',
  'sla.breach',
  'survey.invitation',
  'survey.reminder',
  'ticket.reply',
  'ticket.off_hours_ack',
];

/** An administrator's version of an editable template (mail_templates), if any. */
export type TemplateOverride = { subject: string; body: string } | null | undefined;

/** The placeholder values of an editable template. */
function valuesOf(
  key: EditableTemplate,
  locale: MailLocale,
  params: unknown,
): Record<string, string> {
  const zh = locale === 'zh-CN';
  switch (key) {
    case 'ticket.reply':
    case 'ticket.off_hours_ack': {
      const p = params as Record<string, string>;
      return { ...p, subject: oneLine(p.subject ?? '') };
    }
    case 'ticket.confirmation': {
      const p = params as TemplateParams['ticket.confirmation'];
      return {
        number: p.number,
        subject: oneLine(p.subject),
        link: `${PUBLIC_URL_MARK}${p.linkPath}`,
        expiresAt: formatTime(p.expiresAt, locale, p.timeZone),
      };
    }
    case 'survey.invitation':
    case 'survey.reminder': {
      const p = params as SurveyMailParams;
      const about = p.number
        ? zh
          ? `您的问题「${oneLine(p.subject ?? '')}」（工单号 ${p.number}）已处理。`
          : `We have worked on your request “${oneLine(p.subject ?? '')}” (ticket ${p.number}).`
        : zh
          ? `感谢您在 ${p.month} 使用我们的服务。`
          : `Thank you for using our service in ${p.month}.`;
      return {
        about,
        number: p.number ?? '',
        numberSuffix: p.number ? (zh ? `（工单 ${p.number}）` : ` (ticket ${p.number})`) : '',
        subject: oneLine(p.subject ?? ''),
        month: p.month ?? '',
        link: `${PUBLIC_URL_MARK}${p.linkPath}`,
        optOutLink: `${PUBLIC_URL_MARK}${p.optOutPath}`,
        expiresAt: formatTime(p.expiresAt, locale, p.timeZone),
      };
    }
  }
}

/** A line of text or a link, rendered once as text and once as HTML. */
type Part = string | { link: string; label: string };

const SIGNATURE: Record<MailLocale, string> = {
  'zh-CN': '—— 客服中心（此邮件由系统发送，请勿直接回复）',
  'en-US': '— Customer Service (sent automatically; please do not reply to this email)',
};

function compose(locale: MailLocale, subject: string, parts: Part[]): RenderedMail {
  const all = [...parts, SIGNATURE[locale]];
  const text = all.map((p) => (typeof p === 'string' ? p : `${p.label}: ${p.link}`)).join('\n\n');
  const body = all
    .map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`
        : `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.label)}</a></p>`,
    )
    .join('\n');
  const html = `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.6">\n${body}\n</body></html>\n`;
  return { subject, text: `${text}\n`, html };
}

function formatTime(at: Date, locale: MailLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(at);
}

/** One line subjects: ticket subjects are customer text and must not break the header. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 200);

export function renderMail<K extends TemplateKey>(
  key: K,
  locale: MailLocale,
  params: TemplateParams[K],
  override?: TemplateOverride,
): RenderedMail {
  if (isEditable(key))
    return renderEditable(
      key,
      locale,
      override ?? TEMPLATE_SPECS[key].defaults[locale],
      valuesOf(key, locale, params),
    );
  const zh = locale === 'zh-CN';
  switch (key) {
    case 'portal.sign_in_code': {
      const p = params as TemplateParams['portal.sign_in_code'];
      return compose(
        locale,
        zh ? `您的登录验证码：${p.code}` : `Your sign-in code: ${p.code}`,
        zh
          ? [
              '您好：',
              `您正在登录客户服务中心，验证码为：${p.code}`,
              `验证码 ${p.minutes} 分钟内有效，只能使用一次。如非本人操作，请忽略此邮件。`,
            ]
          : [
              'Hello,',
              `Your code to sign in to the customer service portal is: ${p.code}`,
              `It is valid for ${p.minutes} minutes and works once. If you did not ask for it, ignore this email.`,
            ],
      );
    }
    case 'portal.request_received': {
      const p = params as TemplateParams['portal.request_received'];
      const link = `${PUBLIC_URL_MARK}/portal/requests`;
      return compose(
        locale,
        zh
          ? `我们已收到您的问题（工单 ${p.number}）`
          : `We received your request (ticket ${p.number})`,
        zh
          ? [
              '您好：',
              `您提交的问题「${oneLine(p.subject)}」已登记，工单号 ${p.number}。我们会尽快处理并与您联系。`,
              { link, label: '查看我的工单' },
            ]
          : [
              'Hello,',
              `Your request “${oneLine(p.subject)}” is registered as ticket ${p.number}. We will handle it and get back to you soon.`,
              { link, label: 'See my requests' },
            ],
      );
    }
    case 'sla.breach': {
      const p = params as TemplateParams['sla.breach'];
      const link = `${PUBLIC_URL_MARK}${p.ticketPath}`;
      const due = formatTime(p.dueAt, locale, p.timeZone);
      return compose(
        locale,
        zh
          ? `SLA 超时：工单 ${p.number}「${p.target}」已超时`
          : `SLA breached: ticket ${p.number} — ${p.target} is overdue`,
        zh
          ? [
              '您好：',
              `工单 ${p.number}「${oneLine(p.subject)}」的时效目标「${p.target}」已于 ${due} 到期，尚未达成。请尽快处理。`,
              { link, label: '打开工单' },
            ]
          : [
              'Hello,',
              `The time limit “${p.target}” of ticket ${p.number} “${oneLine(p.subject)}” was due at ${due} and is not met. Please act on it.`,
              { link, label: 'Open the ticket' },
            ],
      );
    }
  }
  throw new Error(`unknown mail template ${String(key)}`);
}

/** Completes the links of a stored mail with the public URL (no trailing slash). */
export function withPublicUrl(body: string, publicUrl: string, html = false): string {
  const base = publicUrl.replace(/\/+$/, '');
  return body.split(PUBLIC_URL_MARK).join(html ? escapeHtml(base) : base);
}
