import { useState } from 'react';
import { Button, Card, Col, Empty, Modal, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useRepeats,
  useRepeatTickets,
  type RepeatSummary,
  type ReportScope,
} from '../../api/reports';
import { QueryError } from '../errors/QueryError';

type DrillKey = { kind: 'customer' | 'subject'; key?: string } | null;

/** The repeat problems of a period; every number opens the tickets behind it. */
export function RepeatsSummary({
  data,
  onDrill,
}: {
  data: RepeatSummary;
  onDrill?: (d: NonNullable<DrillKey>) => void;
}) {
  const { t } = useTranslation();
  const link = (n: number, d: NonNullable<DrillKey>, testId: string) =>
    onDrill && n > 0 ? (
      <Button
        type="link"
        size="small"
        style={{ padding: 0 }}
        onClick={() => onDrill(d)}
        data-testid={testId}
      >
        {n}
      </Button>
    ) : (
      n
    );
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('reports.repeats.window', { days: data.windowDays })}
      </Typography.Paragraph>
      <Row gutter={[12, 12]}>
        <Col xs={8}>
          <Statistic
            title={t('reports.repeats.total')}
            value={data.repeatTickets}
            data-testid="reports-repeats-total"
          />
        </Col>
        <Col xs={8}>
          <Statistic
            title={t('reports.repeats.byCustomer')}
            valueRender={() =>
              link(data.byCustomer.tickets, { kind: 'customer' }, 'reports-repeats-customer')
            }
          />
        </Col>
        <Col xs={8}>
          <Statistic
            title={t('reports.repeats.bySubject')}
            valueRender={() =>
              link(data.bySubject.tickets, { kind: 'subject' }, 'reports-repeats-subject')
            }
          />
        </Col>
        <Col xs={24} md={12}>
          <TopRepeats
            rows={data.topSubjects.map((r) => ({ key: r.key, label: r.key, repeats: r.repeats }))}
            title={t('reports.repeats.topSubjects')}
            testId="reports-repeats-subjects"
            count={(r) =>
              link(r.repeats, { kind: 'subject', key: r.key }, `reports-repeats-subject-${r.key}`)
            }
          />
        </Col>
        <Col xs={24} md={12}>
          <TopRepeats
            rows={data.topCustomers.map((r) => ({ key: r.key, label: r.name, repeats: r.repeats }))}
            title={t('reports.repeats.topCustomers')}
            testId="reports-repeats-customers"
            count={(r) =>
              link(r.repeats, { kind: 'customer', key: r.key }, 'reports-repeats-customer-row')
            }
          />
        </Col>
      </Row>
    </>
  );
}

interface TopRow {
  key: string;
  label: string;
  repeats: number;
}

/** One "most repeated" table (subject patterns or customers); the count drills down. */
function TopRepeats({
  rows,
  title,
  testId,
  count,
}: {
  rows: TopRow[];
  title: string;
  testId: string;
  count: (r: TopRow) => React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      data-testid={testId}
      locale={{
        emptyText: (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.repeats.none')} />
        ),
      }}
      columns={[
        { title, dataIndex: 'label', key: 'label' },
        {
          title: t('reports.repeats.count'),
          key: 'repeats',
          width: 90,
          render: (_, r) => count(r),
        },
      ]}
    />
  );
}

/** The ledger's repeat problems for a month, with the ticket list in a dialog. */
export function RepeatsCard({ period, scope }: { period: string; scope: ReportScope }) {
  const { t } = useTranslation();
  const q = useRepeats(period, scope);
  const [drill, setDrill] = useState<DrillKey>(null);
  const tickets = useRepeatTickets(drill ? { period, ...scope, ...drill } : null);
  return (
    <Card size="small" title={t('reports.repeats.title')} data-testid="reports-repeats">
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Skeleton active />
      ) : (
        <RepeatsSummary data={q.data} onDrill={setDrill} />
      )}
      <Modal
        open={drill !== null}
        onCancel={() => setDrill(null)}
        footer={null}
        width={900}
        title={t('reports.repeats.tickets', { n: tickets.data?.count ?? 0 })}
      >
        <Table
          size="small"
          rowKey="id"
          loading={tickets.isLoading}
          dataSource={tickets.data?.tickets ?? []}
          data-testid="reports-repeats-tickets"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 700 }}
          columns={[
            {
              title: t('reports.repeats.number'),
              key: 'number',
              render: (_, r) => <Link to={`/tickets/${r.id}`}>{r.number}</Link>,
            },
            { title: t('reports.repeats.subject'), dataIndex: 'subject', key: 'subject' },
            {
              title: t('reports.repeats.status'),
              key: 'status',
              render: (_, r) => t(`tickets.status.${r.status}`),
            },
            {
              title: t('reports.repeats.received'),
              key: 'receivedAt',
              render: (_, r) => dayjs(r.receivedAt).format('YYYY-MM-DD HH:mm'),
            },
            { title: t('reports.repeats.owner'), dataIndex: 'ownerName', key: 'owner' },
          ]}
        />
      </Modal>
    </Card>
  );
}
