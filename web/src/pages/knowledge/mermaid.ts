import type { Mermaid } from 'mermaid';

/**
 * Mermaid diagrams in manual articles (```mermaid blocks in process/SOP articles). The library
 * is large, so it is imported on first use only — pages without a diagram never download it —
 * and runs with securityLevel 'strict': labels are sanitised and click handlers disabled.
 */
let loading: Promise<Mermaid> | undefined;

function loadMermaid(): Promise<Mermaid> {
  loading ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
    return mermaid;
  });
  return loading;
}

let counter = 0;

/**
 * Replaces each `<pre><code class="language-mermaid">` under `root` by its diagram. A block
 * that does not parse stays as code with `errorLabel` above it; one bad diagram never stops
 * the others or the page.
 */
export async function renderMermaidBlocks(
  root: HTMLElement,
  errorLabel: string,
  cancelled: () => boolean,
): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre > code.language-mermaid')];
  if (!blocks.length) return;
  let mermaid: Mermaid;
  try {
    mermaid = await loadMermaid();
  } catch {
    loading = undefined; // a failed chunk download: try again next time, keep the code now
    return;
  }
  for (const code of blocks) {
    const pre = code.parentElement;
    if (cancelled() || !pre?.isConnected) return;
    const id = `kb-mermaid-${(counter += 1)}`;
    try {
      const { svg } = await mermaid.render(id, code.textContent ?? '');
      if (cancelled() || !pre.isConnected) return;
      const figure = document.createElement('div');
      figure.className = 'kb-mermaid';
      figure.dataset.testid = 'kb-mermaid';
      // Produced by mermaid in strict mode from the (already sanitised) article text.
      figure.innerHTML = svg;
      pre.replaceWith(figure);
    } catch {
      // Mermaid leaves its error drawing in the document: remove it, keep the source as code.
      document.getElementById(`d${id}`)?.remove();
      document.getElementById(id)?.remove();
      if (pre.previousElementSibling?.classList.contains('kb-mermaid-error')) continue;
      const note = document.createElement('div');
      note.className = 'kb-mermaid-error';
      note.dataset.testid = 'kb-mermaid-error';
      note.textContent = errorLabel;
      pre.before(note);
    }
  }
}
