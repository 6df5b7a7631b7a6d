import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { KPI_KEYS, type KpiTrendPoint } from '../../api/kpi';
import { STATUS_COLORS, useFormatKpi } from './format';

/**
 * The trend chart's numbers as a table (newest month first, every KPI, coloured by status), for
 * screen readers, for print, and for whoever wants the figures rather than the lines.
 */
export function KpiTrendTable({
  points,
  testId = 'kpi-trend-table',
}: {
  points: KpiTrendPoint[];
  testId?: string;
}) {
  const { t } = useTranslation();
  const format = useFormatKpi();
  return (
    <Table<KpiTrendPoint>
      rowKey="month"
      size="small"
      scroll={{ x: 'max-content' }}
      pagination={false}
      dataSource={[...points].reverse()}
      data-testid={testId}
      columns={[
        { title: t('reports.columns.month'), dataIndex: 'month', key: 'month', fixed: 'left' },
        ...KPI_KEYS.map((k) => ({
          title: t(`kpi.kpis.${k}`),
          key: k,
          width: 110,
          onCell: (p: KpiTrendPoint) => ({
            style: {
              background: STATUS_COLORS[p.statuses[k]].bg,
              color: STATUS_COLORS[p.statuses[k]].fg,
            },
          }),
          render: (_: unknown, p: KpiTrendPoint) => format(k, p.values[k]),
        })),
      ]}
    />
  );
}
