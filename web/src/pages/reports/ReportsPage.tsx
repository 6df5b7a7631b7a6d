import { lazy, Suspense, useCallback, useMemo } from 'react';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Dropdown,
  Empty,
  Flex,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, StarFilled, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  KPI_KEYS,
  KPI_META,
  type KpiKey,
  type KpiResult,
  type KpiTargets,
  type KpiTrendPoint,
} from '../../api/kpi';
import {
  reportExportUrl,
  useReportMonth,
  type Kpis,
  type ReportFilter,
  type ReportMonth,
} from '../../api/reports';
import { useAbilities } from '../../api/auth';
import { useAllTeams } from '../../api/teams';
import { useTicketCategories } from '../../api/tickets';
import { PAGED_ROWS } from '../../lib/tables';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { STATUS_COLORS, useFormatKpi } from '../kpi/format';
import type { KpiStatus } from '../../api/kpi';
import { drillHref, filterOf, viewOf } from './params';
import { LedgerView } from './LedgerView';
import { TodayBoard } from './TodayBoard';
import { useExportWithProgress } from './exportProgress';
import { ChartTableToggle, useChartOrTable } from './ChartTableToggle';

const KpiTrendChart = lazy(() => import('../kpi/KpiTrendChart'));

/** Red / green cells (reports/rules/drill.ts cellTone): a miss is red, below the floor bold. */
const CELL_COLORS: Record<KpiStatus, { bg?: string; fg?: string }> = {
  ...STATUS_COLORS,
  below_target: STATUS_COLORS.below_floor,
};

const CHANNELS = ['chat', 'phone', 'email', 'portal', 'walk_in', 'api'] as const;
const TIERS = ['L1', 'L2', 'L3'] as const;

/** A KPI value linking to the tickets behind it, coloured by its status. */
function KpiLink({
  k,
  r,
  targets,
  href,
  testId,
}: {
  k: KpiKey;
  r: KpiResult;
  targets: KpiTargets;
  href: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const format = useFormatKpi();
  const colors = CELL_COLORS[r.status];
  const tip = [
    `${r.numerator} / ${r.denominator}`,
    targets[k].target !== null ? t('kpi.targetIs', { value: format(k, targets[k].target) }) : null,
    targets[k].floor !== null ? t('kpi.floorIs', { value: format(k, targets[k].floor) }) : null,
    t(`kpi.status.${r.status}`),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip title={tip}>
      <Link
        to={href}
        data-status={r.status}
        data-testid={testId}
        style={{
          display: 'block',
          padding: '2px 6px',
          borderRadius: 4,
          background: colors.bg,
          color: colors.fg ?? 'inherit',
          fontWeight: r.status === 'below_floor' ? 600 : undefined,
        }}
      >
        {format(k, r.value)}
      </Link>
    </Tooltip>
  );
}

function ExportMenu({
  filter,
  table,
}: {
  filter: ReportFilter;
  table: 'kpis' | 'trend' | 'agents' | 'teams';
}) {
  const { t } = useTranslation();
  const exportWithProgress = useExportWithProgress();
  return (
    // Opens on click: hover menus do not open on phones.
    <Dropdown
      trigger={['click']}
      menu={{
        items: (['xlsx', 'csv'] as const).map((format) => ({
          key: format,
          label: (
            <a
              href={reportExportUrl({ ...filter, table, format })}
              download
              onClick={(e) => exportWithProgress(e, reportExportUrl({ ...filter, table, format }))}
              data-testid={`reports-export-${table}-${format}`}
            >
              {t(`reports.export.${format}`)}
            </a>
          ),
        })),
      }}
    >
      <Button size="small" icon={<DownloadOutlined />} data-testid={`reports-export-${table}`}>
        {t('reports.export.button')}
      </Button>
    </Dropdown>
  );
}

function Filters({ filter, data }: { filter: ReportFilter; data: ReportMonth | undefined }) {
  const { t, i18n } = useTranslation();
  const [, setParams] = useSearchParams();
  const teams = useAllTeams();
  const categories = useTicketCategories();
  const set = (k: keyof ReportFilter, v: string | undefined) => {
    const next: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...filter, [k]: v })) if (value) next[key] = value;
    setParams(next);
  };
  const zh = i18n.language.startsWith('zh');
  return (
    <Flex wrap gap={8} data-testid="reports-filters">
      <DatePicker
        picker="month"
        allowClear={false}
        value={dayjs(`${filter.month}-01`)}
        onChange={(d) => d && set('month', d.format('YYYY-MM'))}
        data-testid="reports-month"
      />
      <Select
        allowClear
        placeholder={t('reports.filters.team')}
        style={{ minWidth: 140 }}
        value={filter.teamId}
        onChange={(v?: string) => set('teamId', v)}
        options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
        data-testid="reports-filter-team"
      />
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder={t('reports.filters.agent')}
        style={{ minWidth: 140 }}
        value={filter.agentId}
        onChange={(v?: string) => set('agentId', v)}
        options={(data?.agents ?? []).map((a) => ({ value: a.userId, label: a.name }))}
        data-testid="reports-filter-agent"
      />
      <Select
        allowClear
        placeholder={t('reports.filters.channel')}
        style={{ minWidth: 120 }}
        value={filter.channel}
        onChange={(v?: string) => set('channel', v)}
        options={CHANNELS.map((c) => ({ value: c, label: t(`tickets.channel.${c}`) }))}
        data-testid="reports-filter-channel"
      />
      <Select
        allowClear
        placeholder={t('reports.filters.category')}
        style={{ minWidth: 120 }}
        value={filter.category}
        onChange={(v?: string) => set('category', v)}
        options={(categories.data ?? []).map((c) => ({
          value: c.key,
          label: zh ? c.labelZh : c.labelEn,
        }))}
        data-testid="reports-filter-category"
      />
      <Select
        allowClear
        placeholder={t('reports.filters.tier')}
        style={{ minWidth: 100 }}
        value={filter.tier}
        onChange={(v?: string) => set('tier', v)}
        options={TIERS.map((x) => ({ value: x, label: x }))}
        data-testid="reports-filter-tier"
      />
    </Flex>
  );
}

