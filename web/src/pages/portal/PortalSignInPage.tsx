import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
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
import { useErrorMessage } from '../../lib/errorMessage';
import { Alert, Button, TextField } from '../../public/ui';
import { PortalLayout } from './PortalLayout';

/** Only same-portal paths are followed after sign-in (no open redirects). */
const safeNext = (next: string | null) =>
  next && next.startsWith('/portal/') && !next.startsWith('//') ? next : '/portal/requests';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CODE = /^\s*\d{6}\s*$/;
type Tab = 'code' | 'password';
const TABS: Tab[] = ['code', 'password'];

/**
 * `/portal/sign-in` — a customer signs in with a mailed one-time code or a password. Plain
 * elements, no antd (a public page, issue 10); the pages after sign-in bring antd along.
 */
export function PortalSignInPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = usePortalMe();
  const requestCode = useRequestCode();
  const verify = useVerifyCode();
  const password = usePasswordSignIn();
  const describe = useErrorMessage();
  const [tab, setTab] = useState<Tab>('code');
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ code: null, password: null });
  const [codeEmail, setCodeEmail] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [pwEmail, setPwEmail] = useState('');
  const [pw, setPw] = useState('');
  const [sent, setSent] = useState<Record<'request' | 'verify' | 'password', boolean>>({
    request: false,
    verify: false,
    password: false,
  });
  const next = safeNext(params.get('next'));
  const locale: PortalLocale = i18n.language.startsWith('en') ? 'en-US' : 'zh-CN';
  const done = () => navigate(next, { replace: true });

  if (me.data) return <Navigate to={next} replace />;

  const failure = (error: unknown, key: string) =>
    isApiError(error) && error.status === 401 ? t(`portal.signIn.${key}`) : describe(error);
  const emailError = (value: string, shown: boolean) =>
    shown && !EMAIL.test(value.trim()) ? t('validation.email') : null;

  const submitRequest = (e: FormEvent) => {
    e.preventDefault();
    setSent((s) => ({ ...s, request: true }));
    const value = email.trim();
    if (!EMAIL.test(value)) return;
    requestCode.mutate({ email: value, locale }, { onSuccess: () => setCodeEmail(value) });
  };
  const submitVerify = (e: FormEvent) => {
    e.preventDefault();
    setSent((s) => ({ ...s, verify: true }));
    if (codeEmail === null || !CODE.test(code)) return;
    verify.mutate({ email: codeEmail, code: code.trim(), locale }, { onSuccess: done });
  };
  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    setSent((s) => ({ ...s, password: true }));
    if (!EMAIL.test(pwEmail.trim()) || !pw) return;
    password.mutate({ email: pwEmail.trim(), password: pw }, { onSuccess: done });
  };
  // Arrow keys move between the tabs (WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const other = TABS[(TABS.indexOf(tab) + 1) % TABS.length]!;
    setTab(other);
    tabRefs.current[other]?.focus();
  };

  const codePanel =
    codeEmail === null ? (
      <form onSubmit={submitRequest} noValidate data-testid="portal-code-request">
        <TextField
          id="kp-code-email"
          type="email"
          label={t('portal.signIn.email')}
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          disabled={requestCode.isPending}
          error={emailError(email, sent.request)}
          data-testid="portal-email"
        />
        <Button
          type="submit"
          variant="primary"
          busy={requestCode.isPending}
          data-testid="portal-send-code"
        >
          {t('portal.signIn.sendCode')}
        </Button>
      </form>
    ) : (
      <form onSubmit={submitVerify} noValidate data-testid="portal-code-verify">
        <div className="kp-form-alert">
          <Alert type="success">{t('portal.signIn.codeSent', { email: codeEmail })}</Alert>
        </div>
        <TextField
          id="kp-code"
          label={t('portal.signIn.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          autoFocus
          value={code}
          onChange={(e) => setCode(e.target.value)}
          disabled={verify.isPending}
          error={sent.verify && !CODE.test(code) ? t('portal.signIn.codeHint') : null}
          data-testid="portal-code"
        />
        <div className="kp-actions">
          <Button
            type="submit"
            variant="primary"
            busy={verify.isPending}
            data-testid="portal-verify"
          >
            {t('portal.signIn.submit')}
          </Button>
          <Button
            variant="link"
            onClick={() => {
              setCodeEmail(null);
              setCode('');
              setSent((s) => ({ ...s, verify: false }));
            }}
          >
            {t('portal.signIn.otherEmail')}
          </Button>
        </div>
      </form>
    );

  const passwordPanel = (
    <form onSubmit={submitPassword} noValidate data-testid="portal-password-form">
      <TextField
        id="kp-password-email"
        type="email"
        label={t('portal.signIn.email')}
        autoComplete="email"
        value={pwEmail}
        onChange={(e) => setPwEmail(e.target.value)}
        disabled={password.isPending}
        error={emailError(pwEmail, sent.password)}
      />
      <TextField
        id="kp-password"
        type="password"
        label={t('portal.signIn.password')}
        autoComplete="current-password"
        value={pw}
        onChange={(e) => setPw(e.target.value)}
        disabled={password.isPending}
        error={sent.password && !pw ? t('validation.required') : null}
      />
      <Button type="submit" variant="primary" busy={password.isPending}>
        {t('portal.signIn.submit')}
      </Button>
    </form>
  );

  const codeFailed = requestCode.isError || verify.isError;
  return (
    <PortalLayout title={t('portal.signIn.title')}>
      <p className="kp-secondary">{t('portal.signIn.intro')}</p>
      <div className="kp-tabs" role="tablist" onKeyDown={onTabKey}>
        {TABS.map((key) => (
          <button
            key={key}
            ref={(el) => {
              tabRefs.current[key] = el;
            }}
            type="button"
            role="tab"
            id={`kp-tab-${key}`}
            className="kp-tab"
            aria-selected={tab === key}
            aria-controls={`kp-panel-${key}`}
            tabIndex={tab === key ? 0 : -1}
            onClick={() => setTab(key)}
          >
            {t(key === 'code' ? 'portal.signIn.tabCode' : 'portal.signIn.tabPassword')}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`kp-panel-${tab}`} aria-labelledby={`kp-tab-${tab}`}>
        {tab === 'code' ? codePanel : passwordPanel}
        {tab === 'code' && codeFailed && (
          <Alert type="error" testId="portal-sign-in-error">
            {failure(requestCode.error ?? verify.error, 'invalidCode')}
          </Alert>
        )}
        {tab === 'password' && password.isError && (
          <Alert type="error">{failure(password.error, 'invalidCredentials')}</Alert>
        )}
      </div>
      <p className="kp-secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to="/portal/lookup">{t('portal.signIn.guest')}</Link>
      </p>
    </PortalLayout>
  );
}
