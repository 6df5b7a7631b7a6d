import { Button, Tooltip } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { chooseLocale, currentLocale } from '../i18n';

/**
 * Toggles zh-CN ⇄ en-US for this session (remembered in this browser). It never changes the
 * profile: signed-in users are offered to save the choice by `LocaleOffer`.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const next: Locale = currentLocale() === 'zh-CN' ? 'en-US' : 'zh-CN';

  return (
    <Tooltip title={t('language.switchTo', { language: t(`language.${next}`) })}>
      <Button
        type="text"
        icon={<GlobalOutlined />}
        onClick={() => chooseLocale(next)}
        data-testid="lang-switch"
        lang={next}
      >
        {t(`language.${next}`)}
      </Button>
    </Tooltip>
  );
}
