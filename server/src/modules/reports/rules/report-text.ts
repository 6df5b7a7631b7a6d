/**
 * The texts of the server-rendered service report (PDF and its mail), Chinese first. The web
 * page has the same texts in web/src/locales/<lang>/reports.json (`print`).
 */
import type { KpiKey, KpiStatus } from '../../kpi/rules/kpis.js';

export type ReportLocale = 'zh-CN' | 'en-US';

export interface ReportText {
  title: (period: string, kind: 'month' | 'quarter') => string;
  generated: string;
  targetVersion: string;
  kpiTable: string;
  kpi: string;
  value: string;
  target: string;
  floor: string;
  status: string;
  trend: string;
  assessments: string;
  serviceStar: string;
  warnings: string;
  none: string;
  agentsAssessed: string;
  ledger: string;
  received: string;
  categories: string;
  causes: string;
  funnel: string;
  stage: string;
  tickets: string;
  meanTime: string;
  repeats: string;
  repeatWindow: (days: number) => string;
  repeatTotal: string;
  byCustomer: string;
  bySubject: string;
  topSubjects: string;
  topCustomers: string;
  count: string;
  kpis: Record<KpiKey, string>;
  statuses: Record<KpiStatus, string>;
  stages: Record<string, string>;
  duration: (ms: number) => string;
  mailSubject: (name: string, period: string) => string;
  mailBody: (name: string, period: string) => string;
}

const dur = (ms: number, d: string, h: string, m: string) => {
  const mins = Math.round(ms / 60_000);
  const days = Math.floor(mins / 1440);
  const hours = Math.floor((mins % 1440) / 60);
  const rest = mins % 60;
  return [days ? `${days}${d}` : '', hours ? `${hours}${h}` : '', `${rest}${m}`]
    .filter(Boolean)
    .join(' ');
};

const periodZh = (p: string) =>
  p.includes('Q')
    ? `${p.slice(0, 4)} 年第 ${p.slice(6)} 季度`
    : `${p.slice(0, 4)} 年 ${Number(p.slice(5))} 月`;

export const REPORT_TEXT: Record<ReportLocale, ReportText> = {
  'zh-CN': {
    title: (p, kind) => `客服服务${kind === 'month' ? '月' : '季'}报 · ${periodZh(p)}`,
    generated: '生成时间',
    targetVersion: '目标版本',
    kpiTable: '关键指标与目标',
    kpi: '指标',
    value: '实际',
    target: '目标',
    floor: '警戒线',
    status: '结论',
    trend: '近 12 个月趋势（%）',
    assessments: '考核结果',
    serviceStar: '服务之星候选',
    warnings: '预警（书面警告）',
    none: '无',
    agentsAssessed: '参评客服',
    ledger: '服务台账要点',
    received: '受理工单（不含已合并）',
    categories: '问题类别排行',
    causes: '投诉原因',
    funnel: '薄弱环节：各状态停留时间',
    stage: '状态',
    tickets: '工单数',
    meanTime: '平均停留',
    repeats: '重复问题',
    repeatWindow: (d) => `同一客户或同类主题 ${d} 天内再次来单`,
    repeatTotal: '重复工单',
    byCustomer: '同一客户',
    bySubject: '同类主题',
    topSubjects: '重复主题排行',
    topCustomers: '重复来单客户排行',
    count: '数量',
    kpis: {
      response_timeliness: '响应及时率',
      resolution_rate: '问题解决率',
      fcr_l1: '一次解决率（一级）',
      csat: '满意度（百分制）',
      complaint_rate: '投诉率',
      complaint_resolution: '投诉解决率',
      reopen_rate: '重开率',
      mean_first_response: '平均首次响应时长',
      mean_resolution: '平均解决时长',
      survey_response_rate: '问卷回收率',
      phone_connection_rate: '高峰接通率（电话）',
    },
    statuses: {
      na: '无数据',
      info: '仅供参考',
      met: '达标',
      below_target: '未达目标',
      below_floor: '低于警戒线',
    },
    stages: {
      new: '新登记',
      accepted: '已受理',
      in_progress: '处理中',
      pending_internal: '等待内部',
      pending_customer: '等待客户',
      reopened: '已重开',
    },
    duration: (ms) => dur(ms, '天', '小时', '分'),
    mailSubject: (name, p) => `【客服报表】${name} · ${periodZh(p)}`,
    mailBody: (name, p) =>
      `您好：\n\n附件是「${name}」${periodZh(p)}的客服服务报告（PDF）。\n\n此邮件由 Kefu 客服系统按计划自动发送。`,
  },
  'en-US': {
    title: (p, kind) =>
      `Customer service ${kind === 'month' ? 'monthly' : 'quarterly'} report · ${p}`,
    generated: 'Generated',
    targetVersion: 'Targets version',
    kpiTable: 'KPIs against targets',
    kpi: 'KPI',
    value: 'Actual',
    target: 'Target',
    floor: 'Floor',
    status: 'Result',
    trend: '12-month trend (%)',
    assessments: 'Assessment',
    serviceStar: 'Service Star candidates',
    warnings: 'Warnings',
    none: 'None',
    agentsAssessed: 'Agents assessed',
    ledger: 'Service ledger highlights',
    received: 'Tickets received (merged excluded)',
    categories: 'Top categories',
    causes: 'Complaint causes',
    funnel: 'Weak links: time spent in each status',
    stage: 'Status',
    tickets: 'Tickets',
    meanTime: 'Mean time',
    repeats: 'Repeat problems',
    repeatWindow: (d) => `Same customer or same subject pattern again within ${d} days`,
    repeatTotal: 'Repeat tickets',
    byCustomer: 'Same customer',
    bySubject: 'Same subject',
    topSubjects: 'Top repeated subjects',
    topCustomers: 'Top repeat customers',
    count: 'Count',
    kpis: {
      response_timeliness: 'Response timeliness',
      resolution_rate: 'Resolution rate',
      fcr_l1: 'First-contact resolution (L1)',
      csat: 'CSAT (0–100)',
      complaint_rate: 'Complaint rate',
      complaint_resolution: 'Complaint resolution',
      reopen_rate: 'Reopen rate',
      mean_first_response: 'Mean first response',
      mean_resolution: 'Mean resolution time',
      survey_response_rate: 'Survey response rate',
      phone_connection_rate: 'Peak connection rate (phone)',
    },
    statuses: {
      na: 'No data',
      info: 'For information',
      met: 'Met',
      below_target: 'Below target',
      below_floor: 'Below floor',
    },
    stages: {
      new: 'New',
      accepted: 'Accepted',
      in_progress: 'In progress',
      pending_internal: 'Waiting internally',
      pending_customer: 'Waiting on customer',
      reopened: 'Reopened',
    },
    duration: (ms) => dur(ms, 'd', 'h', 'm'),
    mailSubject: (name, p) => `[Kefu report] ${name} · ${p}`,
    mailBody: (name, p) =>
      `Hello,\n\nAttached is the customer service report "${name}" for ${p} (PDF).\n\nSent on schedule by Kefu.`,
  },
};
