import { useMemo } from 'react';
import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Renders a Markdown body safely: `marked` turns it into HTML, DOMPurify strips scripts, event
 * handlers, javascript: URLs and anything else unsafe before React inserts it.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  // Sanitised above: the only place KB content becomes HTML.
  return (
    <div className="kb-markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />
  );
}

/** Search snippet: matched parts in <mark>, as React text (never HTML). */
export function Snippet({ parts }: { parts: { text: string; match: boolean }[] }) {
  return (
    <span>
      {parts.map((p, i) =>
        p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </span>
  );
}
