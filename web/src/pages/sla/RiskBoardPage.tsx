import { lazy, Suspense, useState } from 'react';
import {
  Alert,
  Card,
  Col,
  Empty,
  Flex,
  Progress,
  Row,
  Select,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRiskBoard, type SlaRiskItem } from '../../api/sla';
import { useAllTeams } from '../../api/teams';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { Forbidden } from '../errors/Forbidden';
import { QueryError, isForbidden } from '../errors/QueryError';
import { useFormatDuration } from '../admin/sla/format';

const WINDOWS = [15, 30, 60, 120, 240, 480];
// echarts is large: its own chunk, fetched only when the board is opened.
const RiskChart = lazy(() => import('./RiskChart'));
const ALL = '__all__';

/** Supervisors' view: per team, tickets about to breach and breached; refreshed every 30 s. */
export function RiskBoardPage() {
  const { t } = useTranslation();
  usePageTitle(t('slaAdmin.risk.title'));
  const formatDate = useFormatDateTime();
  const formatDuration = useFormatDuration();
  const [teamId, setTeamId] = useState<string>(ALL);
  const [withinMinutes, setWithin] = useState(60);
  const teams = useAllTeams();
  const board = useRiskBoard({ teamId: teamId === ALL ? undefined : teamId, withinMinutes });

  if (isForbidden(board.error)) return <Forbidden />;
  const data = board.data;
  const at = data ? new Date(data.generatedAt).getTime() : 0;

  const columns = (breached: boolean): TableColumnsType<SlaRiskItem> => [
    {
      title: t('slaAdmin.risk.ticket'),
      key: 'number',
      width: 150,
      render: (_, r) => <Link to={`/tickets/${r.ticket.id}`}>{r.ticket.number}</Link>,
    },
    {
      title: t('slaAdmin.risk.subject'),
      key: 'subject',
      ellipsis: true,
      render: (_, r) => r.ticket.subject,
    },
    { title: t('slaAdmin.risk.target'), key: 'kind', render: (_, r) => t(`sla.kinds.${r.kind}`) },
    {
      title: t('slaAdmin.risk.dueAt'),
      key: 'due',
      render: (_, r) => {
        const left = new Date(r.dueAt).getTime() - at;
        return (
          <Flex vertical>
            <span>{formatDate(r.dueAt)}</span>
            <Typography.Text type={breached ? 'danger' : 'warning'}>
              {breached
                ? t('slaAdmin.risk.overdueBy', { duration: formatDuration(-left) })
                : t('slaAdmin.risk.dueIn', { duration: formatDuration(left) })}
            </Typography.Text>
          </Flex>
        );
      },
    },
    { title: t('slaAdmin.risk.owner'), key: 'owner', render: (_, r) => r.owner.name },
    { title: t('slaAdmin.risk.handler'), key: 'handler', render: (_, r) => r.handler?.name ?? '—' },
    {
      title: t('slaAdmin.risk.team'),
      key: 'team',
      render: (_, r) => r.team?.name ?? t('slaAdmin.risk.noTeam'),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="risk-board">
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('slaAdmin.risk.title')}
          </Typography.Title>
          <Flex gap={8} align="center" wrap>
            <Select
              value={teamId}
              onChange={setTeamId}
              style={{ width: 200 }}
              options={[
                { value: ALL, label: t('slaAdmin.risk.allTeams') },
                ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
              ]}
              data-testid="risk-team"
            />
            <Select
              value={withinMinutes}
              onChange={setWithin}
              style={{ width: 200 }}
              options={WINDOWS.map((m) => ({
                value: m,
                label: t('slaAdmin.risk.within', { duration: formatDuration(m * 60_000) }),
              }))}
              data-testid="risk-window"
            />
          </Flex>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('slaAdmin.risk.help')}{' '}
          {data && t('slaAdmin.risk.updated', { time: formatDate(data.generatedAt) })}
        </Typography.Paragraph>
      </Card>
      {board.isError && <QueryError error={board.error} onRetry={() => void board.refetch()} />}
      {data && data.calendarWarnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('slaAdmin.riskCalendars.calendarTitle')}
          description={data.calendarWarnings.map((c) => (
            <div key={c.calendarId}>
              {t('slaAdmin.riskCalendars.calendarItem', { name: c.name, from: c.missingFrom })}{' '}
              <Link to={`/admin/sla/calendars/${c.calendarId}?importYear=${c.missingYear}`}>
                {t('slaAdmin.riskCalendars.calendarLink')}
              </Link>
            </div>
          ))}
          data-testid="risk-calendar-warnings"
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card loading={board.isPending}>
            <Statistic
              title={t('slaAdmin.risk.atRisk')}
              value={data?.totals.atRisk ?? 0}
              styles={{ content: { color: '#d48806' } }}
              data-testid="risk-total-at-risk"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={board.isPending}>
            <Statistic
              title={t('slaAdmin.risk.breached')}
              value={data?.totals.breached ?? 0}
              styles={{ content: { color: '#cf1322' } }}
              data-testid="risk-total-breached"
            />
          </Card>
        </Col>
        {(data?.teams ?? []).map((row) => {
          const total = row.atRisk + row.breached;
          return (
            <Col xs={24} md={12} lg={6} key={row.team?.id ?? 'none'}>
              <Card
                size="small"
                title={row.team?.name ?? t('slaAdmin.risk.noTeam')}
                data-testid="risk-team-card"
              >
                <Flex justify="space-around">
                  <Statistic title={t('slaAdmin.risk.atRisk')} value={row.atRisk} />
                  <Statistic title={t('slaAdmin.risk.breached')} value={row.breached} />
                </Flex>
                <Progress
                  percent={total ? Math.round((row.breached / total) * 100) : 0}
                  strokeColor="#cf1322"
                  railColor="#faad14"
                  showInfo={false}
                  aria-label={t('slaAdmin.risk.breachedShare')}
                />
              </Card>
            </Col>
          );
        })}
      </Row>
      <Card title={t('adminSettings.chart.title')}>
        {data ? (
          <Suspense fallback={<Skeleton active paragraph={{ rows: 3 }} />}>
            <RiskChart teams={data.teams} />
          </Suspense>
        ) : (
          <Skeleton active loading={board.isPending} paragraph={{ rows: 3 }} />
        )}
      </Card>
      <Card title={t('slaAdmin.risk.breachedList')}>
        <Table<SlaRiskItem>
          rowKey="clockId"
          size="small"
          columns={columns(true)}
          dataSource={data?.breached ?? []}
          loading={board.isPending}
          pagination={false}
          locale={{ emptyText: <Empty description={t('slaAdmin.risk.noneBreached')} /> }}
          data-testid="risk-breached-table"
        />
        {data?.truncated.breached && (
          <Tag style={{ marginTop: 8 }}>{t('slaAdmin.risk.truncated')}</Tag>
        )}
      </Card>
      <Card title={t('slaAdmin.risk.atRiskList')}>
        <Table<SlaRiskItem>
          rowKey="clockId"
          size="small"
          columns={columns(false)}
          dataSource={data?.atRisk ?? []}
          loading={board.isPending}
          pagination={false}
          locale={{ emptyText: <Empty description={t('slaAdmin.risk.noneAtRisk')} /> }}
          data-testid="risk-at-risk-table"
        />
        {data?.truncated.atRisk && (
          <Tag style={{ marginTop: 8 }}>{t('slaAdmin.risk.truncated')}</Tag>
        )}
      </Card>
    </Flex>
  );
}
