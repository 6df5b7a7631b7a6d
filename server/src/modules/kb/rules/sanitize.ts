/**
 * What a knowledge-base Markdown body may contain, enforced when it is saved (the web renderer
 * enforces the same again): Markdown, a small set of inline HTML tags without `style` or event
 * attributes, and images only from the article's own uploads (`/api/v1/kb/images/<id>`). No
 * forms, frames, scripts or style sheets; external images become their alt text, so an article
 * can neither paint a page-wide overlay nor make a reader's browser call another site. Code
 * (fenced blocks and inline code spans) is left exactly as written. Pure.
 */

const ALLOWED_TAGS = new Set([
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);
/** Removed with everything inside them. */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'form',
  'template',
  'noscript',
  'svg',
  'math',
  'textarea',
  'select',
  'frameset',
  'frame',
  'applet',
]);
const ALLOWED_ATTRS: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  td: ['colspan', 'rowspan', 'align'],
  th: ['colspan', 'rowspan', 'align'],
  ol: ['start'],
  details: ['open'],
};
const OWN_IMAGE =
  /^\/api\/v1\/kb\/images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_HREF = /^(https?:|mailto:|tel:|\/|#)/i;

/** Whether an image URL points at one of the knowledge base's own uploads. */
export const isOwnImage = (src: string) => OWN_IMAGE.test(src.trim());

function cleanAttributes(tag: string, raw: string): string | null {
  const allowed = ALLOWED_ATTRS[tag] ?? [];
  const out: string[] = [];
  for (const m of raw.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)) {
    const name = m[1]!.toLowerCase();
    if (!allowed.includes(name)) continue;
    const value = (m[2] ?? '').replace(/^["']|["']$/g, '');
    if (name === 'src' && !isOwnImage(value)) return null; // drop the whole image
    if (name === 'href' && !SAFE_HREF.test(value.trim())) continue;
    out.push(`${name}="${value.replace(/"/g, '&quot;')}"`);
  }
  if (tag === 'img' && !out.some((a) => a.startsWith('src='))) return null;
  return out.length ? ` ${out.join(' ')}` : '';
}

function sanitizeHtml(text: string): string {
  let out = text;
  // Elements removed with their content (an unclosed one runs to the end of the text).
  for (const tag of DROPPED_WITH_CONTENT) {
    out = out.replace(new RegExp(`<${tag}\\b[^]*?(?:</${tag}\\s*>|$)`, 'gi'), '');
    out = out.replace(new RegExp(`</${tag}\\s*>`, 'gi'), '');
  }
  out = out.replace(/<!--[^]*?(?:-->|$)/g, '');
  return out.replace(
    /<(\/?)([a-zA-Z][\w-]*)([^>]*)>/g,
    (_m, close: string, name: string, attrs: string) => {
      const tag = name.toLowerCase();
      if (!ALLOWED_TAGS.has(tag)) return '';
      if (close) return `</${tag}>`;
      const cleaned = cleanAttributes(tag, attrs);
      if (cleaned === null) return '';
      return `<${tag}${cleaned}${attrs.trim().endsWith('/') ? ' /' : ''}>`;
    },
  );
}

/** Markdown images `![alt](url "title")`: kept only for the knowledge base's own uploads. */
function sanitizeImages(text: string): string {
  return text.replace(
    /!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g,
    (whole, alt: string, src: string) => (isOwnImage(src) ? whole : alt),
  );
}

/** Link/image reference definitions (`[x]: url`) that would feed an external image. */
function sanitizeReferences(text: string, imageRefs: Set<string>): string {
  return text.replace(
    /^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(\s.*)?$/gm,
    (line, label: string, url: string) =>
      imageRefs.has(label.toLowerCase()) && !isOwnImage(url) ? '' : line,
  );
}

export function sanitizeMarkdown(source: string): string {
  // Split off code: fenced blocks and inline code spans stay verbatim.
  const parts = source.split(
    /(^ {0,3}(?:```|~~~)[^]*?(?:^ {0,3}(?:```|~~~)[^\n]*$|(?![^]))|`+[^`\n]*`+)/m,
  );
  const imageRefs = new Set(
    [...source.matchAll(/!\[[^\]]*\]\[([^\]]*)\]/g)].map((m) => m[1]!.toLowerCase()),
  );
  return parts
    .map((part, i) =>
      i % 2 === 1 ? part : sanitizeReferences(sanitizeImages(sanitizeHtml(part)), imageRefs),
    )
    .join('');
}
