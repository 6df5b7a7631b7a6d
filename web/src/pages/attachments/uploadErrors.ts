import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useErrorMessage } from '../../lib/errorMessage';

/** 1536 → "1.5 KB"; sizes of files and limits. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** The user's wording of a refused upload: 413 and 415 name the file, the limit or the type. */
export function useUploadErrorText(opts: { imagesOnly?: boolean } = {}) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  return (error: unknown, filename: string): string => {
    if (!isApiError(error)) return describe(error);
    const problem = error.problem as typeof error.problem & {
      maxBytes?: number;
      detectedType?: string;
    };
    if (error.status === 413) {
      return t('attachments.errors.tooLarge', {
        name: filename,
        max: problem.maxBytes ? formatBytes(problem.maxBytes) : '?',
      });
    }
    if (error.status === 415) {
      return t(
        opts.imagesOnly ? 'attachments.errors.imagesOnly' : 'attachments.errors.unsupported',
        {
          name: filename,
          type: problem.detectedType ?? '?',
        },
      );
    }
    return describe(error);
  };
}
