/** Plain text of a Markdown body, for search tokens and snippets. Pure. */
export function markdownToText(md: string): string {
  return md
    .replace(/```[a-z]*\n?/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/^\s*\|?\s*:?-{3,}.*$/gm, '')
    .replace(/[|*_`~]+/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/**
 * Text for search snippets: like `markdownToText`, but fenced code blocks (Mermaid flowcharts,
 * code samples) are dropped whole — "flowchart TD A-->B" means nothing in a result list. The
 * search index keeps them (a node label can be what someone searches for).
 */
export function snippetText(md: string): string {
  return markdownToText(
    md
      .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(^ {0,3}\1[`~]*[ \t]*$|(?![\s\S]))/gm, '\n')
      .replace(/<pre[\s\S]*?<\/pre>/gi, ' '),
  );
}
