import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useErrorMessage } from '../../lib/errors';
import { Forbidden } from './Forbidden';

export function isForbidden(error: unknown): boolean {
  return isApiError(error) && error.status === 403;
}

/** A failed query: 403 → the Forbidden result, otherwise an inline error with a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  if (isForbidden(error)) return <Forbidden />;
  return (
    <Alert
      type="error"
      showIcon
      title={t('errors.loadFailed')}
      description={describe(error)}
      style={{ marginBottom: 16 }}
      data-testid="query-error"
      action={
        <Button size="small" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}
