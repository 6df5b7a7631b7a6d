import { Card, Col, Row, Skeleton, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLedgerBusinessTime, useReportLedger, type ReportFilter } from '../../api/reports';
import { useTicketCategories } from '../../api/tickets';
import { QueryError } from '../errors/QueryError';
import { useFormatDuration } from '../admin/sla/format';
import { RepeatsCard } from './RepeatsCard';

/** The service ledger (服务台账) of a month: categories, tags, complaint causes, weak links. */
export function LedgerView({ filter }: { filter: ReportFilter }) {
  const { t, i18n } = useTranslation();
  const q = useReportLedger(filter, true);
  const business = useLedgerBusinessTime(filter, true);
  const businessOf = (stage: string) => business.data?.funnel.find((f) => f.stage === stage);
  const categories = useTicketCategories();
  const duration = useFormatDuration();
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <Skeleton active />;
  const zh = i18n.language.startsWith('zh');
  const label = (key: string) => {
    const c = categories.data?.find((x) => x.key === key);
    return c ? (zh ? c.labelZh : c.labelEn) : key;
  };
  const countTable = (rows: { name: string; count: number }[], title: string, testId: string) => (
    <Card size="small" title={title}>
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={rows}
        data-testid={testId}
        columns={[
          { title: t('reports.ledger.name'), dataIndex: 'name', key: 'name' },
          { title: t('reports.today.count'), dataIndex: 'count', key: 'count', width: 90 },
        ]}
      />
    </Card>
  );
  return (
    <>
      <Typography.Text type="secondary">
        {t('reports.ledger.received', { month: d.month, n: d.received })}
      </Typography.Text>
      <Row gutter={[12, 12]} style={{ marginTop: 8 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('reports.ledger.funnel')}>
            <Table
              size="small"
              rowKey="stage"
              pagination={false}
              dataSource={d.funnel}
              data-testid="reports-ledger-funnel"
              columns={[
                {
                  title: t('reports.ledger.stage'),
                  key: 'stage',
                  render: (_, r) => t(`tickets.status.${r.stage}`),
                },
                { title: t('reports.ledger.tickets'), dataIndex: 'tickets', key: 'tickets' },
                {
                  title: t('reports.ledger.mean'),
                  key: 'mean',
                  render: (_, r) => (r.tickets ? duration(r.meanMs) : '—'),
                },
                {
                  title: t('reports.ledger.businessMean'),
                  key: 'businessMean',
                  render: (_, r) => {
                    const b = businessOf(r.stage);
                    return b ? (b.tickets ? duration(b.meanMs) : '—') : '…';
                  },
                },
                {
                  title: t('reports.ledger.total'),
                  key: 'total',
                  render: (_, r) => (r.tickets ? duration(r.totalMs) : '—'),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          {countTable(
            d.categories.map((c) => ({ name: label(c.key), count: c.count })),
            t('reports.ledger.categories'),
            'reports-ledger-categories',
          )}
        </Col>
        <Col xs={24} lg={12}>
          {countTable(
            d.tags.map((c) => ({ name: c.tag, count: c.count })),
            t('reports.ledger.tags'),
            'reports-ledger-tags',
          )}
        </Col>
        <Col xs={24} lg={12}>
          {countTable(
            d.complaintCauses.map((c) => ({ name: c.tag, count: c.count })),
            t('reports.ledger.causes'),
            'reports-ledger-causes',
          )}
        </Col>
        <Col xs={24}>
          <RepeatsCard
            period={filter.month}
            scope={{ channel: filter.channel, category: filter.category, tier: filter.tier }}
          />
        </Col>
      </Row>
    </>
  );
}
