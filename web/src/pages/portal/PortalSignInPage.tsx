import { useState } from 'react';
import { Alert, Button, Form, Input, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import {
  usePasswordSignIn,
  usePortalMe,
  useRequestCode,
  useVerifyCode,
  type PortalLocale,
} from '../../api/portal';
import { useErrorMessage } from '../../lib/errors';
import { PortalLayout } from './PortalLayout';

/** Only same-portal paths are followed after sign-in (no open redirects). */
const safeNext = (next: string | null) =>
  next && next.startsWith('/portal/') && !next.startsWith('//') ? next : '/portal/requests';

/** `/portal/sign-in` — a customer signs in with a mailed one-time code or a password. */
export function PortalSignInPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = usePortalMe();
  const requestCode = useRequestCode();
  const verify = useVerifyCode();
  const password = usePasswordSignIn();
  const describe = useErrorMessage();
  const [codeEmail, setCodeEmail] = useState<string | null>(null);
  const next = safeNext(params.get('next'));
  const locale: PortalLocale = i18n.language.startsWith('en') ? 'en-US' : 'zh-CN';
  const done = () => navigate(next, { replace: true });

  if (me.data) return <Navigate to={next} replace />;

  const failure = (error: unknown, code: string) =>
    isApiError(error) && error.status === 401 ? t(`portal.signIn.${code}`) : describe(error);

  const codeTab = (
    <>
      {codeEmail === null ? (
        <Form<{ email: string }>
          layout="vertical"
          onFinish={({ email }) =>
            requestCode.mutate(
              { email: email.trim(), locale },
              { onSuccess: () => setCodeEmail(email.trim()) },
            )
          }
          data-testid="portal-code-request"
        >
          <Form.Item
            name="email"
            label={t('portal.signIn.email')}
            rules={[{ required: true, type: 'email', message: t('validation.email') }]}
          >
            <Input autoComplete="email" data-testid="portal-email" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={requestCode.isPending}
            data-testid="portal-send-code"
          >
            {t('portal.signIn.sendCode')}
          </Button>
        </Form>
      ) : (
        <Form<{ code: string }>
          layout="vertical"
          onFinish={({ code }) =>
            verify.mutate({ email: codeEmail, code: code.trim(), locale }, { onSuccess: done })
          }
          data-testid="portal-code-verify"
        >
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('portal.signIn.codeSent', { email: codeEmail })}
          />
          <Form.Item
            name="code"
            label={t('portal.signIn.code')}
            rules={[
              { required: true, pattern: /^\s*\d{6}\s*$/, message: t('portal.signIn.codeHint') },
            ]}
          >
            <Input
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              data-testid="portal-code"
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={verify.isPending}
            data-testid="portal-verify"
          >
            {t('portal.signIn.submit')}
          </Button>
          <Button type="link" onClick={() => setCodeEmail(null)}>
            {t('portal.signIn.otherEmail')}
          </Button>
        </Form>
      )}
      {(requestCode.isError || verify.isError) && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 16 }}
          title={failure(requestCode.error ?? verify.error, 'invalidCode')}
          data-testid="portal-sign-in-error"
        />
      )}
    </>
  );

  const passwordTab = (
    <>
      <Form<{ email: string; password: string }>
        layout="vertical"
        onFinish={(values) =>
          password.mutate(
            { email: values.email.trim(), password: values.password },
            { onSuccess: done },
          )
        }
        data-testid="portal-password-form"
      >
        <Form.Item
          name="email"
          label={t('portal.signIn.email')}
          rules={[{ required: true, type: 'email', message: t('validation.email') }]}
        >
          <Input autoComplete="email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('portal.signIn.password')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={password.isPending}>
          {t('portal.signIn.submit')}
        </Button>
      </Form>
      {password.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 16 }}
          title={failure(password.error, 'invalidCredentials')}
        />
      )}
    </>
  );

  return (
    <PortalLayout title={t('portal.signIn.title')}>
      <Typography.Paragraph type="secondary">{t('portal.signIn.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'code', label: t('portal.signIn.tabCode'), children: codeTab },
          { key: 'password', label: t('portal.signIn.tabPassword'), children: passwordTab },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to="/portal/lookup">{t('portal.signIn.guest')}</Link>
      </Typography.Paragraph>
    </PortalLayout>
  );
}
