import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Call } from '../../api/calls';
import { useFormatDateTime } from '../../lib/format';
import { formatSeconds, STATE_COLORS } from './format';

/** Calls as a table: the call log, and the call records on a ticket or customer. */
export function CallTable(props: {
  calls: Call[];
  loading?: boolean;
  compact?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const columns: TableColumnsType<Call> = [
    {
      title: t('calls.fields.ringAt'),
      dataIndex: 'ringAt',
      render: (v: string) => formatDateTime(v),
    },
    { title: t('calls.fields.caller'), dataIndex: 'callerNumber' },
    {
      title: t('calls.fields.state'),
      dataIndex: 'state',
      render: (s: Call['state']) => <Tag color={STATE_COLORS[s]}>{t(`calls.state.${s}`)}</Tag>,
    },
    {
      title: t('calls.fields.answerTime'),
      dataIndex: 'answerMs',
      render: (v: number | null) => formatSeconds(v, t),
    },
  ];
  if (!props.compact) {
    columns.push(
      {
        title: t('calls.fields.agent'),
        dataIndex: ['agent', 'name'],
        render: (v?: string) => v ?? '—',
      },
      {
        title: t('calls.fields.queue'),
        dataIndex: 'queue',
        render: (v: string | null) => v ?? '—',
      },
      {
        title: t('calls.fields.customer'),
        dataIndex: ['customer', 'name'],
        render: (v?: string) => v ?? '—',
      },
    );
  }
  columns.push(
    {
      title: t('calls.fields.ticket'),
      dataIndex: 'ticket',
      render: (v: Call['ticket']) => (v ? <Link to={`/tickets/${v.id}`}>{v.number}</Link> : '—'),
    },
    {
      title: t('calls.fields.recording'),
      dataIndex: 'recordingUrl',
      render: (v: string | null) =>
        v ? (
          <Typography.Link href={v} target="_blank" rel="noreferrer">
            {t('calls.listen')}
          </Typography.Link>
        ) : (
          '—'
        ),
    },
  );
  return (
    <Table
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={props.calls}
      loading={props.loading}
      pagination={props.compact ? false : { pageSize: 20 }}
      scroll={{ x: true }}
      data-testid={props.testId}
    />
  );
}
