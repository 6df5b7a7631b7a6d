import { useTranslation } from 'react-i18next';
import { KPI_META, type KpiKey, type KpiStatus } from '../../api/kpi';
import { useFormatDuration } from '../admin/sla/format';

/** A KPI value as shown: 95.5 %, 91.67 (points), 1 小时 30 分钟; "—" without a value. */
export function useFormatKpi(): (key: KpiKey, value: number | null) => string {
  const { t } = useTranslation();
  const duration = useFormatDuration();
  return (key, value) => {
    if (value === null) return t('kpi.na');
    const unit = KPI_META[key].unit;
    if (unit === 'ms') return duration(value);
    if (unit === 'points') return value.toFixed(1);
    return `${value.toFixed(value % 1 === 0 ? 0 : 1)}%`;
  };
}

/** Cell colours by status: green met, gold below target, red below the floor. */
export const STATUS_COLORS: Record<KpiStatus, { bg?: string; fg?: string }> = {
  met: { bg: '#f6ffed', fg: '#389e0d' },
  below_target: { bg: '#fffbe6', fg: '#d48806' },
  below_floor: { bg: '#fff1f0', fg: '#cf1322' },
  info: {},
  na: { fg: '#bfbfbf' },
};

/** The previous month, YYYY-MM: the month the assessment is about at the start of a month. */
/** How many months the KPI page's trend shows, up to the chosen month. */
export const TREND_MONTHS = 6;

export function previousMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}
