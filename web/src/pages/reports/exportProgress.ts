import type { MouseEvent } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';

const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${(bytes / 1024).toFixed(0)} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Export progress: the export endpoints stream (rows are written as they are read), so the
 * browser reads the response itself and shows the bytes — and for CSV the rows — received so
 * far, then saves the file under the server's name. Returns an onClick for a link whose href
 * is the export URL (a plain download still works without JavaScript or on right-click).
 */
export function useExportWithProgress() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (e: MouseEvent<HTMLElement>, url: string) => {
    e.preventDefault();
    const key = `export-${url}`;
    const csv = url.includes('format=csv');
    const show = (bytes: number, rows: number) =>
      void message.loading({
        key,
        duration: 0,
        content: `${t('reports.exportProgress.running', { size: sizeOf(bytes) })}${
          csv ? t('reports.exportProgress.rows', { rows: Math.max(rows - 1, 0) }) : ''
        }`,
      });
    void (async () => {
      try {
        show(0, 0);
        const res = await fetch(url, { credentials: 'same-origin' });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.getReader();
        const chunks: Uint8Array[] = [];
        let bytes = 0;
        let rows = 0;
        let last = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          bytes += value.length;
          if (csv) for (const b of value) if (b === 10) rows += 1;
          if (Date.now() - last > 200) {
            last = Date.now();
            show(bytes, rows);
          }
        }
        const name =
          /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
        const blob = new Blob(chunks as BlobPart[], {
          type: res.headers.get('content-type') ?? 'application/octet-stream',
        });
        const href = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = href;
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(href), 60_000);
        void message.success({
          key,
          content: t('reports.exportProgress.done', { size: sizeOf(bytes) }),
        });
      } catch {
        void message.error({ key, content: t('reports.exportProgress.failed') });
      }
    })();
  };
}
