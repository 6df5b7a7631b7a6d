/** What templates.ts and editable.ts share (kept apart so neither imports the other first). */
export const MAIL_LOCALES = ['zh-CN', 'en-US'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export const PUBLIC_URL_MARK = '{{kefu.publicUrl}}';

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
