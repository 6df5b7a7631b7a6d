import { App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../../api/profile';
import { useApiErrorHandler } from '../../lib/errors';
import { MIN_PASSWORD_LENGTH, confirmRule } from '../../lib/password';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function PasswordForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const onError = useApiErrorHandler();

  const submit = ({ currentPassword, newPassword }: Values) => {
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('profile.passwordChanged'));
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <Card title={t('profile.changePassword')}>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={change.isPending}
        data-testid="password-form"
      >
        <Form.Item name="currentPassword" label={t('fields.currentPassword')} rules={[required]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('fields.newPassword')}
          extra={t('validation.passwordPolicy', { min: MIN_PASSWORD_LENGTH })}
          rules={[
            required,
            {
              min: MIN_PASSWORD_LENGTH,
              message: t('validation.passwordMin', { min: MIN_PASSWORD_LENGTH }),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('fields.confirmPassword')}
          dependencies={['newPassword']}
          rules={[required, confirmRule('newPassword', t)]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('profile.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
