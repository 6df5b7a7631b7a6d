/**
 * File names from uploads are untrusted: they may carry paths, control characters, bidi
 * overrides that disguise the extension ("invoice‮fdp.exe"), reserved Windows names, or be
 * empty. Pure functions, no I/O.
 */

/** Longest name kept, in code points (the extension is preserved when cutting). */
export const MAX_FILENAME_LENGTH = 120;

// C0/C1 controls, zero-width and bidi formatting characters, BOM — matching them is the point.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
// Characters Windows refuses in names, plus quotes that break header values.
const RESERVED_CHARS = /[<>:"|?*]/g;
const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

export function sanitizeFilename(raw: string, fallback = 'file'): string {
  let name = raw.normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\t\n\r\f\v]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED_CHARS, '_');
  name = name.replace(/\s+/gu, ' ').trim();
  // No hidden files, no trailing dots (Windows drops them, changing the extension).
  name = name.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');
  if (RESERVED_NAMES.test(name)) name = `_${name}`;
  if (!name) return fallback;
  const chars = Array.from(name);
  if (chars.length <= MAX_FILENAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (ext.length > 16) return chars.slice(0, MAX_FILENAME_LENGTH).join('');
  const stem = Array.from(name.slice(0, dot));
  return stem.slice(0, MAX_FILENAME_LENGTH - ext.length).join('') + ext.join('');
}

/** The lower-case extension without the dot ("report.PDF" → "pdf"), or "". */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

/**
 * `Content-Disposition` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187), so
 * Chinese file names survive in every browser.
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