function kpiColumns<T extends { kpis: Kpis }>(
  t: (k: string) => string,
  data: ReportMonth,
  filter: ReportFilter,
  subject: 'agent' | 'team',
  idOf: (row: T) => string,
): TableColumnsType<T> {
  return KPI_KEYS.filter((k) => subject === 'team' || k !== 'complaint_rate').map((k) => ({
    title: t(`kpi.kpis.${k}`),
    key: k,
    width: 110,
    render: (_: unknown, row: T) => (
      <KpiLink
        k={k}
        r={row.kpis[k]}
        targets={data.targets}
        href={drillHref(filter, { kpi: k, part: 'denominator', subject, id: idOf(row) })}
        testId={`reports-cell-${subject}-${k}`}
      />
    ),
  }));
}

/** The 12-month trend as a table: one row per month, every value opens its tickets. */
function TrendTable({ data, filter }: { data: ReportMonth; filter: ReportFilter }) {
  const { t } = useTranslation();
  const subject = data.subject.kind;
  const id = data.subject.id ?? undefined;
  return (
    <Table
      rowKey="month"
      size="small"
      scroll={{ x: 'max-content' }}
      pagination={false}
      dataSource={[...data.trend].reverse()}
      data-testid="reports-trend-table"
      columns={[
        { title: t('reports.columns.month'), dataIndex: 'month', key: 'month', fixed: 'left' },
        ...KPI_KEYS.map((k) => ({
          title: t(`kpi.kpis.${k}`),
          key: k,
          width: 110,
          render: (_: unknown, p: ReportMonth['trend'][number]) => (
            <KpiLink
              k={k}
              r={p.kpis[k]}
              targets={data.targets}
              href={drillHref(
                { ...filter, month: p.month },
                { kpi: k, part: 'denominator', subject, id },
              )}
              testId={`reports-trend-cell-${p.month}-${k}`}
            />
          ),
        })),
      ]}
    />
  );
}

