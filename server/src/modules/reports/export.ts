/**
 * Report tables as CSV or Excel, written as a stream: rows arrive in batches (an async iterable)
 * and leave as they are written (xlsx-stream.ts deflates the workbook as it goes), so a long
 * ticket list never sits in memory. Column headers are Chinese first, then English.
 */
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { KpiKey, KpiResult } from '../kpi/rules/kpis.js';
import { KPI_KEYS } from '../kpi/rules/kpis.js';
import { safeCell } from './rules/drill.js';
import { xlsxWorkbookStream } from './xlsx-stream.js';
import type { DrillTicket, MonthDashboard } from './service.js';

export interface Column {
  key: string;
  header: string;
}

export interface Table {
  name: string;
  columns: Column[];
  batches: AsyncIterable<Record<string, unknown>[]>;
}

export const KPI_LABELS: Record<KpiKey, string> = {
  response_timeliness: '响应及时率 Response timeliness (%)',
  resolution_rate: '问题解决率 Resolution rate (%)',
  fcr_l1: '一次解决率 FCR L1 (%)',
  csat: '满意度 CSAT',
  complaint_rate: '投诉率 Complaint rate (%)',
  complaint_resolution: '投诉解决率 Complaint resolution (%)',
  reopen_rate: '重开率 Reopen rate (%)',
  mean_first_response: '平均首响 Mean first response (ms)',
  mean_resolution: '平均解决 Mean resolution (ms)',
  survey_response_rate: '回访率 Survey response rate (%)',
  phone_connection_rate: '高峰接通率 Peak phone connection rate (%)',
};

const STATUS_LABELS: Record<string, string> = {
  na: '无数据 n/a',
  info: '参考 info',
  met: '达标 met',
  below_target: '未达标 below target',
  below_floor: '低于底线 below floor',
};

async function* once<T>(rows: T[]): AsyncIterable<T[]> {
  yield rows;
}

const kpiColumns: Column[] = KPI_KEYS.map((k) => ({ key: k, header: KPI_LABELS[k] }));
const kpiCells = (kpis: Record<KpiKey, KpiResult>) =>
  Object.fromEntries(KPI_KEYS.map((k) => [k, kpis[k].value]));

/** The dashboard's tables (kpis, trend, agents, teams). */
export function dashboardTable(
  d: MonthDashboard,
  table: 'kpis' | 'trend' | 'agents' | 'teams',
): Table {
  if (table === 'kpis')
    return {
      name: `kpis-${d.month}`,
      columns: [
        { key: 'kpi', header: '指标 KPI' },
        { key: 'value', header: '数值 Value' },
        { key: 'target', header: '目标 Target' },
        { key: 'floor', header: '底线 Floor' },
        { key: 'status', header: '状态 Status' },
        { key: 'numerator', header: '分子 Numerator' },
        { key: 'denominator', header: '分母 Denominator' },
      ],
      batches: once(
        KPI_KEYS.map((k) => ({
          kpi: KPI_LABELS[k],
          value: d.kpis[k].value,
          target: d.targets[k].target,
          floor: d.targets[k].floor,
          status: STATUS_LABELS[d.kpis[k].status],
          numerator: d.kpis[k].numerator,
          denominator: d.kpis[k].denominator,
        })),
      ),
    };
  if (table === 'trend')
    return {
      name: `trend-${d.month}`,
      columns: [{ key: 'month', header: '月份 Month' }, ...kpiColumns],
      batches: once(d.trend.map((t) => ({ month: t.month, ...kpiCells(t.kpis) }))),
    };
  if (table === 'agents')
    return {
      name: `agents-${d.month}`,
      columns: [
        { key: 'name', header: '客服 Agent' },
        ...kpiColumns,
        { key: 'serviceStar', header: '服务之星 Service Star' },
        { key: 'warnings', header: '警告 Warnings' },
      ],
      batches: once(
        d.agents.map((a) => ({
          name: a.name,
          ...kpiCells(a.kpis),
          serviceStar: a.serviceStar ? '是 yes' : '',
          warnings: a.warnings.map((w) => KPI_LABELS[w]).join('; '),
        })),
      ),
    };
  return {
    name: `teams-${d.month}`,
    columns: [{ key: 'name', header: '班组 Team' }, ...kpiColumns],
    batches: once(d.teams.map((t) => ({ name: t.name, ...kpiCells(t.kpis) }))),
  };
}

/** A drill-down's ticket list, batch by batch. */
export function ticketTable(name: string, batches: AsyncIterable<DrillTicket[]>): Table {
  return {
    name,
    columns: [
      { key: 'number', header: '工单号 Number' },
      { key: 'subject', header: '主题 Subject' },
      { key: 'status', header: '状态 Status' },
      { key: 'channel', header: '渠道 Channel' },
      { key: 'category', header: '类别 Category' },
      { key: 'tier', header: '层级 Tier' },
      { key: 'receivedAt', header: '受理时间 Received' },
      { key: 'teamName', header: '班组 Team' },
      { key: 'ownerName', header: '首问负责人 Owner' },
      { key: 'handlerName', header: '处理人 Handler' },
    ],
    batches: batches as AsyncIterable<Record<string, unknown>[]>,
  };
}

/** CSV with a BOM (spreadsheets read the Chinese as UTF-8), formulas neutralised. */
export function csvStream(t: Table): Readable {
  const csv = stringify({ bom: true, header: true, columns: t.columns });
  // pipeline, not pipe: when the download is abandoned (csv destroyed), the source is destroyed
  // too, which ends the batches (and closes a database cursor) instead of leaving them open.
  pipeline(
    Readable.from(
      (async function* () {
        for await (const batch of t.batches)
          for (const row of batch)
            yield Object.fromEntries(t.columns.map((c) => [c.key, safeCell(row[c.key])]));
      })(),
    ),
    csv,
    () => {},
  );
  return csv;
}

/**
 * An .xlsx written row by row (xlsx-stream.ts: deflated as it goes; the next batch is read only
 * when the download wants more, and an abandoned download ends the batches).
 */
export function xlsxStream(t: Table): Readable {
  return xlsxWorkbookStream(
    t.name.slice(0, 31),
    t.columns.map((c) => c.header),
    (async function* () {
      for await (const batch of t.batches)
        yield batch.map((row) => t.columns.map((c) => safeCell(row[c.key])));
    })(),
  );
}
