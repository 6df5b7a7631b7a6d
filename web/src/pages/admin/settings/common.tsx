import type { ReactNode } from 'react';
import { App, Button, Card, Flex, Skeleton, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { applyFieldErrors, useErrorMessage, useFieldMessage } from '../../../lib/errors';
import { QueryError } from '../../errors/QueryError';

/**
 * Puts the server's field errors on the form's fields — translated under
 * `adminSettings.fieldErrors.<code>` when the code is specific to settings, under
 * `adminSettings.pathErrors.<path>` when the server gives no code, else as the shared
 * `errors.fieldCodes` — and shows the problem in a toast.
 */
export function useSettingsErrors() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const shared = useFieldMessage();
  return (error: unknown, form: FormInstance) => {
    if (isApiError(error))
      applyFieldErrors(form, error, (e, item) => {
        const byCode = `adminSettings.fieldErrors.${item.code ?? ''}`;
        if (item.code && i18n.exists(byCode)) return t(byCode);
        // Rules the server states without a code (e.g. archive vs. reopen window), by field.
        const byPath = `adminSettings.pathErrors.${item.path.replace(/^\/+|^body\./g, '')}`;
        return !item.code && i18n.exists(byPath) ? t(byPath) : shared(e, item);
      });
    void message.error(describe(error));
  };
}

/** Loading, failure and the card around one settings form. */
export function SettingsCard({
  title,
  intro,
  query,
  children,
  testId,
}: {
  title: string;
  intro?: ReactNode;
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  children: ReactNode;
  testId: string;
}) {
  return (
    <Card data-testid={testId}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {intro && (
        <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
          {intro}
        </Typography.Paragraph>
      )}
      {query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        children
      )}
    </Card>
  );
}

/** Save and reset buttons under a settings form. */
export function SaveBar({
  saving,
  disabled,
  onReset,
}: {
  saving: boolean;
  disabled?: boolean;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Flex gap={8}>
      <Button
        type="primary"
        htmlType="submit"
        loading={saving}
        disabled={disabled}
        data-testid="settings-save"
      >
        {t('common.save')}
      </Button>
      <Button onClick={onReset} disabled={saving || disabled}>
        {t('common.reset')}
      </Button>
    </Flex>
  );
}

/** A toast after a successful save. */
export function useSaved() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return () => void message.success(t('adminSettings.saved'));
}
