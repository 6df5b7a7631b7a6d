import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useFollowUpDone, useReturnVisit } from '../../../api/tickets';
import type { Ticket } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketErrorHandler } from './useTicketErrors';

/** Complaints get a return visit (回访) after resolution, before they may close. */
export function ReturnVisitCard({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatDate = useFormatDateTime();
  const [form] = Form.useForm<{ visitedAt: Dayjs; outcome: string; customerAccepted: boolean }>();
  const record = useReturnVisit();
  const onError = useTicketErrorHandler();
  const visit = ticket.returnVisit;

  if (visit) {
    return (
      <Card size="small" title={t('tickets.returnVisit.title')} data-testid="return-visit">
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: 'at',
              label: t('tickets.returnVisit.visitedAt'),
              children: `${formatDate(visit.visitedAt)} · ${visit.by.name}`,
            },
            { key: 'outcome', label: t('tickets.returnVisit.outcome'), children: visit.outcome },
            {
              key: 'accepted',
              label: t('tickets.returnVisit.customerAccepted'),
              children: visit.customerAccepted ? (
                <Tag color="success">{t('tickets.returnVisit.accepted')}</Tag>
              ) : (
                <Tag color="error">{t('tickets.returnVisit.notAccepted')}</Tag>
              ),
            },
          ]}
        />
      </Card>
    );
  }

  if (ticket.status !== 'resolved' || !editable) {
    return (
      <Card size="small" title={t('tickets.returnVisit.title')} data-testid="return-visit">
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('tickets.returnVisit.afterResolution')}
        </Typography.Paragraph>
      </Card>
    );
  }
  return (
    <Card size="small" title={t('tickets.returnVisit.title')} data-testid="return-visit">
      <Form
        form={form}
        layout="vertical"
        disabled={record.isPending}
        initialValues={{ visitedAt: dayjs(), customerAccepted: true }}
        onFinish={(values) =>
          record.mutate(
            {
              ticket,
              visitedAt: values.visitedAt.toISOString(),
              outcome: values.outcome.trim(),
              customerAccepted: values.customerAccepted,
            },
            {
              onSuccess: () => void message.success(t('tickets.returnVisit.saved')),
              onError: (error) => onError(error, form),
            },
          )
        }
        data-testid="return-visit-form"
      >
        <Form.Item name="visitedAt" label={t('tickets.returnVisit.visitedAt')}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          name="outcome"
          label={t('tickets.returnVisit.outcome')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            data-testid="return-visit-outcome"
          />
        </Form.Item>
        <Form.Item name="customerAccepted" label={t('tickets.returnVisit.customerAccepted')}>
          <Radio.Group
            options={[
              { value: true, label: t('tickets.returnVisit.accepted') },
              { value: false, label: t('tickets.returnVisit.notAccepted') },
            ]}
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={record.isPending}
          data-testid="return-visit-submit"
        >
          {t('tickets.returnVisit.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** A ticket closed unresolved carries its reason and follow-up plan until the follow-up is done. */
export function FollowUpCard({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatDate = useFormatDateTime();
  const done = useFollowUpDone();
  const onError = useTicketErrorHandler();
  const followUp = ticket.followUp;
  if (!followUp) return null;

  return (
    <Card
      size="small"
      title={t('tickets.followUp.title')}
      data-testid="follow-up"
      extra={
        followUp.doneAt ? (
          <Tag color="success">{t('tickets.followUp.done')}</Tag>
        ) : (
          <Tag color="warning">{t('tickets.followUp.open')}</Tag>
        )
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'reason', label: t('tickets.transition.reason'), children: followUp.reason },
          { key: 'plan', label: t('tickets.transition.followUpPlan'), children: followUp.plan },
          {
            key: 'due',
            label: t('tickets.transition.followUpDue'),
            children: formatDate(followUp.dueAt),
          },
          ...(followUp.doneAt
            ? [
                {
                  key: 'doneAt',
                  label: t('tickets.followUp.doneAt'),
                  children: formatDate(followUp.doneAt),
                },
              ]
            : []),
        ]}
      />
      {!followUp.doneAt && editable && (
        <Button
          block
          style={{ marginTop: 8 }}
          loading={done.isPending}
          onClick={() =>
            done.mutate(
              { ticket },
              {
                onSuccess: () => void message.success(t('tickets.followUp.markedDone')),
                onError: (error) => onError(error),
              },
            )
          }
          data-testid="follow-up-done"
        >
          {t('tickets.followUp.markDone')}
        </Button>
      )}
    </Card>
  );
}
