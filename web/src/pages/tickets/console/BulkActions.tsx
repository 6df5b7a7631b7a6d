import { useState } from 'react';
import { Alert, Button, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBulkTickets, type BulkInput } from '../../../api/tickets';
import type { BulkResult, Ticket, TicketStatus } from '../../../api/ticketTypes';
import { useApiErrorHandler } from '../../../lib/errors';
import { useTicketLabels } from '../../../lib/ticketLabels';
import { AssigneeSelects, type AssigneeValues } from '../components/AssigneeSelects';
import { StatusTag } from '../components/TicketTags';
import { useTicketProblemText } from '../detail/useTicketErrors';

/** Statuses offered in bulk; closing needs a reason or a return visit, so it is done one by one. */
const BULK_STATUSES: TicketStatus[] = [
  'accepted',
  'in_progress',
  'pending_customer',
  'pending_internal',
  'resolved',
];

interface Props {
  selected: Ticket[];
  onDone: () => void;
}

export function BulkActions({ selected, onDone }: Props) {
  const { t } = useTranslation();
  const labels = useTicketLabels();
  const [dialog, setDialog] = useState<'assign' | 'transition' | null>(null);
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [assignForm] = Form.useForm<AssigneeValues>();
  const [statusForm] = Form.useForm<{ to: TicketStatus }>();
  const bulk = useBulkTickets();
  const onError = useApiErrorHandler();
  const describe = useTicketProblemText();

  const run = (input: Omit<BulkInput, 'ids'>) => {
    bulk.mutate(
      { ids: selected.map((ticket) => ticket.id), ...input },
      {
        onSuccess: (data) => {
          setDialog(null);
          setResults(data);
        },
        onError: (error) => onError(error),
      },
    );
  };

  const numbers = new Map(selected.map((ticket) => [ticket.id, ticket.number]));
  const failed = results?.filter((r) => !r.ok).length ?? 0;

  return (
    <>
      <Space wrap data-testid="bulk-actions">
        <Typography.Text>{t('tickets.bulk.selected', { count: selected.length })}</Typography.Text>
        <Button onClick={() => setDialog('assign')} data-testid="bulk-assign">
          {t('tickets.bulk.assign')}
        </Button>
        <Button onClick={() => setDialog('transition')} data-testid="bulk-status">
          {t('tickets.bulk.status')}
        </Button>
        <Button type="link" onClick={onDone}>
          {t('tickets.bulk.clear')}
        </Button>
      </Space>

      <Modal
        title={t('tickets.bulk.assignTitle', { count: selected.length })}
        open={dialog === 'assign'}
        onCancel={() => setDialog(null)}
        onOk={() => assignForm.submit()}
        okText={t('tickets.assign.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={bulk.isPending}
        destroyOnHidden
      >
        <Form<AssigneeValues>
          form={assignForm}
          layout="vertical"
          onFinish={(values) => run({ action: 'assign', ...values })}
        >
          <AssigneeSelects form={assignForm} />
        </Form>
      </Modal>

      <Modal
        title={t('tickets.bulk.statusTitle', { count: selected.length })}
        open={dialog === 'transition'}
        onCancel={() => setDialog(null)}
        onOk={() => statusForm.submit()}
        okText={t('tickets.bulk.apply')}
        cancelText={t('common.cancel')}
        confirmLoading={bulk.isPending}
        destroyOnHidden
      >
        <Form<{ to: TicketStatus }>
          form={statusForm}
          layout="vertical"
          onFinish={({ to }) => run({ action: 'transition', to })}
        >
          <Form.Item
            name="to"
            label={t('tickets.bulk.newStatus')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              options={BULK_STATUSES.map((value) => ({ value, label: labels.status(value) }))}
              data-testid="bulk-status-select"
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('tickets.bulk.resultsTitle')}
        open={results !== null}
        onCancel={() => {
          setResults(null);
          onDone();
        }}
        footer={null}
        width={640}
      >
        <Alert
          type={failed ? 'warning' : 'success'}
          showIcon
          title={t('tickets.bulk.summary', {
            ok: (results?.length ?? 0) - failed,
            failed,
          })}
          style={{ marginBottom: 12 }}
        />
        <Table<BulkResult>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={results ?? []}
          data-testid="bulk-results"
          columns={[
            {
              title: t('tickets.fields.number'),
              key: 'number',
              render: (_, r) => numbers.get(r.id) ?? r.id,
            },
            {
              title: t('tickets.bulk.result'),
              key: 'result',
              render: (_, r) =>
                r.ok ? (
                  <Space>
                    <Tag color="success">{t('tickets.bulk.ok')}</Tag>
                    {r.status && <StatusTag status={r.status} />}
                  </Space>
                ) : (
                  <Space>
                    <Tag color="error">{t('tickets.bulk.failed')}</Tag>
                    <Typography.Text type="secondary">{describe(r.error)}</Typography.Text>
                  </Space>
                ),
            },
          ]}
        />
      </Modal>
    </>
  );
}
