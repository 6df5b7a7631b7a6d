/**
 * Mail templates administrators edit (issue 13): plain text with `{{placeholders}}`, in zh-CN
 * and en-US. The HTML version is made from the text (escaped; links become anchors), so an
 * edited template cannot inject markup. No I/O: the stored versions are read by the caller.
 */
import { escapeHtml, PUBLIC_URL_MARK, type MailLocale, type RenderedMail } from './mail-text.js';

export const EDITABLE_TEMPLATES = [
  'ticket.reply',
  'ticket.off_hours_ack',
  'ticket.confirmation',
  'survey.invitation',
  'survey.reminder',
] as const;
export type EditableTemplate = (typeof EDITABLE_TEMPLATES)[number];

export interface TemplateSpec {
  placeholders: readonly string[];
  /** Must appear in the body (the mail is useless without them). */
  requiredInBody: readonly string[];
  /** Must appear in the subject (threading by ticket number). */
  requiredInSubject: readonly string[];
  /** Placeholders whose value is a link (an anchor in HTML). */
  links: readonly string[];
  defaults: Record<MailLocale, { subject: string; body: string }>;
  sample: Record<string, string>;
}

const SIGN = {
  'zh-CN': '—— 客服中心',
  'en-US': '— Customer Service',
};
const AUTO = {
  'zh-CN': '—— 客服中心（此邮件由系统发送，请勿直接回复）',
  'en-US': '— Customer Service (sent automatically; please do not reply to this email)',
};
const sampleTicket = { number: 'KF-2026-000123', subject: '打印机无法连接 / Printer offline' };
const sampleLink = `${PUBLIC_URL_MARK}/portal/confirm/SAMPLE`;

export const TEMPLATE_SPECS: Record<EditableTemplate, TemplateSpec> = {
  'ticket.reply': {
    placeholders: ['number', 'subject', 'body', 'agent', 'team'],
    requiredInBody: ['body'],
    requiredInSubject: ['number'],
    links: [],
    defaults: {
      'zh-CN': {
        subject: 'Re: [{{number}}] {{subject}}',
        body: `{{body}}\n\n{{agent}}\n${SIGN['zh-CN']}（直接回复本邮件即可继续沟通，请保留主题中的工单号）`,
      },
      'en-US': {
        subject: 'Re: [{{number}}] {{subject}}',
        body: `{{body}}\n\n{{agent}}\n${SIGN['en-US']} (reply to this email to continue; please keep the ticket number in the subject)`,
      },
    },
    sample: {
      ...sampleTicket,
      body: '您好，请重启打印机后再试。\nHello, please restart the printer and try again.',
      agent: '王小明',
      team: '一线支持',
    },
  },
  'ticket.off_hours_ack': {
    placeholders: ['number', 'subject', 'message'],
    requiredInBody: ['message'],
    requiredInSubject: ['number'],
    links: [],
    defaults: {
      'zh-CN': { subject: 'Re: [{{number}}] {{subject}}', body: `{{message}}\n\n${SIGN['zh-CN']}` },
      'en-US': { subject: 'Re: [{{number}}] {{subject}}', body: `{{message}}\n\n${SIGN['en-US']}` },
    },
    sample: {
      ...sampleTicket,
      message: '您好，现在是非工作时间，我们已收到您的问题，将在上班后尽快处理。',
    },
  },
  'ticket.confirmation': {
    placeholders: ['number', 'subject', 'link', 'expiresAt'],
    requiredInBody: ['link'],
    requiredInSubject: [],
    links: ['link'],
    defaults: {
      'zh-CN': {
        subject: '请确认您的问题是否已解决（工单 {{number}}）',
        body: `您好：\n\n我们已处理您的问题「{{subject}}」（工单号 {{number}}）。请点击下面的链接告诉我们问题是否已经解决；如仍未解决，可在页面中说明原因，我们会继续处理。\n\n确认处理结果：{{link}}\n\n该链接只能使用一次，有效期至 {{expiresAt}}。\n\n${AUTO['zh-CN']}`,
      },
      'en-US': {
        subject: 'Is your request solved? (ticket {{number}})',
        body: `Hello,\n\nWe have worked on your request “{{subject}}” (ticket {{number}}). Please tell us whether it is solved; if it is not, say what is still wrong and we will continue.\n\nAnswer here: {{link}}\n\nThe link works once and is valid until {{expiresAt}}.\n\n${AUTO['en-US']}`,
      },
    },
    sample: { ...sampleTicket, link: sampleLink, expiresAt: '2026-12-07 18:00' },
  },
  'survey.invitation': surveySpec(false),
  'survey.reminder': surveySpec(true),
};

