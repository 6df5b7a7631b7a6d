/**
 * The subject pattern of a ticket, for repeat problems (SPEC 13, the service ledger): the same
 * problem written again looks the same after this. Reply and forward prefixes go, digits become
 * `#` (order numbers, dates), punctuation and spacing collapse, Latin letters are lower-cased.
 */
const PREFIX = /^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*|\[[^\]]*\]\s*|【[^】]*】\s*)/i;

export function normaliseSubject(subject: string): string {
  let s = subject.normalize('NFKC');
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(PREFIX, '');
  }
  return s
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .replace(/\d+/g, '#')
    .trim();
}

/** A customer's name as reports show it: the first character, the rest masked. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return `${chars[0]}${'*'.repeat(Math.min(Math.max(chars.length - 1, 1), 3))}`;
}
