/**
 * Mail templates in zh-CN and en-US: plain text plus a simple HTML version, without a template
 * engine. Links are written relative to PUBLIC_URL_MARK, which the sender replaces with the
 * configured public URL when the mail leaves (so queued mail follows a changed PUBLIC_URL).
 */
export const MAIL_LOCALES = ['zh-CN', 'en-US'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export const PUBLIC_URL_MARK = '{{kefu.publicUrl}}';

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
];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
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
): RenderedMail {
  const zh = locale === 'zh-CN';
  switch (key) {
    case 'ticket.confirmation': {
      const p = params as TemplateParams['ticket.confirmation'];
      const link = `${PUBLIC_URL_MARK}${p.linkPath}`;
      const until = formatTime(p.expiresAt, locale, p.timeZone);
      return compose(
        locale,
        zh
          ? `请确认您的问题是否已解决（工单 ${p.number}）`
          : `Is your request solved? (ticket ${p.number})`,
        zh
          ? [
              '您好：',
              `我们已处理您的问题「${oneLine(p.subject)}」（工单号 ${p.number}）。请点击下面的链接告诉我们问题是否已经解决；如仍未解决，可在页面中说明原因，我们会继续处理。`,
              { link, label: '确认处理结果' },
              `该链接只能使用一次，有效期至 ${until}。`,
            ]
          : [
              'Hello,',
              `We have worked on your request “${oneLine(p.subject)}” (ticket ${p.number}). Please tell us whether it is solved; if it is not, say what is still wrong and we will continue.`,
              { link, label: 'Answer here' },
              `The link works once and is valid until ${until}.`,
            ],
      );
    }
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
    case 'survey.invitation':
    case 'survey.reminder':
      return renderSurveyMail(key === 'survey.reminder', locale, params as SurveyMailParams);
  }
  throw new Error(`unknown mail template ${String(key)}`);
}

function renderSurveyMail(reminder: boolean, locale: MailLocale, p: SurveyMailParams) {
  const zh = locale === 'zh-CN';
  const link = `${PUBLIC_URL_MARK}${p.linkPath}`;
  const optOut = `${PUBLIC_URL_MARK}${p.optOutPath}`;
  const until = formatTime(p.expiresAt, locale, p.timeZone);
  const about = p.number
    ? zh
      ? `您的问题「${oneLine(p.subject ?? '')}」（工单号 ${p.number}）已处理。`
      : `We have worked on your request “${oneLine(p.subject ?? '')}” (ticket ${p.number}).`
    : zh
      ? `感谢您在 ${p.month} 使用我们的服务。`
      : `Thank you for using our service in ${p.month}.`;
  const subject = zh
    ? `${reminder ? '提醒：' : ''}邀请您评价我们的服务${p.number ? `（工单 ${p.number}）` : ''}`
    : `${reminder ? 'Reminder: ' : ''}How did we do?${p.number ? ` (ticket ${p.number})` : ''}`;
  return compose(
    locale,
    subject,
    zh
      ? [
          '您好：',
          `${about}请花一分钟回答 1–3 个问题，帮助我们改进服务。`,
          { link, label: '参与满意度调查' },
          `该链接只能使用一次，有效期至 ${until}。`,
          { link: optOut, label: '不再接收满意度调查' },
        ]
      : [
          'Hello,',
          `${about} Please take a minute to answer 1–3 questions and help us improve.`,
          { link, label: 'Take the survey' },
          `The link works once and is valid until ${until}.`,
          { link: optOut, label: 'No more surveys, please' },
        ],
  );
}

/** Completes the links of a stored mail with the public URL (no trailing slash). */
export function withPublicUrl(body: string, publicUrl: string, html = false): string {
  const base = publicUrl.replace(/\/+$/, '');
  return body.split(PUBLIC_URL_MARK).join(html ? escapeHtml(base) : base);
}
