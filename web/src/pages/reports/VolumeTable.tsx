import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ReportToday } from '../../api/reports';
import { todayDrillHref } from './params';

interface Row {
  hour: number;
  counts: Record<string, number>;
  total: number;
}

/**
 * The volume chart as a table: one row per hour with tickets, one column per channel; every
 * number opens the tickets it counts, as a bar of the chart does (the total: that hour).
 */
export function VolumeTable({ volume }: { volume: ReportToday['volume'] }) {
  const { t } = useTranslation();
  const channels = [...new Set(volume.map((v) => v.channel))].sort();
  const rows: Row[] = [];
  for (const v of volume) {
    let row = rows.find((r) => r.hour === v.hour);
    if (!row) rows.push((row = { hour: v.hour, counts: {}, total: 0 }));
    row.counts[v.channel] = (row.counts[v.channel] ?? 0) + v.count;
    row.total += v.count;
  }
  rows.sort((a, b) => a.hour - b.hour);
  const cell = (n: number, href: string, testId: string) =>
    n > 0 ? (
      <Link to={href} data-testid={testId}>
        {n}
      </Link>
    ) : (
      0
    );
  return (
    <Table<Row>
      size="small"
      rowKey="hour"
      pagination={false}
      scroll={{ x: 'max-content', y: 260 }}
      dataSource={rows}
      data-testid="reports-volume-table"
      columns={[
        {
          title: t('reports.today.hour'),
          key: 'hour',
          render: (_, r) => `${r.hour}:00–${r.hour + 1}:00`,
        },
        ...channels.map((c) => ({
          title: t(`tickets.channel.${c}`),
          key: c,
          align: 'right' as const,
          render: (_: unknown, r: Row) =>
            cell(
              r.counts[c] ?? 0,
              todayDrillHref({ figure: 'received', channel: c, hour: r.hour }),
              `reports-volume-cell-${c}-${r.hour}`,
            ),
        })),
        {
          title: t('reports.today.total'),
          key: 'total',
          align: 'right' as const,
          render: (_, r) =>
            cell(
              r.total,
              todayDrillHref({ figure: 'received', hour: r.hour }),
              `reports-volume-cell-total-${r.hour}`,
            ),
        },
      ]}
    />
  );
}
