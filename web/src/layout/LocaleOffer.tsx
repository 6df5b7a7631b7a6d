import { useState } from 'react';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../api/auth';
import { patchMe } from '../api/profile';
import { currentLocale, forgetSessionLocale, sessionLocale } from '../i18n';
import { useApiErrorHandler } from '../lib/errors';

/**
 * When the language picked in this session (sign-in page or header switch) differs from the
 * profile's, says so and offers to save it as the profile language. "Keep for now" hides the
 * offer for this language until the tab is closed.
 */
export function LocaleOffer() {
  // useTranslation re-renders this on every language change.
  const { t } = useTranslation();
  const { data: me } = useMe();
  const onError = useApiErrorHandler();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const chosen = sessionLocale();
  const locale = currentLocale();
  if (!me || !chosen || chosen !== locale || me.user.locale === locale || dismissed === locale)
    return null;

  const save = () => {
    setSaving(true);
    patchMe({ locale })
      .then(() => forgetSessionLocale())
      .catch(onError)
      .finally(() => setSaving(false));
  };

  return (
    <Alert
      type="info"
      showIcon
      banner
      data-testid="locale-offer"
      message={t('language.offer.message', {
        chosen: t(`language.${locale}`),
        profile: t(`language.${me.user.locale}`),
      })}
      action={
        <Space wrap>
          <Button
            size="small"
            type="primary"
            loading={saving}
            onClick={save}
            data-testid="locale-offer-save"
          >
            {t('language.offer.save', { chosen: t(`language.${locale}`) })}
          </Button>
          <Button
            size="small"
            onClick={() => setDismissed(locale)}
            data-testid="locale-offer-dismiss"
          >
            {t('language.offer.dismiss')}
          </Button>
        </Space>
      }
    />
  );
}