export function ReportsPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  usePageTitle(t('reports.title'));
  const [params, setParams] = useSearchParams();
  const view = viewOf(params);
  const today = view === 'today';
  const filter = useMemo(() => filterOf(params), [params]);
  const month = useReportMonth(filter, view === 'month');
  const data = month.data;
  const format = useFormatKpi();
  const navigate = useNavigate();
  const [trendShown, setTrendShown] = useChartOrTable();
  const headlineKind = data?.subject.kind ?? 'total';
  const headlineId = data?.subject.id ?? undefined;
  // A point of the trend chart opens its tickets, as the same cell of the table does.
  const pickTrend = useCallback(
    (m: string, kpi: KpiKey) =>
      void navigate(
        drillHref(
          { ...filter, month: m },
          { kpi, part: 'denominator', subject: headlineKind, id: headlineId },
        ),
      ),
    [navigate, filter, headlineKind, headlineId],
  );

  const points = useMemo(
    (): KpiTrendPoint[] =>
      (data?.trend ?? []).map((p) => ({
        month: p.month,
        snapshotId: null,
        signed: false,
        values: Object.fromEntries(
          KPI_KEYS.map((k) => [k, p.kpis[k].value]),
        ) as KpiTrendPoint['values'],
        statuses: Object.fromEntries(
          KPI_KEYS.map((k) => [k, p.kpis[k].status]),
        ) as KpiTrendPoint['statuses'],
      })),
    [data],
  );

  const headline = data?.subject;
  const headlineSubject = headline?.kind ?? 'total';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('reports.title')}
        </Typography.Title>
        <Space wrap>
          <Link to={`/reports/print?period=${filter.month}`} data-testid="reports-print-link">
            {t('reports.print.link')}
          </Link>
          {can('reports.admin') && (
            <Link to="/reports/schedules" data-testid="reports-schedules-link">
              {t('reports.schedules.link')}
            </Link>
          )}
          <Link to="/kpi">{t('reports.toKpi')}</Link>
        </Space>
      </Flex>
      <Segmented
        value={view}
        onChange={(v) =>
          setParams(
            v === 'today'
              ? { view: 'today' }
              : v === 'ledger'
                ? { view: 'ledger', month: filter.month }
                : { month: filter.month },
          )
        }
        options={[
          { value: 'month', label: t('reports.today.month') },
          { value: 'today', label: t('reports.today.tab') },
          { value: 'ledger', label: t('reports.ledger.tab') },
        ]}
        data-testid="reports-view"
      />
      {today ? <TodayBoard /> : <Filters filter={filter} data={data} />}
      {view === 'ledger' && <LedgerView filter={filter} />}
      {view !== 'month' ? null : month.isError ? (
        <QueryError error={month.error} onRetry={() => void month.refetch()} />
      ) : !data ? (
        <Skeleton active />
      ) : (
        <>
          <Card
            size="small"
            title={
              headline?.kind === 'total'
                ? t('reports.headline.total', { month: data.month })
                : t('reports.headline.subject', { month: data.month, name: headline?.name ?? '' })
            }
            extra={<ExportMenu filter={filter} table="kpis" />}
          >
            <Row gutter={[12, 12]}>
              {KPI_KEYS.map((k) => {
                const r = data.kpis[k];
                const tg = data.targets[k];
                return (
                  <Col key={k} xs={12} sm={8} lg={6} xl={4}>
                    <Card size="small" data-testid={`reports-kpi-${k}`}>
                      <Statistic
                        title={t(`kpi.kpis.${k}`)}
                        valueRender={() => (
                          <KpiLink
                            k={k}
                            r={r}
                            targets={data.targets}
                            href={drillHref(filter, {
                              kpi: k,
                              part: 'denominator',
                              subject: headlineSubject,
                              id: headline?.id ?? undefined,
                            })}
                            testId={`reports-kpi-value-${k}`}
                          />
                        )}
                      />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {KPI_META[k].unit === 'percent'
                          ? `${r.numerator} / ${r.denominator}`
                          : `n = ${r.denominator}`}
                        {tg.target !== null && ` · ${t('reports.target')} ${format(k, tg.target)}`}
                        {tg.floor !== null && ` · ${t('reports.floor')} ${format(k, tg.floor)}`}
                      </Typography.Text>
                    </Card>
                  </Col>
                );
              })}
            </Row>
          </Card>

          <Card
            size="small"
            title={t('reports.trend')}
            extra={
              <Space wrap>
                <ChartTableToggle
                  value={trendShown}
                  onChange={setTrendShown}
                  testId="reports-trend-view"
                />
                <ExportMenu filter={filter} table="trend" />
              </Space>
            }
          >
            {trendShown === 'table' ? (
              <TrendTable data={data} filter={filter} />
            ) : (
              <Suspense fallback={<Skeleton active />}>
                <KpiTrendChart points={points} targets={data.targets} onPick={pickTrend} />
              </Suspense>
            )}
          </Card>

          <Card size="small">
            <Tabs
              data-testid="reports-tabs"
              items={[
                {
                  key: 'agents',
                  label: t('reports.tabs.agents'),
                  children: (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Flex justify="end">
                        <ExportMenu filter={filter} table="agents" />
                      </Flex>
                      <Table
                        rowKey="userId"
                        size="small"
                        scroll={{ x: 'max-content' }}
                        pagination={PAGED_ROWS}
                        dataSource={data.agents}
                        locale={{ emptyText: <Empty description={t('reports.empty')} /> }}
                        data-testid="reports-agents"
                        columns={[
                          {
                            title: t('reports.columns.agent'),
                            key: 'name',
                            fixed: 'left',
                            render: (_, a) => (
                              <Space size={4}>
                                {a.name}
                                {a.serviceStar && (
                                  <Tooltip title={t('reports.serviceStar')}>
                                    <StarFilled style={{ color: '#faad14' }} />
                                  </Tooltip>
                                )}
                                {a.warnings.length > 0 && (
                                  <Tooltip
                                    title={a.warnings.map((w) => t(`kpi.kpis.${w}`)).join('、')}
                                  >
                                    <Tag color="red" icon={<WarningOutlined />}>
                                      {t('reports.warning')}
                                    </Tag>
                                  </Tooltip>
                                )}
                              </Space>
                            ),
                          },
                          ...kpiColumns<ReportMonth['agents'][number]>(
                            t,
                            data,
                            filter,
                            'agent',
                            (a) => a.userId,
                          ),
                        ]}
                      />
                    </Space>
                  ),
                },
                {
                  key: 'teams',
                  label: t('reports.tabs.teams'),
                  children: (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Flex justify="end">
                        <ExportMenu filter={filter} table="teams" />
                      </Flex>
                      <Table
                        rowKey="teamId"
                        size="small"
                        scroll={{ x: 'max-content' }}
                        pagination={PAGED_ROWS}
                        dataSource={data.teams}
                        data-testid="reports-teams"
                        columns={[
                          {
                            title: t('reports.columns.team'),
                            key: 'name',
                            fixed: 'left',
                            dataIndex: 'name',
                          },
                          ...kpiColumns<ReportMonth['teams'][number]>(
                            t,
                            data,
                            filter,
                            'team',
                            (x) => x.teamId,
                          ),
                        ]}
                      />
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
