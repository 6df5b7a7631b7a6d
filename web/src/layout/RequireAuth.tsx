import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import { isApiError } from '../api/client';
import { useErrorMessage } from '../lib/errors';
import { signInPath } from './signInPath';

/** Renders the app only for a signed-in user; otherwise goes to /sign-in. */
export function RequireAuth() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  const describe = useErrorMessage();

  if (me.isPending) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', minHeight: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      return <Navigate to={signInPath(location.pathname + location.search)} replace />;
    }
    return (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={describe(me.error)}
        extra={
          <Button type="primary" onClick={() => void me.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  return <Outlet />;
}
