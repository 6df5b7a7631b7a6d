import { useState } from 'react';
import { Button, Descriptions, Flex, Form, Input, Result, Skeleton } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useConfirmation, useDecideConfirmation } from '../../api/portal';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';
import { PortalLayout } from './PortalLayout';

type Outcome = 'confirmed' | 'rejected';

/** `/portal/confirm/:token` — the customer confirms the resolution or says it is not solved. */
export function ConfirmPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const summary = useConfirmation(token);
  const decide = useDecideConfirmation(token);
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();
  const onError = useApiErrorHandler();
  const [rejecting, setRejecting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const title = t('portal.confirm.title');

  if (outcome) {
    return (
      <PortalLayout title={title}>
        <Result
          status={outcome === 'confirmed' ? 'success' : 'info'}
          title={t(`portal.confirm.${outcome}Title`)}
          subTitle={t(`portal.confirm.${outcome}Text`)}
          data-testid="confirm-done"
        />
      </PortalLayout>
    );
  }
  if (summary.isPending) {
    return (
      <PortalLayout title={title}>
        <Skeleton active />
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
          data-testid="confirm-invalid"
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
          data-testid="confirm-spent"
        />
      </PortalLayout>
    );
  }
  const send = (decision: 'confirm' | 'reject', reason?: string) =>
    decide.mutate(
      { decision, reason },
      {
        onSuccess: () => setOutcome(decision === 'confirm' ? 'confirmed' : 'rejected'),
        onError: (error) => {
          // Used, expired or no longer awaited meanwhile: show the link's state instead.
          if (isApiError(error) && [409, 410].includes(error.status)) void summary.refetch();
          else onError(error, form);
        },
      },
    );

  return (
    <PortalLayout title={title}>
      <Descriptions
        column={1}
        size="small"
        bordered
        data-testid="confirm-summary"
        items={[
          { key: 'number', label: t('portal.fields.number'), children: ticket.number },
          { key: 'subject', label: t('portal.fields.subject'), children: ticket.subject },
          {
            key: 'status',
            label: t('portal.fields.status'),
            children: labels.status(ticket.status),
          },
          {
            key: 'resolvedAt',
            label: t('portal.fields.resolvedAt'),
            children: formatDate(ticket.resolvedAt),
          },
        ]}
        style={{ marginBottom: 24 }}
      />
      <p>{t('portal.confirm.question')}</p>
      {rejecting ? (
        <Form
          form={form}
          layout="vertical"
          disabled={decide.isPending}
          onFinish={(values) => send('reject', values.reason.trim())}
        >
          <Form.Item
            name="reason"
            label={t('portal.confirm.reason')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input.TextArea
              autoFocus
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              data-testid="reject-reason"
            />
          </Form.Item>
          <Flex gap={8} justify="end">
            <Button onClick={() => setRejecting(false)}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              danger
              htmlType="submit"
              loading={decide.isPending}
              data-testid="reject-submit"
            >
              {t('portal.confirm.sendReject')}
            </Button>
          </Flex>
        </Form>
      ) : (
        <Flex gap={12} wrap>
          <Button
            type="primary"
            size="large"
            icon={<CheckOutlined />}
            loading={decide.isPending}
            onClick={() => send('confirm')}
            data-testid="confirm-resolved"
          >
            {t('portal.confirm.confirm')}
          </Button>
          <Button
            size="large"
            danger
            icon={<CloseOutlined />}
            disabled={decide.isPending}
            onClick={() => setRejecting(true)}
            data-testid="confirm-reject"
          >
            {t('portal.confirm.reject')}
          </Button>
        </Flex>
      )}
    </PortalLayout>
  );
}
