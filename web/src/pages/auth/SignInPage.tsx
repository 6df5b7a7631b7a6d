import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMe, useSetupStatus, useSignIn, type SignInInput } from '../../api/auth';
import { AuthLayout } from '../../layout/AuthLayout';
import { applyFieldErrors, useErrorMessage, useFieldMessage } from '../../lib/errors';
import { isApiError } from '../../api/client';
import { usePageTitle } from '../../lib/usePageTitle';
import { safeNext } from './safeNext';

export function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SignInInput>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const setup = useSetupStatus();
  const me = useMe();
  const signIn = useSignIn();
  const describe = useErrorMessage();
  const fieldMessage = useFieldMessage();
  usePageTitle(t('auth.signIn'));

  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (me.data && !signIn.isPending) return <Navigate to={next} replace />;

  const submit = (values: SignInInput) => {
    signIn.mutate(values, {
      onSuccess: () => void navigate(next, { replace: true }),
      onError: (error) => {
        if (isApiError(error)) applyFieldErrors(form, error, fieldMessage);
      },
    });
  };

  return (
    <AuthLayout title={t('auth.signIn')}>
      {signIn.isError && (
        <Alert
          type="error"
          showIcon
          title={describe(signIn.error)}
          style={{ marginBottom: 16 }}
          data-testid="sign-in-error"
        />
      )}
      <Form<SignInInput>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        disabled={signIn.isPending}
      >
        <Form.Item
          name="email"
          label={t('fields.email')}
          rules={[
            { required: true, message: t('validation.required') },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input prefix={<MailOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('fields.password')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={signIn.isPending}
          data-testid="sign-in-submit"
        >
          {t('auth.signInButton')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
