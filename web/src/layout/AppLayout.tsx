import { useState } from 'react';
import { Grid, Layout, Space, Typography, theme } from 'antd';
import { CustomerServiceFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { SideMenu } from './SideMenu';
import { UserMenu } from './UserMenu';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';
import { CalendarCoverageBanner } from '../pages/admin/sla/CalendarCoverageBanner';
import { LocaleOffer } from './LocaleOffer';
import { CallScreenPop } from '../pages/calls/CallScreenPop';

const { Sider, Header, Content } = Layout;

export function AppLayout() {
  const { t } = useTranslation();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  const phone = Grid.useBreakpoint().md === false;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        collapsedWidth={phone ? 0 : 80}
      >
        <Link
          to="/"
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            height: 64,
            padding: '0 24px',
            color: '#fff',
            fontSize: 18,
            fontWeight: 600,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <CustomerServiceFilled />
          {!collapsed && <span>{t('app.name')}</span>}
        </Link>
        <SideMenu />
      </Sider>
      <Layout>
        <Header
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            padding: phone ? '0 12px' : '0 24px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Text type="secondary">{phone ? '' : t('app.tagline')}</Typography.Text>
          <Space size={phone ? 'small' : 'middle'}>
            <NotificationBell />
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Header>
        <LocaleOffer />
        <Content style={{ margin: phone ? 8 : 24, minWidth: 0 }}>
          <CalendarCoverageBanner />
          <Outlet />
          <CallScreenPop />
        </Content>
      </Layout>
    </Layout>
  );
}
