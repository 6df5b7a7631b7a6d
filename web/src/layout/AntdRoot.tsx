import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import 'antd/dist/reset.css';
// Every antd component's styles, built ahead of time (antd's default theme on CSS variables):
// with `zeroRuntime` antd generates no CSS while rendering. Generating it (CSS-in-JS: style
// objects serialised and inserted per component on first use) was the largest single part of a
// staff page's main-thread time before its content showed (issue 10, docs/benchmarks.md).
import 'antd/dist/antd.css';

/**
 * The prebuilt CSS has plain selectors (`.ant-btn`, no hash class) and follows the default
 * theme through CSS variables, which antd still sets at run time (cheap): a token set here
 * (colours, radius) reaches the components, a different algorithm (dark) would not.
 */
const THEME: ThemeConfig = { zeroRuntime: true, hashed: false, token: { colorPrimary: '#1677ff' } };

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
    <ConfigProvider locale={locale} theme={THEME}>
      <AntApp>
        <Outlet />
      </AntApp>
    </ConfigProvider>
  );
}
