import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import 'antd/dist/reset.css';

/**
 * antd's theme, locale and `App` (message, notification, modal) around every page built with
 * antd: the staff console, staff sign-in, the signed-in portal and the survey. Its own chunk: the
 * public help centre, confirmation and look-up pages are plain elements and never load antd
 * (issue 10: a customer's first visit ≤ 200 KB).
 */
export function AntdRoot() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en-US' ? enUS : zhCN;
  return (
    <ConfigProvider locale={locale} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <Outlet />
      </AntApp>
    </ConfigProvider>
  );
}
