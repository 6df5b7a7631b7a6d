import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useConfirmation, useDecideConfirmation } from '../../api/portal';
import { useErrorMessage } from '../../lib/errorMessage';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';
import { Alert, Button, Details, Result, Skeleton } from '../../public/ui';
import { PortalLayout } from './PortalLayout';

type Outcome = 'confirmed' | 'rejected';

/**
 * `/portal/confirm/:token` — the customer confirms the resolution or says it is not solved.
 * Plain elements, no antd (a customer's first visit, issue 10): errors show in place.
 */
export function ConfirmPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const summary = useConfirmation(token);
  const decide = useDecideConfirmation(token);
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();
  const describe = useErrorMessage();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const title = t('portal.confirm.title');

  if (outcome) {
    return (
      <PortalLayout title={title}>
        <Result
          status={outcome === 'confirmed' ? 'success' : 'info'}
          title={t(`portal.confirm.${outcome}Title`)}
          subTitle={t(`portal.confirm.${outcome}Text`)}
          testId="confirm-done"
        />
      </PortalLayout>
    );
  }
  if (summary.isPending) {
    return (
      <PortalLayout title={title}>
        <Skeleton />
      </PortalLayout>
    );
  }
  if (summary.isError) {
    const gone = isApiError(summary.error) && [400, 404, 410].includes(summary.error.status);
    return (
      <PortalLayout title={title}>
        <Result
          status="warning"
          title={t(gone ? 'portal.confirm.invalidTitle' : 'errors.loadFailed')}
          subTitle={t(gone ? 'portal.confirm.invalidText' : 'errors.generic')}
          testId="confirm-invalid"
        />
      </PortalLayout>
    );
  }

  const ticket = summary.data;
  if (ticket.state && ticket.state !== 'open') {
    return (
      <PortalLayout title={title}>
        <Result
          status={ticket.state === 'used' ? 'success' : 'warning'}
          title={t(`portal.confirm.state.${ticket.state}`)}
          subTitle={`${ticket.number} · ${ticket.subject}`}
          testId="confirm-spent"
        />
      </PortalLayout>
    );
  }
  const send = (decision: 'confirm' | 'reject', why?: string) => {
    setFailure(null);
    decide.mutate(
      { decision, reason: why },
      {
        onSuccess: () => setOutcome(decision === 'confirm' ? 'confirmed' : 'rejected'),
        onError: (error) => {
          // Used, expired or no longer awaited meanwhile: show the link's state instead.
          if (isApiError(error) && [409, 410].includes(error.status)) void summary.refetch();
          else setFailure(describe(error));
        },
      },
    );
  };
  const submitReject = (e: FormEvent) => {
    e.preventDefault();
    const why = reason.trim();
    setReasonMissing(!why);
    if (why) send('reject', why);
  };

  return (
    <PortalLayout title={title}>
      <Details
        testId="confirm-summary"
        items={[
          { key: 'number', label: t('portal.fields.number'), value: ticket.number },
          { key: 'subject', label: t('portal.fields.subject'), value: ticket.subject },
          { key: 'status', label: t('portal.fields.status'), value: labels.status(ticket.status) },
          {
            key: 'resolvedAt',
            label: t('portal.fields.resolvedAt'),
            value: formatDate(ticket.resolvedAt),
          },
        ]}
      />
      <p>{t('portal.confirm.question')}</p>
      {rejecting ? (
        <form onSubmit={submitReject} noValidate>
          <div className="kp-field kp-field-required">
            <label htmlFor="kp-reject-reason">{t('portal.confirm.reason')}</label>
            <textarea
              id="kp-reject-reason"
              className="kp-input"
              autoFocus
              rows={3}
              maxLength={2000}
              required
              value={reason}
              disabled={decide.isPending}
              onChange={(e) => {
                setReason(e.target.value);
                if (e.target.value.trim()) setReasonMissing(false);
              }}
              aria-invalid={reasonMissing || undefined}
              aria-describedby={reasonMissing ? 'kp-reject-reason-error' : undefined}
              data-testid="reject-reason"
            />
            {reasonMissing && (
              <div id="kp-reject-reason-error" className="kp-field-error" role="alert">
                {t('validation.required')}
              </div>
            )}
          </div>
          <div className="kp-actions kp-actions-end">
            <Button disabled={decide.isPending} onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              variant="primary"
              danger
              busy={decide.isPending}
              data-testid="reject-submit"
            >
              {t('portal.confirm.sendReject')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="kp-actions">
          <Button
            variant="primary"
            large
            icon="check"
            busy={decide.isPending}
            onClick={() => send('confirm')}
            data-testid="confirm-resolved"
          >
            {t('portal.confirm.confirm')}
          </Button>
          <Button
            large
            danger
            icon="close"
            disabled={decide.isPending}
            onClick={() => setRejecting(true)}
            data-testid="confirm-reject"
          >
            {t('portal.confirm.reject')}
          </Button>
        </div>
      )}
      {failure && (
        <Alert type="error" testId="confirm-error">
          {failure}
        </Alert>
      )}
    </PortalLayout>
  );
}
