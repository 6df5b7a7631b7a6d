import { useState } from 'react';
import { Button, Card, Descriptions, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { auditCsvUrl, useAuditEvents, type AuditFilters } from '../../../api/audit';
import type { AuditEvent } from '../../../api/types';
import { useFormatDateTime } from '../../../lib/format';
import { usePageTitle } from '../../../lib/usePageTitle';
import { LoadMore } from '../../../layout/LoadMore';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { Forbidden } from '../../errors/Forbidden';
import { AuditFiltersForm } from './AuditFiltersForm';

function AuditDetails({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'ip', label: t('audit.ip'), children: event.ip ?? '' },
          { key: 'ua', label: t('audit.userAgent'), children: event.userAgent ?? '' },
          { key: 'rid', label: t('audit.requestId'), children: event.requestId ?? '' },
        ]}
      />
      <Typography.Text strong>{t('audit.diff')}</Typography.Text>
      <pre
        data-testid="audit-diff"
        style={{
          margin: 0,
          maxHeight: 360,
          overflow: 'auto',
          fontSize: 12,
          whiteSpace: 'pre-wrap',
        }}
      >
        {JSON.stringify(event.diff ?? null, null, 2)}
      </pre>
    </Flex>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  usePageTitle(t('audit.title'));
  const can = useAbilities();
  const formatDate = useFormatDateTime();
  const [filters, setFilters] = useState<AuditFilters>({});
  const events = useAuditEvents(filters);

  if (isForbidden(events.error)) return <Forbidden />;

  const columns: TableColumnsType<AuditEvent> = [
    { title: t('audit.at'), key: 'at', render: (_, e) => formatDate(e.at), width: 190 },
    {
      title: t('audit.actor'),
      key: 'actor',
      render: (_, e) => e.actorName ?? e.actorId ?? t('audit.system'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      render: (action: string) => (
        <span title={action} data-testid="audit-action">
          {t(`audit.actions.${action}`, { defaultValue: action })}
        </span>
      ),
    },
    {
      title: t('audit.target'),
      key: 'target',
      render: (_, e) => {
        const type = e.targetType
          ? t(`audit.targetTypes.${e.targetType}`, { defaultValue: e.targetType })
          : '';
        if (e.targetType === 'ticket' && e.targetId && e.targetLabel)
          return (
            <span data-testid="audit-target">
              {type} · <Link to={`/tickets/${e.targetId}`}>{e.targetLabel}</Link>
            </span>
          );
        return (
          <span title={e.targetId ?? undefined} data-testid="audit-target">
            {[type, e.targetLabel ?? e.targetId].filter(Boolean).join(' · ')}
          </span>
        );
      },
    },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip' },
  ];

  return (
    <Card>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        {can('audit.export') && (
          <Button
            icon={<DownloadOutlined />}
            href={auditCsvUrl(filters)}
            download
            data-testid="export-csv"
          >
            {t('audit.exportCsv')}
          </Button>
        )}
      </Flex>
      <AuditFiltersForm onChange={setFilters} />
      {events.isError && <QueryError error={events.error} onRetry={() => void events.refetch()} />}
      <Table<AuditEvent>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={events.data?.pages.flatMap((page) => page.data) ?? []}
        loading={events.isPending || (events.isFetching && !events.isFetchingNextPage)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (event) => <AuditDetails event={event} /> }}
        data-testid="audit-table"
      />
      <LoadMore query={events} />
    </Card>
  );
}
