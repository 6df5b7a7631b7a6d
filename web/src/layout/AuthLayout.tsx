import type { ReactNode } from 'react';
import { Card, Flex, Typography, theme } from 'antd';
import { CustomerServiceFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';

/** Centered card used by the sign-in and first-run setup pages. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 24, background: token.colorBgLayout }}
    >
      <div style={{ position: 'fixed', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Flex align="center" gap={8} style={{ marginBottom: 24 }}>
        <CustomerServiceFilled style={{ fontSize: 32, color: token.colorPrimary }} />
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
      </Flex>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {children}
      </Card>
    </Flex>
  );
}
