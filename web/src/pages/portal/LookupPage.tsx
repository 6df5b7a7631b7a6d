import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useTicketLookup } from '../../api/portal';
import { useErrorMessage } from '../../lib/errorMessage';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';
import { Alert, Button, Details } from '../../public/ui';
import { PortalLayout } from './PortalLayout';
import { PortalTimeline } from './PortalTimeline';

type Field = 'number' | 'contact';

/**
 * `/portal/lookup` — a guest finds a ticket by its number and the phone or e-mail given. Plain
 * elements, no antd (a customer's first visit, issue 10).
 */
export function LookupPage() {
  const { t } = useTranslation();
  const lookup = useTicketLookup();
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();
  const describe = useErrorMessage();
  const [values, setValues] = useState<Record<Field, string>>({ number: '', contact: '' });
  const [missing, setMissing] = useState<Record<Field, boolean>>({
    number: false,
    contact: false,
  });
  const result = lookup.data;
  // One answer for "no such ticket" and "wrong contact", so numbers cannot be probed.
  const notFound = isApiError(lookup.error) && lookup.error.status === 404;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const number = values.number.trim();
    const contact = values.contact.trim();
    setMissing({ number: !number, contact: !contact });
    if (number && contact) lookup.mutate({ number, contact });
  };

  const field = (
    name: Field,
    label: string,
    input: { placeholder?: string; autoComplete: string },
  ) => (
    <div className="kp-field kp-field-required">
      <label htmlFor={`kp-lookup-${name}`}>{label}</label>
      <input
        id={`kp-lookup-${name}`}
        className="kp-input"
        required
        value={values[name]}
        disabled={lookup.isPending}
        onChange={(e) => {
          setValues((v) => ({ ...v, [name]: e.target.value }));
          if (e.target.value.trim()) setMissing((m) => ({ ...m, [name]: false }));
        }}
        aria-invalid={missing[name] || undefined}
        aria-describedby={missing[name] ? `kp-lookup-${name}-error` : undefined}
        data-testid={`lookup-${name}`}
        {...input}
      />
      {missing[name] && (
        <div id={`kp-lookup-${name}-error`} className="kp-field-error" role="alert">
          {t('validation.required')}
        </div>
      )}
    </div>
  );

  return (
    <PortalLayout title={t('portal.lookup.title')}>
      <p className="kp-secondary">{t('portal.lookup.intro')}</p>
      <form onSubmit={submit} noValidate data-testid="lookup-form">
        <div className="kp-row">
          {field('number', t('portal.fields.number'), {
            placeholder: 'KF-2026-000123',
            autoComplete: 'off',
          })}
          {field('contact', t('portal.lookup.contact'), { autoComplete: 'tel email' })}
        </div>
        <Button
          type="submit"
          variant="primary"
          icon="search"
          busy={lookup.isPending}
          data-testid="lookup-submit"
        >
          {t('portal.lookup.submit')}
        </Button>
      </form>
      {lookup.isError && (
        <Alert type={notFound ? 'warning' : 'error'} testId="lookup-error">
          {notFound ? t('portal.lookup.notFound') : describe(lookup.error)}
        </Alert>
      )}
      {result && (
        <div data-testid="lookup-result">
          <hr className="kp-divider" />
          <Details
            items={[
              { key: 'number', label: t('portal.fields.number'), value: result.number },
              { key: 'subject', label: t('portal.fields.subject'), value: result.subject },
              {
                key: 'status',
                label: t('portal.fields.status'),
                value: labels.status(result.status),
              },
              ...(result.receivedAt
                ? [
                    {
                      key: 'receivedAt',
                      label: t('portal.fields.receivedAt'),
                      value: formatDate(result.receivedAt),
                    },
                  ]
                : []),
            ]}
          />
          <h2 className="kp-portal-subtitle">{t('portal.lookup.history')}</h2>
          <PortalTimeline entries={result.timeline} downloadable={false} />
        </div>
      )}
    </PortalLayout>
  );
}
