import { useTranslation } from 'react-i18next';
import { LOCALES } from '../i18n';

export function useLocaleOptions() {
  const { t } = useTranslation();
  return LOCALES.map((locale) => ({ value: locale, label: t(`language.${locale}`) }));
}
