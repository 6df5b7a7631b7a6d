import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { chooseLocale, currentLocale } from '../i18n';
import { Icon, type IconName } from './Icon';
import './public.css';

/**
 * Small building blocks of the customer-facing pages: plain elements styled by `public.css`
 * instead of antd (issue 10: a customer's first visit ≤ 200 KB). Staff pages keep antd.
 */

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'default' | 'primary' | 'text' | 'link';
  danger?: boolean;
  large?: boolean;
  icon?: IconName;
  /** Shows the button as busy and ignores clicks (antd's `loading`). */
  busy?: boolean;
};

export function Button({
  variant = 'default',
  danger,
  large,
  icon,
  busy,
  className,
  type = 'button',
  disabled,
  children,
  ...rest
}: ButtonProps) {
  const classes = ['kp-btn'];
  if (variant !== 'default') classes.push(`kp-btn-${variant}`);
  if (danger) classes.push('kp-btn-danger');
  if (large) classes.push('kp-btn-lg');
  if (className) classes.push(className);
  return (
    <button
      type={type}
      className={classes.join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {icon && <Icon name={icon} />}
      {children}
    </button>
  );
}

const RESULT_ICONS = { success: 'success', info: 'info', warning: 'warning' } as const;

/** An outcome with a large icon (antd `Result`). */
export function Result({
  status,
  title,
  subTitle,
  testId,
}: {
  status: keyof typeof RESULT_ICONS;
  title: string;
  subTitle?: string;
  testId?: string;
}) {
  return (
    <div className={`kp-result kp-result-${status}`} role="status" data-testid={testId}>
      <Icon name={RESULT_ICONS[status]} />
      <h3>{title}</h3>
      {subTitle && <p>{subTitle}</p>}
    </div>
  );
}

/** A bordered label/value table (antd `Descriptions`). */
export function Details({
  items,
  testId,
}: {
  items: { key: string; label: string; value: ReactNode }[];
  testId?: string;
}) {
  return (
    <table className="kp-details" data-testid={testId}>
      <tbody>
        {items.map((item) => (
          <tr key={item.key}>
            <th scope="row">{item.label}</th>
            <td>{item.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Grey bars while the content loads (antd `Skeleton`). */
export function Skeleton() {
  const { t } = useTranslation();
  return (
    <div className="kp-skeleton" role="status" aria-label={t('common.loading')}>
      <span />
      <span />
      <span />
    </div>
  );
}

/** An error, warning or confirmation in place (antd `Alert`), announced to screen readers. */
export function Alert({
  type,
  children,
  testId,
}: {
  type: 'error' | 'warning' | 'success';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`kp-alert kp-alert-${type}`}
      role={type === 'success' ? 'status' : 'alert'}
      data-testid={testId}
    >
      <Icon name={type} />
      <span>{children}</span>
    </div>
  );
}

/** zh-CN ⇄ en-US for this session, like the staff pages' `LanguageSwitch`, without antd. */
export function LanguageButton() {
  const { t } = useTranslation();
  const next: Locale = currentLocale() === 'zh-CN' ? 'en-US' : 'zh-CN';
  const label = t('language.switchTo', { language: t(`language.${next}`) });
  return (
    <Button
      variant="text"
      icon="globe"
      onClick={() => chooseLocale(next)}
      title={label}
      aria-label={label}
      data-testid="lang-switch"
      lang={next}
    >
      {t(`language.${next}`)}
    </Button>
  );
}

/**
 * A labelled, required text input with its message under it (antd `Form.Item` + `Input`).
 * `error` is shown once the form was sent; the input is marked invalid and described by it.
 */
export function TextField({
  id,
  label,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; error?: string | null }) {
  return (
    <div className="kp-field kp-field-required">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="kp-input"
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...input}
      />
      {error && (
        <div id={`${id}-error`} className="kp-field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
