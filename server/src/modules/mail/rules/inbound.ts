/**
 * Pure rules of inbound mail (issue 13): what is noise, which ticket a reply belongs to, who is
 * blocked or over the rate limit, and where the quoted history starts. No I/O.
 */

/** `<abc@host>` → `abc@host`; blank → null. */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const v = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return v.length > 0 && v.length <= 998 ? v : null;
}

/** The Message-IDs a reply points at: In-Reply-To first, then References newest first. */
export function threadKeys(
  inReplyTo: string | null | undefined,
  references: string | string[] | null | undefined,
): string[] {
  const refs = Array.isArray(references)
    ? references
    : (references ?? '').split(/\s+/).filter(Boolean);
  const inReply = (inReplyTo ?? '').split(/\s+/).filter(Boolean);
  const keys = [...inReply, ...[...refs].reverse()]
    .map(normalizeMessageId)
    .filter((k): k is string => k !== null);
  return [...new Set(keys)].slice(0, 50);
}

const TICKET_NUMBER = /\[(KF-\d{4}-\d{6,})\]/i;

/** The ticket number in brackets in a subject (`Re: [KF-2026-000123] …`), upper case; else null. */
export function ticketNumberInSubject(subject: string | null | undefined): string | null {
  const m = TICKET_NUMBER.exec(subject ?? '');
  return m ? m[1]!.toUpperCase() : null;
}

export type NoiseKind = 'auto_reply' | 'bounce' | 'bulk';

export interface NoiseInput {
  /** Header names in lower case → their raw values. */
  headers: ReadonlyMap<string, string>;
  from: string | null;
  subject: string;
  contentType: string | null;
}

const OOO_SUBJECT =
  /^(auto(matic)?[ -]?reply|out of (the )?office|autosvar|abwesenheit|自动回复|自動回覆|休假|不在办公室)/i;

/** Auto-replies, bounces and bulk mail: recorded with the reason, never ticketed. */
export function classifyNoise(m: NoiseInput): { kind: NoiseKind; reason: string } | null {
  const h = (name: string) => (m.headers.get(name) ?? '').trim().toLowerCase();
  const from = (m.from ?? '').toLowerCase();
  const ct = (m.contentType ?? '').toLowerCase();
  if (
    /^(mailer-daemon|postmaster)@/.test(from) ||
    (ct.includes('multipart/report') && ct.includes('delivery-status')) ||
    h('x-failed-recipients') !== ''
  )
    return { kind: 'bounce', reason: 'delivery status notification (bounce)' };
  const auto = h('auto-submitted');
  if (auto !== '' && auto !== 'no')
    return { kind: 'auto_reply', reason: `Auto-Submitted: ${auto}` };
  if (h('x-autoreply') !== '' || h('x-autorespond') !== '')
    return { kind: 'auto_reply', reason: 'X-Autoreply header' };
  if (/\b(oof|autoreply)\b/.test(h('x-auto-response-suppress')) && OOO_SUBJECT.test(m.subject))
    return { kind: 'auto_reply', reason: 'out-of-office reply' };
  const precedence = h('precedence');
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(precedence))
    return {
      kind: precedence === 'auto_reply' ? 'auto_reply' : 'bulk',
      reason: `Precedence: ${precedence}`,
    };
  if (h('list-id') !== '' || h('list-unsubscribe') !== '')
    return { kind: 'bulk', reason: 'mailing-list message (List-Id / List-Unsubscribe)' };
  if (OOO_SUBJECT.test(m.subject.trim()))
    return { kind: 'auto_reply', reason: 'out-of-office subject' };
  return null;
}

/** Blocklist entries: a whole address (`a@b.cn`) or a domain (`@b.cn`), case-insensitive. */
export function isBlocked(address: string, blocklist: readonly string[]): boolean {
  const a = address.toLowerCase();
  const domain = a.slice(a.lastIndexOf('@'));
  return blocklist.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.length > 0 && (e.startsWith('@') ? e === domain : e === a);
  });
}

/** One more message from a sender who already sent `recent` within the window. */
export const overSenderLimit = (recent: number, limit: number): boolean => recent >= limit;

const QUOTE_HEADERS = [
  /^On .{4,200} wrote:\s*$/,
  /^在.{2,200}(写道|寫道)[:：]\s*$/,
  /^-{2,}\s*(Original Message|原始邮件|原始郵件)\s*-{2,}\s*$/i,
  /^From:\s.+$/,
  /^发件人[:：]/,
  /^-- $/,
];

/**
 * Splits a plain-text body where quoted history or the signature begins. The timeline shows
 * `visible`; `folded` is kept (and the raw message stays viewable).
 */
export function foldQuoted(text: string): { visible: string; folded: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (QUOTE_HEADERS.some((re) => re.test(line)) || /^>/.test(line)) {
      cut = i;
      break;
    }
  }
  const visible = lines.slice(0, cut).join('\n').trim();
  const folded = lines.slice(cut).join('\n').trim();
  // A message that is all quote (a bare forward) keeps its text visible.
  return visible.length > 0 ? { visible, folded } : { visible: folded, folded: '' };
}

/** A display name for a new customer: the sender's name, else the address's local part. */
export function customerNameFor(name: string | null | undefined, address: string): string {
  const n = (name ?? '').trim();
  return (n.length > 0 ? n : address.slice(0, address.indexOf('@'))).slice(0, 100) || address;
}

/** A subject fit for a ticket: `Re:`/`Fwd:`/`回复：` prefixes dropped, 1–200 characters. */
export function ticketSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return (s.length > 0 ? s : '(no subject)').slice(0, 200);
}
