import type { ReactNode } from 'react';
import { Card, Flex, Typography, theme } from 'antd';
import { CustomerServiceFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { usePageTitle } from '../../lib/usePageTitle';

/** The customer-facing frame: no staff navigation, just the brand, a language switch and a card. */
export function PortalLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  usePageTitle(`${title} · ${t('portal.name')}`);
  return (
    <Flex
      vertical
      align="center"
      style={{ minHeight: '100vh', padding: '48px 16px', background: token.colorBgLayout }}
    >
      <div style={{ position: 'fixed', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Flex align="center" gap={8} style={{ marginBottom: 24 }}>
        <CustomerServiceFilled style={{ fontSize: 32, color: token.colorPrimary }} />
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('portal.name')}
        </Typography.Title>
      </Flex>
      <Card style={{ width: '100%', maxWidth: 720 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {children}
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 16 }}>
        <Link to="/portal/lookup">{t('portal.lookup.link')}</Link>
        {' · '}
        <Link to="/portal/requests">{t('portal.nav.myRequests')}</Link>
        {' · '}
        <Link to="/help" data-testid="portal-help-link">
          {t('portal.nav.help')}
        </Link>
      </Typography.Text>
    </Flex>
  );
}
