import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

/*
 * The problem → message translation, apart from `errors.ts` (which shows toasts with antd's
 * `App`): the customer-facing pages show errors in place and must not import antd (issue 10).
 */

/** Error codes with a translated message (`errors.codes.<code>` in the locale files). */
export const TRANSLATED_CODES = new Set([
  'invalid_credentials',
  'account_locked',
  'rate_limited',
  'email_taken',
  'forbidden',
  'not_found',
  'network_error',
  'csrf_failed',
  'validation_failed',
  'invalid_request',
  'account_deactivated',
  'session_expired',
  'setup_done',
  'cannot_lock_out_self',
  'insufficient_scope',
]);

export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (!isApiError(error)) return t('errors.generic');
    const { code, status, detail, title } = error.problem;
    if (code && TRANSLATED_CODES.has(code)) return t(`errors.codes.${code}`);
    if (status === 429) return t('errors.codes.rate_limited');
    if (status === 403) return t('errors.codes.forbidden');
    return detail || title || t('errors.generic');
  };
}
