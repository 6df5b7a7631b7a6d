import { Button, Tooltip } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { queryClient } from '../api/queryClient';
import { meKey } from '../api/auth';
import { patchMe } from '../api/profile';
import type { Locale, Me } from '../api/types';
import { currentLocale, setLocale } from '../i18n';
import { useApiErrorHandler } from '../lib/errors';

/** Toggles zh-CN ⇄ en-US; remembered in localStorage and, when signed in, on the user. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const onError = useApiErrorHandler();
  const next: Locale = currentLocale() === 'zh-CN' ? 'en-US' : 'zh-CN';

  const toggle = () => {
    setLocale(next);
    const me = queryClient.getQueryData<Me>(meKey);
    if (me && me.user.locale !== next) patchMe({ locale: next }).catch(onError);
  };

  return (
    <Tooltip title={t('language.switchTo', { language: t(`language.${next}`) })}>
      <Button
        type="text"
        icon={<GlobalOutlined />}
        onClick={toggle}
        data-testid="lang-switch"
        lang={next}
      >
        {t(`language.${next}`)}
      </Button>
    </Tooltip>
  );
}
