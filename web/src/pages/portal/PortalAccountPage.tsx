import { App, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSetPortalPassword, type PortalAccount } from '../../api/portal';
import { useApiErrorHandler } from '../../lib/errors';
import { PortalLayout } from './PortalLayout';
import { PortalNav, RequirePortal } from './RequirePortal';

/** `/portal/account` — set (or change) the password for signing in without a code. */
export function PortalAccountPage() {
  const { t } = useTranslation();
  return (
    <PortalLayout title={t('portal.account.title')}>
      <RequirePortal>
        {(account) => (
          <>
            <PortalNav account={account} />
            <PasswordForm account={account} />
          </>
        )}
      </RequirePortal>
    </PortalLayout>
  );
}

interface Values {
  newPassword: string;
  currentPassword?: string;
}

function PasswordForm({ account }: { account: PortalAccount }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSetPortalPassword();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<Values>();
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      style={{ maxWidth: 400 }}
      onFinish={(values) =>
        save.mutate(
          { newPassword: values.newPassword, currentPassword: values.currentPassword || undefined },
          {
            onSuccess: () => {
              form.resetFields();
              void message.success(t('portal.account.saved'));
            },
            onError: (error) => onError(error, form),
          },
        )
      }
      data-testid="portal-password"
    >
      <Typography.Paragraph type="secondary">
        {account.hasPassword ? t('portal.account.changeHint') : t('portal.account.setHint')}
      </Typography.Paragraph>
      {account.hasPassword && (
        <Form.Item name="currentPassword" label={t('portal.account.currentPassword')}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      )}
      <Form.Item
        name="newPassword"
        label={t('portal.account.newPassword')}
        rules={[{ required: true, min: 10, message: t('portal.account.minLength') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('portal.account.save')}
      </Button>
    </Form>
  );
}
