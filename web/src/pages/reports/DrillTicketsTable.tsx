import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DrillTicket } from '../../api/reports';
import { useFormatDateTime } from '../../lib/format';

/** The ticket list behind a number (month KPI drill-down and today board alike). */
export function DrillTicketsTable({
  tickets,
  loading,
}: {
  tickets: DrillTicket[] | undefined;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return (
    <Table<DrillTicket>
      rowKey="id"
      size="small"
      loading={loading}
      scroll={{ x: 'max-content' }}
      dataSource={tickets ?? []}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      data-testid="reports-drill-tickets"
      columns={[
        {
          title: t('tickets.fields.number'),
          key: 'number',
          render: (_, r) => <Link to={`/tickets/${r.id}`}>{r.number}</Link>,
        },
        { title: t('tickets.fields.subject'), dataIndex: 'subject', key: 'subject' },
        {
          title: t('tickets.fields.status'),
          key: 'status',
          render: (_, r) => <Tag>{t(`tickets.status.${r.status}`)}</Tag>,
        },
        {
          title: t('tickets.fields.channel'),
          key: 'channel',
          render: (_, r) => t(`tickets.channel.${r.channel}`),
        },
        { title: t('tickets.fields.tier'), dataIndex: 'tier', key: 'tier' },
        {
          title: t('tickets.fields.receivedAt'),
          key: 'receivedAt',
          render: (_, r) => formatDate(r.receivedAt),
        },
        { title: t('tickets.fields.team'), dataIndex: 'teamName', key: 'team' },
        { title: t('tickets.fields.owner'), dataIndex: 'ownerName', key: 'owner' },
        { title: t('tickets.fields.handler'), dataIndex: 'handlerName', key: 'handler' },
      ]}
    />
  );
}
