import { useEffect, useMemo, useRef } from 'react';
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useTranslation } from 'react-i18next';
import { renderMermaidBlocks } from './mermaid';

/** The knowledge base's own uploads: the only images an article may show. */
const OWN_IMAGE = /^\/api\/v1\/kb\/images\/[0-9a-f-]{36}$/i;

/**
 * Renders a Markdown body safely: `marked` turns it into HTML, DOMPurify strips scripts, event
 * handlers, javascript: URLs and anything else unsafe before React inserts it — and, like the
 * server when it saves a body, `style` attributes, forms and their controls, frames, and images
 * that are not the knowledge base's own uploads (no overlays, no tracking pixels).
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true });
  const fragment = DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_ATTR: ['style', 'srcset'],
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'select', 'textarea', 'iframe', 'link'],
    RETURN_DOM_FRAGMENT: true,
  });
  for (const img of fragment.querySelectorAll('img')) {
    if (!OWN_IMAGE.test(img.getAttribute('src') ?? '')) img.replaceWith(img.alt);
  }
  const holder = document.createElement('div');
  holder.append(fragment);
  return holder.innerHTML;
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
