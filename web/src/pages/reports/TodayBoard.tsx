import { lazy, Suspense } from 'react';
import { Card, Col, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useReportToday } from '../../api/reports';
import { useFormatDateTime } from '../../lib/format';
import { useFormatDuration } from '../admin/sla/format';
import { QueryError } from '../errors/QueryError';
import { ChartTableToggle, useChartOrTable } from './ChartTableToggle';
import { todayDrillHref } from './params';
import { VolumeTable } from './VolumeTable';

const VolumeChart = lazy(() => import('./VolumeChart'));

/** Today on the floor, refreshed every 30 seconds; every number opens its tickets. */
export function TodayBoard() {
  const { t } = useTranslation();
  const q = useReportToday(true);
  const formatDate = useFormatDateTime();
  const formatDuration = useFormatDuration();
  const [shown, setShown] = useChartOrTable();
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <Skeleton active />;
  // Every number opens the tickets it counts (GET /reports/today/tickets, same condition).
  const stats: {
    key: string;
    value: string | number;
    to?: string;
    danger?: boolean;
    note?: string;
  }[] = [
    { key: 'received', value: d.received, to: todayDrillHref({ figure: 'received' }) },
    { key: 'waiting', value: d.waiting, to: todayDrillHref({ figure: 'waiting' }) },
    {
      key: 'oldestWaiting',
      // How long it has waited reads at a glance; since when is the note under it.
      value: d.oldestWaitingAt
        ? formatDuration(Math.max(0, Date.parse(d.at) - Date.parse(d.oldestWaitingAt)))
        : '—',
      note: d.oldestWaitingAt
        ? t('reports.today.since', { at: formatDate(d.oldestWaitingAt) })
        : undefined,
      // The waiting list comes oldest first.
      to: d.oldestWaitingAt ? todayDrillHref({ figure: 'waiting' }) : undefined,
    },
    {
      key: 'slaAtRisk',
      value: d.slaAtRisk,
      to: todayDrillHref({ figure: 'slaAtRisk' }),
      danger: d.slaAtRisk > 0,
    },
    {
      key: 'slaBreached',
      value: d.slaBreached,
      to: todayDrillHref({ figure: 'slaBreached' }),
      danger: d.slaBreached > 0,
    },
    {
      key: 'greenComplaints',
      value: d.greenComplaintsOpen,
      to: todayDrillHref({ figure: 'greenComplaints' }),
      danger: d.greenComplaintsOpen > 0,
    },
    {
      key: 'csat',
      value: d.csat.average === null ? '—' : `${d.csat.average.toFixed(1)} (${d.csat.answered})`,
      to: d.csat.answered > 0 ? todayDrillHref({ figure: 'csat' }) : undefined,
    },
  ];
  return (
    <>
      <Typography.Text type="secondary" data-testid="reports-today-at">
        {t('reports.today.asOf', { date: d.date, at: formatDate(d.at) })}
      </Typography.Text>
      <Row gutter={[12, 12]} style={{ marginTop: 8 }}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} sm={8} lg={6} xl={3}>
            <Card size="small" data-testid={`reports-today-${s.key}`}>
              <Statistic
                title={t(`reports.today.${s.key}`)}
                value={s.value}
                valueStyle={s.danger ? { color: '#cf1322' } : undefined}
                valueRender={(node) =>
                  s.to ? (
                    <Link to={s.to} data-testid={`reports-today-${s.key}-link`}>
                      {node}
                    </Link>
                  ) : (
                    node
                  )
                }
              />
              {s.note && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s.note}
                </Typography.Text>
              )}
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} lg={16}>
          <Card
            size="small"
            title={t('reports.today.volume')}
            extra={
              <ChartTableToggle value={shown} onChange={setShown} testId="reports-volume-view" />
            }
          >
            {shown === 'table' ? (
              <VolumeTable volume={d.volume} />
            ) : (
              <Suspense fallback={<Skeleton active />}>
                <VolumeChart volume={d.volume} />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('reports.today.queues')}>
            <Table
              size="small"
              pagination={false}
              rowKey="queue"
              data-testid="reports-today-queues"
              dataSource={Object.entries(d.queues).map(([queue, count]) => ({ queue, count }))}
              columns={[
                {
                  title: t('reports.today.queue'),
                  key: 'queue',
                  render: (_, r) => (
                    <Link to={`/tickets?queue=${r.queue}`}>{t(`tickets.queues.${r.queue}`)}</Link>
                  ),
                },
                {
                  title: t('reports.today.count'),
                  key: 'count',
                  render: (_, r) => (
                    <Link
                      to={todayDrillHref({ figure: 'queue', queue: r.queue })}
                      data-testid={`reports-today-queue-${r.queue}`}
                    >
                      {r.count}
                    </Link>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
