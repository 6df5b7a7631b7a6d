import { useState } from 'react';
import { Segmented } from 'antd';
import { BarChartOutlined, TableOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export type Shown = 'chart' | 'table';

/**
 * Chart or table: every chart of the reports has a table view with the same numbers, each a
 * link to the tickets behind it (as a click on the chart). A radio group (antd Segmented), so
 * it is reached and switched with the keyboard and named for screen readers.
 */
export function useChartOrTable(initial: Shown = 'chart') {
  return useState<Shown>(initial);
}

export function ChartTableToggle({
  value,
  onChange,
  testId,
}: {
  value: Shown;
  onChange: (v: Shown) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Segmented<Shown>
      size="small"
      value={value}
      onChange={onChange}
      aria-label={t('reports.view.label')}
      data-testid={testId}
      options={[
        { value: 'chart', label: t('reports.view.chart'), icon: <BarChartOutlined /> },
        { value: 'table', label: t('reports.view.table'), icon: <TableOutlined /> },
      ]}
    />
  );
}
