import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch, withQuery, type DataResponse } from './client';
import type { KpiKey, KpiResult, KpiTargets } from './kpi';

/** The month dashboard's filters; every one lives in the URL (shareable). */
export interface ReportFilter {
  month: string;
  teamId?: string;
  agentId?: string;
  channel?: string;
  category?: string;
  tier?: string;
}

export type Kpis = Record<KpiKey, KpiResult>;

export interface ReportMonth {
  month: string;
  timeZone: string;
  targetVersion: number;
  targets: KpiTargets;
  subject: { kind: 'total' | 'team' | 'agent'; id: string | null; name: string | null };
  kpis: Kpis;
  trend: { month: string; kpis: Kpis }[];
  csatCutoff: number | null;
  agents: {
    userId: string;
    name: string;
    teamIds: string[];
    kpis: Kpis;
    serviceStar: boolean;
    warnings: KpiKey[];
  }[];
  teams: { teamId: string; name: string; kpis: Kpis }[];
}

export interface DrillFilter extends Omit<ReportFilter, 'teamId' | 'agentId'> {
  kpi: KpiKey;
  part: 'numerator' | 'denominator';
  subject: 'total' | 'team' | 'agent';
  id?: string;
}

export interface DrillTicket {
  id: string;
  number: string;
  subject: string;
  status: string;
  channel: string;
  category: string;
  tier: string;
  receivedAt: string;
  teamName: string | null;
  ownerName: string | null;
  handlerName: string | null;
}

export interface ReportDrill {
  fact: string;
  count: number;
  tickets: DrillTicket[];
}

const clean = <T extends object>(q: T): Record<string, string | number> =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string | number
  >;

export const reportMonthQuery = (f: ReportFilter) =>
  queryOptions({
    queryKey: ['reports', 'month', f],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportMonth>>('/api/v1/reports/month', {
        query: clean(f),
        signal,
      }).then((r) => r.data),
  });

