import { useState } from 'react';
import { Alert, Empty, Flex, List, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePolicyDiff, usePolicyVersions, type SlaPolicyVersionSummary } from '../../../api/sla';
import { useFormatDateTime } from '../../../lib/format';
import { QueryError } from '../../errors/QueryError';

const show = (value: unknown) =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** Every version (newest first) and, between any two, the change list of `GET /sla/policies/diff`. */
export function PolicyHistory() {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const versions = usePolicyVersions();
  const list = versions.data ?? [];
  const newest = list[0]?.version;
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const a = from ?? (newest && newest > 1 ? newest - 1 : undefined);
  const b = to ?? newest;
  const diff = usePolicyDiff(a, b);
  const picks = list.map((v) => ({ value: v.version, label: `v${v.version}` }));

  const columns: TableColumnsType<SlaPolicyVersionSummary> = [
    {
      title: t('slaAdmin.history.version'),
      key: 'v',
      width: 90,
      render: (_, v) => `v${v.version}`,
    },
    { title: t('slaAdmin.history.reason'), dataIndex: 'reason', key: 'reason' },
    {
      title: t('slaAdmin.history.by'),
      key: 'by',
      render: (_, v) => v.createdBy?.name ?? t('slaAdmin.policies.system'),
    },
    { title: t('slaAdmin.history.at'), key: 'at', render: (_, v) => formatDate(v.createdAt) },
    { title: t('slaAdmin.history.count'), dataIndex: 'policyCount', key: 'n', width: 110 },
  ];

  const d = diff.data;
  return (
    <div data-testid="policy-history">
      {versions.isError && (
        <QueryError error={versions.error} onRetry={() => void versions.refetch()} />
      )}
      <Table<SlaPolicyVersionSummary>
        rowKey="version"
        size="small"
        columns={columns}
        dataSource={list}
        loading={versions.isPending}
        pagination={false}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('slaAdmin.history.compare')}
      </Typography.Title>
      {list.length < 2 ? (
        <Empty description={t('slaAdmin.history.onlyOne')} />
      ) : (
        <>
          <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
            <Select value={a} options={picks} onChange={setFrom} style={{ width: 100 }} />
            <span>→</span>
            <Select value={b} options={picks} onChange={setTo} style={{ width: 100 }} />
          </Flex>
          {diff.isError && <QueryError error={diff.error} onRetry={() => void diff.refetch()} />}
          {d && (
            <div data-testid="policy-diff">
              {d.orderChanged && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('slaAdmin.history.orderChanged')}
                  style={{ marginBottom: 8 }}
                />
              )}
              {!d.orderChanged && !d.added.length && !d.removed.length && !d.changed.length && (
                <Empty description={t('slaAdmin.history.noChanges')} />
              )}
              {d.added.map((key) => (
                <div key={`+${key}`}>
                  <Tag color="green">{t('slaAdmin.history.added')}</Tag>
                  <Typography.Text code>{key}</Typography.Text>
                </div>
              ))}
              {d.removed.map((key) => (
                <div key={`-${key}`}>
                  <Tag color="red">{t('slaAdmin.history.removed')}</Tag>
                  <Typography.Text code>{key}</Typography.Text>
                </div>
              ))}
              {d.changed.map((c) => (
                <List
                  key={c.key}
                  size="small"
                  header={
                    <>
                      <Tag color="blue">{t('slaAdmin.history.changed')}</Tag>
                      <Typography.Text code>{c.key}</Typography.Text>
                    </>
                  }
                  dataSource={c.changes}
                  renderItem={(ch) => (
                    <List.Item>
                      <Typography.Text code>{ch.path}</Typography.Text>: {show(ch.from)} →{' '}
                      {show(ch.to)}
                    </List.Item>
                  )}
                />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}
