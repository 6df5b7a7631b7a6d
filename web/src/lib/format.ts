import { useTranslation } from 'react-i18next';

/** Locale-aware date-time formatter; `—` style placeholder for empty values comes from i18n. */
export function useFormatDateTime(): (iso: string | null | undefined) => string {
  const { t, i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => {
    if (!iso) return t('common.never');
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : fmt.format(date);
  };
}
