import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Flex,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  useAlertChannels,
  useAlertDeliveries,
  useDeleteAlertChannel,
  useTestAlertChannel,
  type AlertChannel,
  type AlertDelivery,
} from '../../../api/alerts';
import { useAbilities } from '../../../api/auth';
import { useApiErrorHandler } from '../../../lib/errors';
import { useFormatDateTime } from '../../../lib/format';
import { usePageTitle } from '../../../lib/usePageTitle';
import { LoadMore } from '../../../layout/LoadMore';
import { Forbidden } from '../../errors/Forbidden';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { ChannelModal } from './ChannelModal';
import { SmsSettingsCard } from './SmsSettingsCard';

const STATUS_COLOURS = { pending: 'gold', delivered: 'green', failed: 'red' } as const;

export function AlertsPage() {
  const { t } = useTranslation();
  usePageTitle(t('alerts.title'));
  const can = useAbilities();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const formatDate = useFormatDateTime();
  const channels = useAlertChannels();
  const [status, setStatus] = useState<string>('all');
  const deliveries = useAlertDeliveries({ status: status === 'all' ? undefined : status });
  const test = useTestAlertChannel();
  const remove = useDeleteAlertChannel();
  // undefined: closed; null: creating; a channel: editing.
  const [editing, setEditing] = useState<AlertChannel | null | undefined>(undefined);

  if (isForbidden(channels.error)) return <Forbidden />;
  const manage = can('alerts.manage');

  const runTest = (c: AlertChannel) =>
    test.mutate(c.id, {
      onSuccess: ({ data }) => {
        if (data.ok) void message.success(t('alerts.testOk', { code: data.statusCode ?? '' }));
        else void message.error(t('alerts.testFailed', { reason: data.error ?? '' }));
      },
      onError: (e) => onError(e),
    });

  const columns: TableColumnsType<AlertChannel> = [
    { title: t('alerts.fields.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('alerts.fields.channelType'),
      key: 'type',
      render: (_, c) => t(`alerts.channelTypes.${c.channelType}`),
    },
    {
      title: t('alerts.fields.team'),
      key: 'team',
      render: (_, c) => c.teamName ?? t('alerts.allTeams'),
    },
    {
      title: t('alerts.fields.eventTypes'),
      key: 'events',
      render: (_, c) => (
        <Space size={[0, 4]} wrap>
          {c.eventTypes.map((e) => (
            <Tag key={e}>{t(`alerts.events.${e}`)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('alerts.fields.url'),
      key: 'url',
      width: 260,
      ellipsis: true,
      render: (_, c) => <Typography.Text code>{c.url}</Typography.Text>,
    },
    {
      title: t('alerts.fields.secret'),
      key: 'secret',
      render: (_, c) => (c.secretSet ? c.secretHint : t('alerts.noSecret')),
    },
    {
      title: t('alerts.fields.enabled'),
      key: 'enabled',
      render: (_, c) =>
        c.enabled ? <Tag color="green">{t('alerts.on')}</Tag> : <Tag>{t('alerts.off')}</Tag>,
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, c) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(c)} data-testid="edit-channel">
            {t('common.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            loading={test.isPending && test.variables === c.id}
            onClick={() => runTest(c)}
            data-testid="test-channel"
          >
            {t('alerts.test')}
          </Button>
          <Popconfirm
            title={t('alerts.deleteConfirm')}
            onConfirm={() => remove.mutate(c.id, { onError: (e) => onError(e) })}
            okText={t('alerts.delete')}
            cancelText={t('common.cancel')}
          >
            <Button type="link" size="small" danger data-testid="delete-channel">
              {t('alerts.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  const logColumns: TableColumnsType<AlertDelivery> = [
    { title: t('alerts.log.at'), key: 'at', render: (_, d) => formatDate(d.createdAt) },
    { title: t('alerts.fields.name'), dataIndex: 'channelName', key: 'channel' },
    {
      title: t('alerts.log.event'),
      key: 'event',
      render: (_, d) => t(`alerts.events.${d.eventType}`),
    },
    { title: t('alerts.log.ticket'), key: 'ticket', render: (_, d) => d.ticketNumber ?? '—' },
    {
      title: t('alerts.log.status'),
      key: 'status',
      render: (_, d) => (
        <Tag color={STATUS_COLOURS[d.status]} data-testid="delivery-status">
          {t(`alerts.status.${d.status}`)}
        </Tag>
      ),
    },
    { title: t('alerts.log.attempts'), dataIndex: 'attempts', key: 'attempts' },
    {
      title: t('alerts.log.code'),
      key: 'code',
      render: (_, d) => d.lastStatusCode ?? '—',
    },
    {
      title: t('alerts.log.error'),
      key: 'error',
      ellipsis: true,
      render: (_, d) =>
        d.lastError ??
        (d.nextAttemptAt ? t('alerts.log.next', { at: formatDate(d.nextAttemptAt) }) : ''),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('alerts.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('alerts.intro')}</Typography.Text>
          </div>
          {manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing(null)}
              data-testid="create-channel"
            >
              {t('alerts.create')}
            </Button>
          )}
        </Flex>
        {channels.isError && (
          <QueryError error={channels.error} onRetry={() => void channels.refetch()} />
        )}
        <Table<AlertChannel>
          rowKey="id"
          columns={columns}
          dataSource={channels.data?.pages.flatMap((p) => p.data) ?? []}
          loading={channels.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('alerts.empty') }}
          data-testid="channels-table"
        />
        <LoadMore query={channels} />
      </Card>
      <Card>
        <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('alerts.log.title')}
          </Typography.Title>
          <Segmented
            value={status}
            onChange={(v) => setStatus(String(v))}
            options={['all', 'pending', 'delivered', 'failed'].map((s) => ({
              value: s,
              label: s === 'all' ? t('alerts.status.all') : t(`alerts.status.${s}`),
            }))}
            data-testid="delivery-filter"
          />
        </Flex>
        {deliveries.isError && (
          <QueryError error={deliveries.error} onRetry={() => void deliveries.refetch()} />
        )}
        <Table<AlertDelivery>
          rowKey="id"
          columns={logColumns}
          dataSource={deliveries.data?.pages.flatMap((p) => p.data) ?? []}
          loading={deliveries.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('alerts.log.empty') }}
          data-testid="deliveries-table"
        />
        <LoadMore query={deliveries} />
      </Card>
      <SmsSettingsCard manage={manage} />
      <ChannelModal
        open={editing !== undefined}
        channel={editing ?? undefined}
        onClose={() => setEditing(undefined)}
      />
    </Space>
  );
}
