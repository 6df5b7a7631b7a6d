import { useTranslation } from 'react-i18next';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One `Intl.DateTimeFormat` per locale and options for the page's lifetime: building one costs
 * far more than formatting with it, and the hooks below run on every render of every row that
 * shows a time (the ticket list's 50 rows, a timeline's entries; issue 10).
 */
export function dateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, fmt);
  }
  return fmt;
}

/** Locale-aware date-time formatter; `—` style placeholder for empty values comes from i18n. */
export function useFormatDateTime(): (iso: string | null | undefined) => string {
  const { t, i18n } = useTranslation();
  const fmt = dateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => {
    if (!iso) return t('common.never');
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : fmt.format(date);
  };
}
