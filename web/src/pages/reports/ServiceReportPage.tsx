import { lazy, Suspense, useMemo } from 'react';
import {
  Button,
  Card,
  DatePicker,
  Flex,
  List,
  Segmented,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import { FilePdfOutlined, PrinterOutlined, StarFilled, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import quarterOfYear from 'dayjs/plugin/quarterOfYear';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { KPI_KEYS, type KpiKey, type KpiTrendPoint } from '../../api/kpi';
import { serviceReportPdfUrl, useServiceReport } from '../../api/reports';
import { usePageTitle } from '../../lib/usePageTitle';
import { useFormatDuration } from '../admin/sla/format';
import { QueryError } from '../errors/QueryError';
import { STATUS_COLORS, useFormatKpi } from '../kpi/format';
import { lastMonth } from './params';
import { RepeatsSummary } from './RepeatsCard';

dayjs.extend(quarterOfYear);

import { KpiTrendTable } from '../kpi/KpiTrendTable';

const KpiTrendChart = lazy(() => import('../kpi/KpiTrendChart'));

const PERIOD = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/;

/** Print CSS: only the report, on A4, sections on their own pages, colours kept. */
const PRINT_CSS = `
@media print {
  @page { size: A4; margin: 14mm; }
  .ant-layout-sider, .ant-layout-header, .ant-layout-footer, [data-print="hide"] { display: none !important; }
  .ant-layout, .ant-layout-content { margin: 0 !important; padding: 0 !important; background: #fff !important; }
  .service-report .ant-card { break-inside: avoid; box-shadow: none; border-color: #ddd; }
  .service-report .page-break { break-before: page; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`;

/**
 * The monthly or quarterly service report (`/reports/print?period=2026-03` or `2026-Q1`): a
 * printable page (the browser's print, A4) and the same report as a PDF printed on the server.
 */
export function ServiceReportPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('period') ?? lastMonth();
  const period = PERIOD.test(raw) ? raw : lastMonth();
  const quarter = period.includes('Q');
  const q = useServiceReport(period);
  const format = useFormatKpi();
  const duration = useFormatDuration();
  const zh = i18n.language.startsWith('zh');
  const title = quarter
    ? t('reports.print.titleQuarter', { period })
    : t('reports.print.titleMonth', { period });
  usePageTitle(title);
  const d = q.data;

  const points = useMemo(
    (): KpiTrendPoint[] =>
      (d?.trend ?? []).map((p) => ({
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
    [d],
  );

  const cell = (k: KpiKey, r: { value: number | null; status: keyof typeof STATUS_COLORS }) => (
    <span
      data-status={r.status}
      style={{
        display: 'block',
        padding: '1px 6px',
        borderRadius: 4,
        background: STATUS_COLORS[r.status].bg,
        color: STATUS_COLORS[r.status].fg,
      }}
    >
      {format(k, r.value)}
    </span>
  );

  const picker = dayjs(
    quarter
      ? `${period.slice(0, 4)}-${String(Number(period.slice(6)) * 3 - 2).padStart(2, '0')}-01`
      : `${period}-01`,
  );

  return (
    <div className="service-report" data-testid="service-report">
      <style>{PRINT_CSS}</style>
      <Flex
        justify="space-between"
        align="center"
        wrap
        gap={8}
        data-print="hide"
        style={{ marginBottom: 12 }}
      >
        <Flex gap={8} wrap align="center">
          <Link to="/reports">{t('reports.print.back')}</Link>
          <Segmented
            value={quarter ? 'quarter' : 'month'}
            options={[
              { value: 'month', label: t('reports.print.month') },
              { value: 'quarter', label: t('reports.print.quarter') },
            ]}
            onChange={(v) =>
              setParams({
                period:
                  v === 'quarter'
                    ? `${picker.year()}-Q${picker.quarter()}`
                    : picker.format('YYYY-MM'),
              })
            }
            data-testid="service-report-kind"
          />
          <DatePicker
            picker={quarter ? 'quarter' : 'month'}
            allowClear={false}
            value={picker}
            onChange={(v) =>
              v &&
              setParams({ period: quarter ? `${v.year()}-Q${v.quarter()}` : v.format('YYYY-MM') })
            }
            data-testid="service-report-period"
          />
        </Flex>
        <Flex gap={8}>
          <Button
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            data-testid="service-report-print"
          >
            {t('reports.print.print')}
          </Button>
          <Button
            type="primary"
            icon={<FilePdfOutlined />}
            href={serviceReportPdfUrl(period, zh ? 'zh-CN' : 'en-US')}
            download
            data-testid="service-report-pdf"
          >
            {t('reports.print.pdf')}
          </Button>
        </Flex>
      </Flex>
      <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="service-report-title">
        {title}
      </Typography.Title>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !d ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">
            {t('reports.print.meta', {
              at: dayjs(d.generatedAt).format('YYYY-MM-DD HH:mm'),
              tz: d.timeZone,
              version: d.targetVersion,
            })}
          </Typography.Text>
          <Card size="small" title={t('reports.print.kpis')}>
            <Table
              size="small"
              rowKey="k"
              pagination={false}
              scroll={{ x: 600 }}
              data-testid="service-report-kpis"
              dataSource={KPI_KEYS.map((k) => ({ k }))}
              columns={[
                { title: t('kpi.kpi'), key: 'kpi', render: (_, { k }) => t(`kpi.kpis.${k}`) },
                ...(quarter
                  ? d.monthly.map((m) => ({
                      title: m.month,
                      key: m.month,
                      render: (_: unknown, { k }: { k: KpiKey }) => cell(k, m.kpis[k]),
                    }))
                  : []),
                {
                  title: t('reports.print.actual'),
                  key: 'value',
                  render: (_, { k }) => cell(k, d.kpis[k]),
                },
                {
                  title: t('reports.target'),
                  key: 'target',
                  render: (_, { k }) => format(k, d.targets[k].target),
                },
                {
                  title: t('reports.floor'),
                  key: 'floor',
                  render: (_, { k }) => format(k, d.targets[k].floor),
                },
                {
                  title: t('reports.print.result'),
                  key: 'status',
                  render: (_, { k }) => t(`kpi.status.${d.kpis[k].status}`),
                },
              ]}
            />
          </Card>
          <Card size="small" title={t('reports.trend')}>
            <Suspense fallback={<Skeleton active />}>
              <KpiTrendChart points={points} targets={d.targets} />
            </Suspense>
            {/* Printed, the numbers matter as much as the lines. */}
            <KpiTrendTable points={points} testId="service-report-trend-table" />
          </Card>
          <Card
            size="small"
            title={t('reports.print.assessments')}
            className="page-break"
            data-testid="service-report-assessments"
          >
            {d.assessments.map((a) => (
              <div key={a.month} style={{ marginBottom: 8 }}>
                <Typography.Text strong>
                  {a.month} · {t('reports.print.agents', { n: a.agents })}
                </Typography.Text>
                <div>
                  <StarFilled style={{ color: '#faad14' }} /> {t('reports.serviceStar')}：
                  {a.serviceStars.length
                    ? a.serviceStars.map((s) => (
                        <Tag key={s.name} color="gold">
                          {s.name}
                        </Tag>
                      ))
                    : t('reports.print.none')}
                </div>
                <div>
                  <WarningOutlined style={{ color: '#cf1322' }} /> {t('reports.warning')}：
                  {a.warnings.length
                    ? a.warnings.map((w) => (
                        <Tag key={w.name} color="red">
                          {w.name}（{w.kpis.map((k) => t(`kpi.kpis.${k}`)).join('、')}）
                        </Tag>
                      ))
                    : t('reports.print.none')}
                </div>
              </div>
            ))}
          </Card>
          <Card size="small" title={t('reports.ledger.tab')}>
            <Typography.Paragraph>
              {t('reports.print.received', { n: d.ledger.received })}
            </Typography.Paragraph>
            <Flex gap={16} wrap>
              <List
                size="small"
                header={t('reports.ledger.categories')}
                dataSource={d.ledger.categories}
                style={{ flex: 1, minWidth: 240 }}
                locale={{ emptyText: t('reports.print.none') }}
                renderItem={(c) => (
                  <List.Item>
                    <span>{(zh ? c.labelZh : c.labelEn) ?? c.key}</span>
                    <span>{c.count}</span>
                  </List.Item>
                )}
              />
              <List
                size="small"
                header={t('reports.ledger.causes')}
                dataSource={d.ledger.complaintCauses}
                style={{ flex: 1, minWidth: 240 }}
                locale={{ emptyText: t('reports.print.none') }}
                renderItem={(c) => (
                  <List.Item>
                    <span>{c.tag}</span>
                    <span>{c.count}</span>
                  </List.Item>
                )}
              />
            </Flex>
            <Table
              size="small"
              rowKey="stage"
              pagination={false}
              dataSource={d.ledger.funnel}
              title={() => t('reports.ledger.funnel')}
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
              ]}
            />
          </Card>
          <Card size="small" title={t('reports.repeats.title')}>
            <RepeatsSummary data={d.repeats} />
          </Card>
        </Flex>
      )}
    </div>
  );
}
