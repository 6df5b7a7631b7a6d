import { Button, Form, Input, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { useSetup, useSetupStatus } from '../../api/auth';
import { AuthLayout } from '../../layout/AuthLayout';
import { currentLocale } from '../../i18n';
import { useApiErrorHandler } from '../../lib/errors';
import { usePageTitle } from '../../lib/usePageTitle';
import { MIN_PASSWORD_LENGTH, confirmRule } from '../../lib/password';

interface SetupForm {
  name: string;
  email: string;
  password: string;
  confirm: string;
}

/** First run: creates the first administrator and signs them in. */
export function SetupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SetupForm>();
  const navigate = useNavigate();
  const status = useSetupStatus();
  const setup = useSetup();
  const onError = useApiErrorHandler();
  usePageTitle(t('setup.title'));

  if (status.isPending) return <Spin fullscreen />;
  if (status.data && !status.data.needsSetup && !setup.isSuccess) {
    return <Navigate to="/sign-in" replace />;
  }

  const submit = ({ name, email, password }: SetupForm) => {
    setup.mutate(
      { name, email, password, locale: currentLocale() },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <AuthLayout title={t('setup.title')}>
      <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
      <Form<SetupForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        disabled={setup.isPending}
      >
        <Form.Item
          name="name"
          label={t('fields.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="name" autoFocus />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('fields.email')}
          rules={[
            { required: true, message: t('validation.required') },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('fields.password')}
          extra={t('validation.passwordPolicy', { min: MIN_PASSWORD_LENGTH })}
          rules={[
            { required: true, message: t('validation.required') },
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
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.required') },
            confirmRule('password', t),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={setup.isPending}
          data-testid="setup-submit"
        >
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
