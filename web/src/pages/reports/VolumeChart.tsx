import { useEffect, useMemo, useRef } from 'react';
import { theme } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ReportToday } from '../../api/reports';
import { todayDrillHref } from './params';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = Parameters<echarts.ECharts['setOption']>[0];

/** Lazily loaded: today's tickets by hour, stacked by channel; a bar opens its tickets. */
export default function VolumeChart({ volume }: { volume: ReportToday['volume'] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const navigate = useNavigate();
  const option = useMemo((): Option => {
    const hours = Array.from({ length: 24 }, (_, h) => h);
    const channels = [...new Set(volume.map((v) => v.channel))];
    return {
      textStyle: { fontFamily: token.fontFamily, color: token.colorText },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { color: token.colorTextSecondary } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: hours.map((h) => `${h}:00`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: channels.map((c) => ({
        id: c,
        name: t(`tickets.channel.${c}`),
        cursor: 'pointer',
        type: 'bar' as const,
        stack: 'volume',
        data: hours.map((h) => volume.find((v) => v.channel === c && v.hour === h)?.count ?? 0),
      })),
    };
  }, [volume, t, token]);

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
    // A bar opens the tickets it counts: that channel, that hour.
    const instance = chart.current;
    if (!instance) return;
    const open = (p: echarts.ECElementEvent) => {
      if (p.componentType !== 'series' || typeof p.seriesId !== 'string') return;
      void navigate(todayDrillHref({ figure: 'received', channel: p.seriesId, hour: p.dataIndex }));
    };
    instance.on('click', open);
    return () => {
      instance.off('click', open);
    };
  }, [navigate]);

  return (
    <div
      ref={box}
      style={{ height: 260, width: '100%' }}
      role="img"
      aria-label={t('reports.today.volume')}
      data-testid="reports-volume-chart"
    />
  );
}
