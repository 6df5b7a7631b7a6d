import { useMemo } from 'react';
import { Alert, Button, Card, Flex, Segmented, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useExportWithProgress } from './exportProgress';
import { reportExportUrl, useReportDrill } from '../../api/reports';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { DrillTicketsTable } from './DrillTicketsTable';
import { drillOf } from './params';

/** The tickets behind one number of the month dashboard: exactly those the KPI engine counts. */
export function ReportTicketsPage() {
  const { t } = useTranslation();
  const exportWithProgress = useExportWithProgress();
  usePageTitle(t('reports.drill.title'));
  const [params, setParams] = useSearchParams();
  const drill = useMemo(() => drillOf(params), [params]);
  const q = useReportDrill(drill);
  const back = new URLSearchParams({ month: drill.month });
  for (const k of ['channel', 'category', 'tier'] as const) if (drill[k]) back.set(k, drill[k]);
  const shown = q.data?.tickets.length ?? 0;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Link to={`/reports?${back.toString()}`}>
            <ArrowLeftOutlined /> {t('reports.drill.back')}
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t(`kpi.kpis.${drill.kpi}`)} · {drill.month}
          </Typography.Title>
        </Space>
        <Space wrap>
          <Segmented
            value={drill.part}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              next.set('part', String(v));
              setParams(next);
            }}
            options={[
              { value: 'denominator', label: t('reports.drill.denominator') },
              { value: 'numerator', label: t('reports.drill.numerator') },
            ]}
            data-testid="reports-drill-part"
          />
          {(['xlsx', 'csv'] as const).map((format) => (
            <Button
              key={format}
              icon={<DownloadOutlined />}
              href={reportExportUrl({ ...drill, table: 'tickets', format })}
              onClick={(e) =>
                exportWithProgress(e, reportExportUrl({ ...drill, table: 'tickets', format }))
              }
              data-testid={`reports-drill-export-${format}`}
            >
              {t(`reports.export.${format}`)}
            </Button>
          ))}
        </Space>
      </Flex>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Card size="small">
          {q.data && (
            <Typography.Paragraph data-testid="reports-drill-count">
              {t('reports.drill.count', { n: q.data.count, fact: q.data.fact })}
            </Typography.Paragraph>
          )}
          {q.data && q.data.count > shown && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              title={t('reports.drill.more', { shown, n: q.data.count })}
            />
          )}
          <DrillTicketsTable tickets={q.data?.tickets} loading={q.isLoading} />
        </Card>
      )}
    </Space>
  );
}
