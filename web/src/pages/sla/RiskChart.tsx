import { useEffect, useMemo, useRef } from 'react';
import { Empty, theme } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { SlaRiskBoard } from '../../api/sla';

// Only the pieces this chart uses, so the lazily loaded chunk stays small.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = Parameters<echarts.ECharts['setOption']>[0];

/**
 * A minimal echarts host: init once, set the option on change, follow the box's size, dispose.
 * (echarts-for-react 3.0.6 imports tslib without declaring it, so its build did not resolve here.)
 */
function EChart({ option, height, label }: { option: Option; height: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
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
  return (
    <div
      ref={box}
      style={{ height, width: '100%' }}
      role="img"
      aria-label={label}
      data-testid="risk-chart"
    />
  );
}

/**
 * Stacked bars per team: tickets about to breach and breached. Loaded with React.lazy from the
 * risk board, so echarts is never part of the main bundle. Colours and text from antd tokens.
 */
export default function RiskChart({ teams }: { teams: SlaRiskBoard['teams'] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();

  const option = useMemo((): Option => {
    const names = teams.map((row) => row.team?.name ?? t('slaAdmin.risk.noTeam'));
    const series = (key: 'atRisk' | 'breached', color: string) => ({
      name: t(`slaAdmin.risk.${key}`),
      type: 'bar' as const,
      stack: 'risk',
      barMaxWidth: 28,
      itemStyle: { color },
      emphasis: { focus: 'series' as const },
      label: { show: true, color: token.colorTextLightSolid, formatter: labelUnlessZero },
      data: teams.map((row) => row[key]),
    });
    return {
      textStyle: { fontFamily: token.fontFamily, color: token.colorText },
      color: [token.colorWarning, token.colorError],
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        backgroundColor: token.colorBgElevated,
        borderColor: token.colorBorderSecondary,
        textStyle: { color: token.colorText },
      },
      legend: { top: 0, textStyle: { color: token.colorTextSecondary } },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: token.colorTextSecondary },
        splitLine: { lineStyle: { color: token.colorBorderSecondary } },
      },
      yAxis: {
        type: 'category',
        data: names,
        inverse: true,
        axisLabel: { color: token.colorText },
        axisLine: { lineStyle: { color: token.colorBorder } },
      },
      series: [series('atRisk', token.colorWarning), series('breached', token.colorError)],
    };
  }, [teams, t, token]);

  if (teams.length === 0)
    return <Empty description={t('adminSettings.chart.empty')} data-testid="risk-chart-empty" />;
  return (
    <EChart
      option={option}
      height={Math.max(160, 48 + teams.length * 40)}
      label={t('adminSettings.chart.title')}
    />
  );
}

function labelUnlessZero(p: { value: unknown }) {
  return p.value ? String(p.value) : '';
}