function surveySpec(reminder: boolean): TemplateSpec {
  return {
    placeholders: ['about', 'number', 'subject', 'month', 'link', 'optOutLink', 'expiresAt'],
    requiredInBody: ['link', 'optOutLink'],
    requiredInSubject: [],
    links: ['link', 'optOutLink'],
    defaults: {
      'zh-CN': {
        subject: `${reminder ? '提醒：' : ''}邀请您评价我们的服务{{numberSuffix}}`,
        body: `您好：\n\n{{about}}请花一分钟回答 1–3 个问题，帮助我们改进服务。\n\n参与满意度调查：{{link}}\n\n该链接只能使用一次，有效期至 {{expiresAt}}。\n\n不再接收满意度调查：{{optOutLink}}\n\n${AUTO['zh-CN']}`,
      },
      'en-US': {
        subject: `${reminder ? 'Reminder: ' : ''}How did we do?{{numberSuffix}}`,
        body: `Hello,\n\n{{about}} Please take a minute to answer 1–3 questions and help us improve.\n\nTake the survey: {{link}}\n\nThe link works once and is valid until {{expiresAt}}.\n\nNo more surveys, please: {{optOutLink}}\n\n${AUTO['en-US']}`,
      },
    },
    sample: {
      about: '您的问题「打印机无法连接」（工单号 KF-2026-000123）已处理。',
      number: 'KF-2026-000123',
      numberSuffix: '（工单 KF-2026-000123）',
      subject: '打印机无法连接',
      month: '',
      link: `${PUBLIC_URL_MARK}/survey/SAMPLE`,
      optOutLink: `${PUBLIC_URL_MARK}/survey/SAMPLE?optOut=1`,
      expiresAt: '2026-12-07 18:00',
    },
  };
}
// Survey subjects also know {{numberSuffix}} (“（工单 …）” or empty).
for (const k of ['survey.invitation', 'survey.reminder'] as const)
  (TEMPLATE_SPECS[k].placeholders as string[]).push('numberSuffix');

export const isEditable = (key: string): key is EditableTemplate =>
  (EDITABLE_TEMPLATES as readonly string[]).includes(key);

const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

export interface TemplateProblem {
  path: 'subject' | 'body';
  message: string;
}

/** Unknown placeholders, missing required ones, line breaks in the subject. */
export function validateTemplate(
  key: EditableTemplate,
  t: { subject: string; body: string },
): TemplateProblem[] {
  const spec = TEMPLATE_SPECS[key];
  const out: TemplateProblem[] = [];
  for (const path of ['subject', 'body'] as const)
    for (const m of t[path].matchAll(PLACEHOLDER))
      if (!spec.placeholders.includes(m[1]!))
        out.push({ path, message: `unknown placeholder {{${m[1]}}}` });
  const uses = (s: string, name: string) => [...s.matchAll(PLACEHOLDER)].some((m) => m[1] === name);
  for (const name of spec.requiredInBody)
    if (!uses(t.body, name)) out.push({ path: 'body', message: `must contain {{${name}}}` });
  for (const name of spec.requiredInSubject)
    if (!uses(t.subject, name)) out.push({ path: 'subject', message: `must contain {{${name}}}` });
  if (/[\r\n]/.test(t.subject)) out.push({ path: 'subject', message: 'must be one line' });
  if (t.subject.trim() === '') out.push({ path: 'subject', message: 'must not be empty' });
  return out;
}

const oneLine = (s: string) =>
  s
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 300);

/** Fills the placeholders: text as is, HTML escaped with links as anchors. */
export function renderEditable(
  key: EditableTemplate,
  locale: MailLocale,
  t: { subject: string; body: string },
  values: Record<string, string>,
): RenderedMail {
  const spec = TEMPLATE_SPECS[key];
  const fill = (s: string) => s.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
  const subject = oneLine(fill(t.subject)) || key;
  const text = fill(t.body).replace(/\r\n/g, '\n');
  const htmlOf = (s: string) => {
    let out = '';
    let last = 0;
    for (const m of s.matchAll(PLACEHOLDER)) {
      out += escapeHtml(s.slice(last, m.index));
      const v = values[m[1]!] ?? '';
      out += spec.links.includes(m[1]!)
        ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>`
        : escapeHtml(v);
      last = m.index! + m[0].length;
    }
    return out + escapeHtml(s.slice(last));
  };
  const body = t.body
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${htmlOf(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.6">\n${body}\n</body></html>\n`;
  return { subject, text: text.endsWith('\n') ? text : `${text}\n`, html };
}
