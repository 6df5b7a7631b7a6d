import { useEffect, useMemo, useRef } from 'react';
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useTranslation } from 'react-i18next';
import { renderMermaidBlocks } from './mermaid';

/**
 * Renders a Markdown body safely: `marked` turns it into HTML, DOMPurify strips scripts, event
 * handlers, javascript: URLs and anything else unsafe before React inserts it.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const { t } = useTranslation();
  const html = useMemo(() => renderMarkdown(source), [source]);
  const ref = useRef<HTMLDivElement>(null);
  const errorLabel = t('kb.mermaid.error');

  // ```mermaid blocks become diagrams after the HTML is in the page (mermaid loads lazily).
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    let cancelled = false;
    void renderMermaidBlocks(root, errorLabel, () => cancelled);
    return () => {
      cancelled = true;
    };
  }, [html, errorLabel]);

  // Sanitised above: the only place KB content becomes HTML.
  return (
    <div
      ref={ref}
      className="kb-markdown"
      data-testid={testId}
      dangerouslySetInnerHTML={{ __html: html }}
    />
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
