import { extensionOf } from './filename.js';

/**
 * Deciding what an upload is — from its content, never from the name or the type the client
 * declared — and whether the workspace accepts it. Pure: the caller reads the bytes.
 */

/** What the caller learned about the bytes. */
export interface Sniffed {
  /** The type `file-type` recognised from magic bytes, if any. */
  magic?: string;
  /** The part's declared Content-Type (lower case, no parameters). */
  declared: string;
  /** The sanitised file name. */
  filename: string;
  /** The whole content is valid UTF-8 without NUL bytes. */
  utf8: boolean;
  /** The first bytes decoded as UTF-8 (for telling HTML from plain text). */
  head: string;
}

export type Verdict = { ok: true; mime: string } | { ok: false; detected: string };

export const TEXT_TYPES: readonly string[] = ['text/plain', 'text/csv'];

/** Office 97–2003 files are all one container format (CFB); the declared type says which. */
const LEGACY_OFFICE: Readonly<Record<string, string>> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};
const CFB = 'application/x-cfb';
export const OCTET_STREAM = 'application/octet-stream';

// Markup a browser would render (scripts): refused even when declared as text.
const MARKUP = /^\s*(<!doctype\s+html|<html|<head|<body|<script|<iframe|<svg|<\?xml|<!--)/i;

/** The content's type: magic bytes first; text only when the whole content is UTF-8. */
export function detectType(s: Sniffed): string {
  const ext = extensionOf(s.filename);
  if (s.magic) {
    if (s.magic === CFB) {
      const legacy = Object.values(LEGACY_OFFICE).includes(s.declared)
        ? s.declared
        : LEGACY_OFFICE[ext];
      return legacy ?? CFB;
    }
    return s.magic;
  }
  if (!s.utf8) return OCTET_STREAM;
  if (MARKUP.test(s.head)) return 'text/html';
  return s.declared === 'text/csv' || ext === 'csv' ? 'text/csv' : 'text/plain';
}

/**
 * Text has no magic bytes, so it is accepted only when the client also said it is text:
 * `text/*`, or a .csv/.txt file that Windows browsers label `application/vnd.ms-excel` /
 * `application/octet-stream`.
 */
function declaredAsText(s: Sniffed): boolean {
  if (s.declared.startsWith('text/')) return true;
  const ext = extensionOf(s.filename);
  return (
    (s.declared === 'application/vnd.ms-excel' && ext === 'csv') ||
    (s.declared === OCTET_STREAM && (ext === 'csv' || ext === 'txt'))
  );
}

/** Accept or refuse (with the detected type, for the 415 answer). */
export function judgeUpload(
  s: Sniffed,
  allowed: readonly string[],
  opts: { imagesOnly?: boolean } = {},
): Verdict {
  const detected = detectType(s);
  const isText = !s.magic && TEXT_TYPES.includes(detected);
  if (isText && !declaredAsText(s)) return { ok: false, detected };
  if (opts.imagesOnly && !detected.startsWith('image/')) return { ok: false, detected };
  if (!allowed.includes(detected)) return { ok: false, detected };
  return { ok: true, mime: detected };
}

/** Types a browser may show inline: raster images (never SVG, which can carry scripts). */
export const INLINE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

/** The Content-Type header to serve a stored type with. */
export const servedType = (mime: string) =>
  TEXT_TYPES.includes(mime) ? `${mime}; charset=utf-8` : mime;
