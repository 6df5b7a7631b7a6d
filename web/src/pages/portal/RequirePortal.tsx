import type { ReactNode } from 'react';
import { Button, Flex, Space, Spin, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { usePortalMe, usePortalSignOut, type PortalAccount } from '../../api/portal';

/** Renders `children(account)` for a signed-in customer; otherwise goes to the portal sign-in. */
export function RequirePortal({ children }: { children: (account: PortalAccount) => ReactNode }) {
  const me = usePortalMe();
  const location = useLocation();
  if (me.isPending)
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/portal/sign-in?next=${next}`} replace />;
  }
  return <>{children(me.data)}</>;
}

/** The customer's navigation inside a portal card: my requests, new request, account, sign-out. */
export function PortalNav({ account }: { account: PortalAccount }) {
  const { t } = useTranslation();
  const signOut = usePortalSignOut();
  const navigate = useNavigate();
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      <Space size="middle" wrap>
        <Link to="/portal/requests" data-testid="portal-nav-requests">
          {t('portal.nav.myRequests')}
        </Link>
        <Link to="/portal/requests/new" data-testid="portal-nav-new">
          {t('portal.nav.newRequest')}
        </Link>
        <Link to="/portal/account">{t('portal.nav.account')}</Link>
      </Space>
      <Space>
        <Typography.Text type="secondary" data-testid="portal-account-email">
          {account.email}
        </Typography.Text>
        <Button
          size="small"
          icon={<LogoutOutlined />}
          loading={signOut.isPending}
          onClick={() =>
            signOut.mutate(undefined, { onSettled: () => navigate('/portal/sign-in') })
          }
          data-testid="portal-sign-out"
        >
          {t('portal.nav.signOut')}
        </Button>
      </Space>
    </Flex>
  );
}
