import type { ReactNode } from 'react';
import { Flex, Layout, Typography, theme } from 'antd';
import { CustomerServiceFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitch } from '../../layout/LanguageSwitch';

/** Public pages for customers: no sign-in, no staff navigation. */
export function HelpLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: token.colorBgContainer,
          display: 'flex',
          alignItems: 'center',
          padding: '0 16px',
        }}
      >
        <Flex
          align="center"
          justify="space-between"
          style={{ width: '100%', maxWidth: 960, margin: '0 auto' }}
        >
          <Link to="/help">
            <Flex align="center" gap={8}>
              <CustomerServiceFilled style={{ fontSize: 24, color: token.colorPrimary }} />
              <Typography.Text strong style={{ fontSize: 18, whiteSpace: 'nowrap' }}>
                {t('kb.help.title')}
              </Typography.Text>
            </Flex>
          </Link>
          <Flex align="center" gap={8} style={{ whiteSpace: 'nowrap' }}>
            {/* The portal is where a customer asks when the articles do not answer. */}
            <Link to="/portal" data-testid="help-portal-link">
              {t('kb.help.portalLink')}
            </Link>
            <LanguageSwitch />
          </Flex>
        </Flex>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <div style={{ maxWidth: 960, margin: '0 auto' }}>{children}</div>
      </Layout.Content>
    </Layout>
  );
}
