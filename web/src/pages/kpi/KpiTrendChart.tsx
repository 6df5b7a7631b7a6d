import { useEffect, useMemo, useRef } from 'react';
import { theme } from 'antd';
import { LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { KPI_META, type KpiKey, type KpiTargets, type KpiTrendPoint } from '../../api/kpi';

echarts.use([
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

type Option = Parameters<echarts.ECharts['setOption']>[0];

/** The percent and point KPIs month by month (durations have their own scale: left out). */
const CHARTED: KpiKey[] = (Object.keys(KPI_META) as KpiKey[]).filter(
  (k) => KPI_META[k].unit !== 'ms',
);

/** Lazily loaded (echarts is large): one line per KPI, the timeliness target as a dashed line. */
export default function KpiTrendChart({
  points,
  targets,
  onPick,
}: {
  points: KpiTrendPoint[];
  targets: KpiTargets | undefined;
  /** A click on a point: that KPI in that month (the reports open its tickets). */
  onPick?: (month: string, kpi: KpiKey) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  const option = useMemo((): Option => {
    const shown = CHARTED.filter((k) => points.some((p) => p.values[k] !== null));
    return {
      textStyle: { fontFamily: token.fontFamily, color: token.colorText },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll', textStyle: { color: token.colorTextSecondary } },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: points.map((p) => p.month) },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: shown.map((k) => ({
        id: k,
        name: t(`kpi.kpis.${k}`),
        ...(onPick ? { cursor: 'pointer', triggerLineEvent: false } : {}),
        type: 'line' as const,
        connectNulls: false,
        data: points.map((p) => p.values[k]),
        ...(k === 'response_timeliness' && targets?.[k].target != null
          ? {
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, color: token.colorSuccess },
                data: [{ yAxis: targets[k].target }],
              },
            }
          : {}),
      })),
    };
  }, [points, targets, t, token, onPick]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onPick) return;
    const open = (p: echarts.ECElementEvent) => {
      const month = points[p.dataIndex]?.month;
      if (p.componentType !== 'series' || typeof p.seriesId !== 'string' || !month) return;
      onPick(month, p.seriesId as KpiKey);
    };
    instance.on('click', open);
    return () => {
      instance.off('click', open);
    };
  }, [onPick, points]);

  return (
    <div
      ref={box}
      style={{ height: 280, width: '100%' }}
      role="img"
      aria-label={t('kpi.trend.title')}
      data-testid="kpi-trend-chart"
    />
  );
}
