import { useMemo } from 'react';
import { Alert, Button, Card, Flex, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { todayExportUrl, useReportTodayDrill } from '../../api/reports';
import { useAbilities } from '../../api/auth';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { DrillTicketsTable } from './DrillTicketsTable';
import { useExportWithProgress } from './exportProgress';
import { todayDrillOf } from './params';

/** The tickets behind one number of the today board: exactly those the board counts. */
export function TodayTicketsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const drill = useMemo(() => todayDrillOf(params), [params]);
  const q = useReportTodayDrill(drill);
  const formatDate = useFormatDateTime();
  const can = useAbilities();
  const exportWithProgress = useExportWithProgress();
  const what = [
    drill.figure === 'queue'
      ? `${t('reports.today.queue')} · ${t(`tickets.queues.${drill.queue ?? 'all'}`)}`
      : t(`reports.todayDrill.figures.${drill.figure}`),
    drill.channel ? t(`tickets.channel.${drill.channel}`) : null,
    drill.hour !== undefined ? `${drill.hour}:00–${drill.hour + 1}:00` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  usePageTitle(what);
  const shown = q.data?.tickets.length ?? 0;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Link to="/reports?view=today">
            <ArrowLeftOutlined /> {t('reports.todayDrill.back')}
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="reports-today-drill-title">
            {what}
          </Typography.Title>
        </Space>
        {can('reports.export') && (
          // Every ticket counted (the page shows at most 1,000), as the board counts them now.
          <Space wrap>
            {(['xlsx', 'csv'] as const).map((format) => (
              <Button
                key={format}
                icon={<DownloadOutlined />}
                href={todayExportUrl({ ...drill, format })}
                onClick={(e) => exportWithProgress(e, todayExportUrl({ ...drill, format }))}
                data-testid={`reports-today-export-${format}`}
              >
                {t(`reports.export.${format}`)}
              </Button>
            ))}
          </Space>
        )}
      </Flex>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Card size="small">
          {q.data && (
            <Typography.Paragraph data-testid="reports-drill-count">
              {t('reports.todayDrill.count', {
                n: q.data.count,
                date: q.data.date,
                at: formatDate(q.data.at),
              })}
              {q.data.withoutTicket > 0 &&
                ` ${t('reports.todayDrill.withoutTicket', { n: q.data.withoutTicket })}`}
            </Typography.Paragraph>
          )}
          {q.data && q.data.count - q.data.withoutTicket > shown && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              title={t('reports.todayDrill.more', { shown, n: q.data.count })}
            />
          )}
          <DrillTicketsTable tickets={q.data?.tickets} loading={q.isLoading} />
        </Card>
      )}
    </Space>
  );
}