export function useReportMonth(f: ReportFilter, enabled = true) {
  return useQuery({
    ...reportMonthQuery(f),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useReportDrill(f: DrillFilter) {
  return useQuery<ReportDrill>({
    queryKey: ['reports', 'drill', f],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportDrill>>('/api/v1/reports/month/tickets', {
        query: { ...clean(f), limit: 1000 },
        signal,
      }).then((r) => r.data),
  });
}

/** Same-origin download URL of an export (Excel or CSV). */
export function reportExportUrl(
  q: (ReportFilter | DrillFilter) & {
    table: 'kpis' | 'trend' | 'agents' | 'teams' | 'tickets';
    format: 'xlsx' | 'csv';
  },
): string {
  return withQuery('/api/v1/reports/month/export', clean(q));
}

export interface ReportToday {
  date: string;
  timeZone: string;
  at: string;
  volume: { channel: string; hour: number; count: number }[];
  received: number;
  queues: Record<string, number>;
  waiting: number;
  oldestWaitingAt: string | null;
  slaAtRisk: number;
  slaBreached: number;
  greenComplaintsOpen: number;
  csat: { answered: number; average: number | null };
}

/** Today on the floor, refreshed every 30 seconds while the page is open. */
export function useReportToday(enabled: boolean) {
  return useQuery<ReportToday>({
    queryKey: ['reports', 'today'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportToday>>('/api/v1/reports/today', { signal }).then((r) => r.data),
    enabled,
    refetchInterval: 30_000,
  });
}

/** One number of the today board: a figure, a bar of the volume chart, or a queue. */
export interface TodayDrillFilter {
  figure:
    'received' | 'waiting' | 'slaAtRisk' | 'slaBreached' | 'greenComplaints' | 'queue' | 'csat';
  channel?: string;
  hour?: number;
  queue?: string;
}

export interface ReportTodayTickets {
  figure: TodayDrillFilter['figure'];
  date: string;
  at: string;
  count: number;
  withoutTicket: number;
  tickets: DrillTicket[];
}

/** The export of every ticket behind a number of the today board (streamed; audited). */
export function todayExportUrl(f: TodayDrillFilter & { format: 'xlsx' | 'csv' }): string {
  return withQuery('/api/v1/reports/today/export', clean(f));
}

/** The tickets behind a number of the today board (exactly those it counts). */
export function useReportTodayDrill(f: TodayDrillFilter) {
  return useQuery<ReportTodayTickets>({
    queryKey: ['reports', 'today', 'tickets', f],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportTodayTickets>>('/api/v1/reports/today/tickets', {
        query: { ...clean(f), limit: 1000 },
        signal,
      }).then((r) => r.data),
  });
}

export interface ReportLedger {
  month: string;
  received: number;
  categories: { key: string; count: number }[];
  tags: { tag: string; count: number }[];
  complaintCauses: { tag: string; count: number }[];
  funnel: { stage: string; tickets: number; totalMs: number; meanMs: number }[];
}

export function useReportLedger(f: ReportFilter, enabled: boolean) {
  const { month, channel, category, tier } = f;
  return useQuery<ReportLedger>({
    queryKey: ['reports', 'ledger', month, channel, category, tier],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportLedger>>('/api/v1/reports/ledger', {
        query: clean({ month, channel, category, tier }),
        signal,
      }).then((r) => r.data),
    enabled,
  });
}

// ------------------------------------------------ service report, repeats, schedules

export interface ReportScope {
  channel?: string;
  category?: string;
  tier?: string;
}

export interface RepeatSummary {
  period: string;
  windowDays: number;
  received: number;
  repeatTickets: number;
  byCustomer: { tickets: number; customers: number };
  bySubject: { tickets: number; patterns: number };
  topCustomers: { key: string; name: string; repeats: number; tickets: number }[];
  topSubjects: { key: string; repeats: number; tickets: number }[];
}

export interface ServiceReport {
  period: string;
  kind: 'month' | 'quarter';
  months: string[];
  timeZone: string;
  generatedAt: string;
  targetVersion: number;
  targets: KpiTargets;
  kpis: Kpis;
  monthly: { month: string; kpis: Kpis }[];
  trend: { month: string; kpis: Kpis }[];
  assessments: {
    month: string;
    agents: number;
    serviceStars: { name: string }[];
    warnings: { name: string; kpis: KpiKey[] }[];
  }[];
  ledger: Omit<ReportLedger, 'month' | 'tags' | 'categories'> & {
    categories: { key: string; count: number; labelZh: string | null; labelEn: string | null }[];
  };
  repeats: RepeatSummary;
}

export function useServiceReport(period: string, scope: ReportScope = {}) {
  return useQuery<ServiceReport>({
    queryKey: ['reports', 'service-report', period, scope],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ServiceReport>>('/api/v1/reports/service-report', {
        query: clean({ period, ...scope }),
        signal,
      }).then((r) => r.data),
  });
}

export const serviceReportPdfUrl = (period: string, lang: string, scope: ReportScope = {}) =>
  withQuery('/api/v1/reports/service-report/pdf', clean({ period, lang, ...scope }));

export function useRepeats(period: string, scope: ReportScope, enabled = true) {
  return useQuery<RepeatSummary>({
    enabled,
    queryKey: ['reports', 'repeats', period, scope],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<RepeatSummary>>('/api/v1/reports/repeats', {
        query: clean({ period, ...scope }),
        signal,
      }).then((r) => r.data),
  });
}

export interface RepeatTicket {
  id: string;
  number: string;
  subject: string;
  status: string;
  channel: string;
  category: string;
  receivedAt: string;
  teamName: string | null;
  ownerName: string | null;
}

export function useRepeatTickets(
  q: (ReportScope & { period: string; kind: 'customer' | 'subject'; key?: string }) | null,
) {
  return useQuery<{ count: number; tickets: RepeatTicket[] }>({
    enabled: q !== null,
    queryKey: ['reports', 'repeat-tickets', q],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<{ count: number; tickets: RepeatTicket[] }>>(
        '/api/v1/reports/repeats/tickets',
        { query: { ...clean(q ?? {}), limit: 1000 }, signal },
      ).then((r) => r.data),
  });
}

export interface ReportSettings {
  repeatWindowDays: number;
}

export function useReportSettings() {
  return useQuery<ReportSettings>({
    queryKey: ['reports', 'settings'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportSettings>>('/api/v1/reports/settings', { signal }).then(
        (r) => r.data,
      ),
  });
}

export function useSaveReportSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportSettings) =>
      apiFetch<DataResponse<ReportSettings>>('/api/v1/reports/settings', {
        method: 'PUT',
        body,
      }).then((r) => r.data),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

export interface ReportSchedule {
  id: string;
  name: string;
  period: 'month' | 'quarter';
  recipients: string[];
  locale: 'zh-CN' | 'en-US';
  enabled: boolean;
  lastPeriod: string | null;
  lastSentAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export type ScheduleInput = Pick<
  ReportSchedule,
  'name' | 'period' | 'recipients' | 'locale' | 'enabled'
>;

export function useReportSchedules() {
  return useQuery<ReportSchedule[]>({
    queryKey: ['reports', 'schedules'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ReportSchedule[]>>('/api/v1/reports/schedules', { signal }).then(
        (r) => r.data,
      ),
  });
}

export function useSaveReportSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ScheduleInput & { id?: string }) =>
      apiFetch<DataResponse<ReportSchedule>>(
        id ? `/api/v1/reports/schedules/${id}` : '/api/v1/reports/schedules',
        { method: id ? 'PATCH' : 'POST', body },
      ).then((r) => r.data),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}

export function useDeleteReportSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`/api/v1/reports/schedules/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}

export function useLedgerBusinessTime(f: ReportFilter, enabled: boolean) {
  const { month, channel, category, tier } = f;
  return useQuery<Pick<ReportLedger, 'month' | 'funnel'> & { calendar: string | null }>({
    queryKey: ['reports', 'ledger-business', month, channel, category, tier],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<Pick<ReportLedger, 'month' | 'funnel'> & { calendar: string | null }>>(
        '/api/v1/reports/ledger/business-time',
        { query: clean({ month, channel, category, tier }), signal },
      ).then((r) => r.data),
    enabled,
  });
}
