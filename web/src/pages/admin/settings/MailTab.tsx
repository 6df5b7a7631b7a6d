import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Row,
  Segmented,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import {
  useMailStatus,
  useOutbox,
  useRetryMail,
  type MailStatus,
  type OutboxMail,
} from '../../../api/settings';
import { LoadMore } from '../../../layout/LoadMore';
import { useApiErrorHandler } from '../../../lib/errors';
import { useFormatDateTime } from '../../../lib/format';
import { outboxMailColumns } from '../../mail/outboxColumns';
import { QueryError } from '../../errors/QueryError';

const STATUS_COLORS: Record<MailStatus, string> = {
  queued: 'blue',
  sent: 'green',
  failed: 'red',
  expired: 'default',
  discarded: 'default',
};

/** Environment variables that switch sending on (docs/mail.md). */
const REQUIRED_VARS = ['KEFU_SMTP_URL', 'KEFU_MAIL_FROM'];
const OPTIONAL_VARS = ['KEFU_PUBLIC_URL', 'KEFU_MAIL_SEND_MS', 'KEFU_MAIL_MAX_ATTEMPTS'];

function MailStatusCard() {
  const { t } = useTranslation();
  const status = useMailStatus();
  if (status.isError)
    return <QueryError error={status.error} onRetry={() => void status.refetch()} />;
  if (status.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  const s = status.data;
  return (
    <Flex vertical gap={16}>
      {s.configured ? (
        <Alert
          type="success"
          showIcon
          title={t('adminSettings.mail.configured')}
          description={t('adminSettings.mail.sender', { from: s.from ?? '' })}
          data-testid="mail-configured"
        />
      ) : (
        <Alert
          type="warning"
          showIcon
          title={t('adminSettings.mail.notConfigured')}
          description={
            <>
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                {t('adminSettings.mail.notConfiguredHelp')}
              </Typography.Paragraph>
              <Flex gap={8} wrap>
                {REQUIRED_VARS.map((v) => (
                  <Typography.Text code key={v}>
                    {v}
                  </Typography.Text>
                ))}
              </Flex>
              <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
                {t('adminSettings.mail.optionalVars')}{' '}
                {OPTIONAL_VARS.map((v) => (
                  <Typography.Text code key={v}>
                    {v}
                  </Typography.Text>
                ))}
              </Typography.Paragraph>
            </>
          }
          data-testid="mail-not-configured"
        />
      )}
      <Row gutter={16}>
        {(['queued', 'sent', 'failed', 'expired'] as const).map((k) => (
          <Col xs={8} md={4} key={k}>
            <Statistic
              title={t(`adminSettings.mail.status.${k}`)}
              value={s.counts[k]}
              data-testid={`mail-count-${k}`}
            />
          </Col>
        ))}
      </Row>
    </Flex>
  );
}

/** Mail: whether sending is configured, and the outbox with retry of failed mail. */
export function MailTab() {
  const { t } = useTranslation();
  const can = useAbilities();
  const formatDate = useFormatDateTime();
  const [status, setStatus] = useState<MailStatus | 'all'>('all');
  const outbox = useOutbox(status === 'all' ? undefined : status);
  const retry = useRetryMail();
  const onError = useApiErrorHandler();
  const rows = outbox.data?.pages.flatMap((p) => p.data) ?? [];

  const columns: TableColumnsType<OutboxMail> = [
    ...outboxMailColumns(t, formatDate),
    {
      title: t('adminSettings.mail.statusColumn'),
      key: 'status',
      width: 110,
      render: (_, m) => (
        <Tag color={STATUS_COLORS[m.status]} data-testid="mail-status" data-status={m.status}>
          {t(`adminSettings.mail.status.${m.status}`)}
        </Tag>
      ),
    },
    {
      title: t('adminSettings.mail.attempts'),
      dataIndex: 'attempts',
      key: 'attempts',
      width: 80,
    },
    {
      title: t('adminSettings.mail.when'),
      key: 'when',
      width: 190,
      render: (_, m) =>
        m.status === 'sent'
          ? t('adminSettings.mail.sentAt', { time: formatDate(m.sentAt) })
          : m.status === 'queued'
            ? t('adminSettings.mail.nextAttempt', { time: formatDate(m.nextAttemptAt) })
            : m.status === 'expired' && m.expiresAt
              ? t('adminSettings.mail.expiresAt', { time: formatDate(m.expiresAt) })
              : '—',
    },
    {
      title: t('adminSettings.mail.lastError'),
      key: 'lastError',
      ellipsis: true,
      render: (_, m) =>
        m.lastError ? <Typography.Text type="danger">{m.lastError}</Typography.Text> : '—',
    },
  ];
  if (can('mail.retry'))
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, m) =>
        m.status === 'failed' ? (
          <Button
            size="small"
            loading={retry.isPending && retry.variables === m.id}
            onClick={() => retry.mutate(m.id, { onError: (e) => onError(e) })}
            data-testid="mail-retry"
          >
            {t('adminSettings.mail.retry')}
          </Button>
        ) : null,
    });

  return (
    <Flex vertical gap={16} data-testid="mail-settings">
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('adminSettings.mail.title')}
        </Typography.Title>
        <MailStatusCard />
      </Card>
      <Card
        title={t('adminSettings.mail.outbox')}
        extra={
          <Segmented<MailStatus | 'all'>
            value={status}
            onChange={setStatus}
            options={(['all', 'queued', 'sent', 'failed', 'expired'] as const).map((s) => ({
              value: s,
              label: t(`adminSettings.mail.status.${s}`),
            }))}
            data-testid="mail-filter"
          />
        }
      >
        <Typography.Paragraph type="secondary">
          {t('adminSettings.mail.outboxHelp')}
        </Typography.Paragraph>
        {outbox.isError && (
          <QueryError error={outbox.error} onRetry={() => void outbox.refetch()} />
        )}
        <Table<OutboxMail>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={outbox.isPending}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty description={t('adminSettings.mail.empty')} /> }}
          data-testid="mail-outbox"
        />
        <LoadMore query={outbox} />
      </Card>
    </Flex>
  );
}
