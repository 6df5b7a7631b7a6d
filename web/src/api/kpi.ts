import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { queryClient } from './queryClient';

export const KPI_KEYS = [
  'response_timeliness',
  'resolution_rate',
  'fcr_l1',
  'csat',
  'complaint_rate',
  'complaint_resolution',
  'reopen_rate',
  'mean_first_response',
  'mean_resolution',
  'survey_response_rate',
  'phone_connection_rate',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/** How each KPI reads: more is better or less is better; its unit. */
export const KPI_META: Record<
  KpiKey,
  { direction: 'higher' | 'lower'; unit: 'percent' | 'points' | 'ms' }
> = {
  response_timeliness: { direction: 'higher', unit: 'percent' },
  resolution_rate: { direction: 'higher', unit: 'percent' },
  fcr_l1: { direction: 'higher', unit: 'percent' },
  csat: { direction: 'higher', unit: 'points' },
  complaint_rate: { direction: 'lower', unit: 'percent' },
  complaint_resolution: { direction: 'higher', unit: 'percent' },
  reopen_rate: { direction: 'lower', unit: 'percent' },
  mean_first_response: { direction: 'lower', unit: 'ms' },
  mean_resolution: { direction: 'lower', unit: 'ms' },
  survey_response_rate: { direction: 'higher', unit: 'percent' },
  phone_connection_rate: { direction: 'higher', unit: 'percent' },
};

export type KpiStatus = 'na' | 'info' | 'met' | 'below_target' | 'below_floor';
export interface KpiResult {
  value: number | null;
  numerator: number;
  denominator: number;
  status: KpiStatus;
}
export interface KpiTarget {
  target: number | null;
  floor: number | null;
}
export type KpiTargets = Record<KpiKey, KpiTarget>;
export type Grade = 'A' | 'B' | 'C';

export interface KpiAgentRow {
  userId: string;
  name: string;
  teamIds: string[];
  facts: Record<string, number>;
  kpis: Record<KpiKey, KpiResult>;
  outcome: {
    serviceStar: boolean;
    warnings: KpiKey[];
    trainingRequired: boolean;
    grade: Grade | null;
    quarterRating: Grade | null;
  };
  /** QA average of the weeks starting in the month (informational; null: nothing scored). */
  qa: { count: number; average: number } | null;
}
export interface KpiTeamRow {
  teamId: string;
  name: string;
  facts: Record<string, number>;
  kpis: Record<KpiKey, KpiResult>;
  recognised: boolean | null;
}

export interface KpiSnapshot {
  id: string;
  month: string;
  status: 'draft' | 'signed';
  revision: number;
  source: 'job' | 'manual' | 'correction';
  targetVersion: number;
  computedAt: string;
  computedBy: { id: string; name: string } | null;
  supersedesId: string | null;
  supersededById: string | null;
  correctionReason: string | null;
  signedAt: string | null;
  signedBy: { id: string; name: string } | null;
  signNote: string | null;
  results: {
    month: string;
    timeZone: string;
    targets: KpiTargets;
    csatCutoff: number | null;
    quarterEnd: boolean;
    agents: KpiAgentRow[];
    teams: KpiTeamRow[];
  };
}

export interface KpiTargetVersion {
  version: number;
  targets: KpiTargets;
  reason: string;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

export interface KpiTrendPoint {
  month: string;
  snapshotId: string | null;
  signed: boolean;
  values: Record<KpiKey, number | null>;
  statuses: Record<KpiKey, KpiStatus>;
}

const kpiKey = ['kpi'] as const;
const invalidate = () => queryClient.invalidateQueries({ queryKey: kpiKey });

export const kpiSnapshotsQuery = (month: string) =>
  queryOptions({
    queryKey: [...kpiKey, 'snapshots', month],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<KpiSnapshot[]>>('/api/v1/kpi/snapshots', {
        query: { month },
        signal,
      }).then((r) => r.data),
  });

export function useKpiSnapshots(month: string) {
  return useQuery(kpiSnapshotsQuery(month));
}

export type KpiTrendQuery = { userId?: string; teamId?: string; to: string; months: number };

export const kpiTrendQuery = (q: KpiTrendQuery) =>
  queryOptions({
    queryKey: [...kpiKey, 'trend', q],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<KpiTrendPoint[]>>('/api/v1/kpi/trend', { query: q, signal }).then(
        (r) => r.data,
      ),
  });

export function useKpiTrend(q: KpiTrendQuery) {
  return useQuery(kpiTrendQuery(q));
}

export function useKpiTargets() {
  return useQuery({
    queryKey: [...kpiKey, 'targets'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<KpiTargetVersion>>('/api/v1/kpi/targets', { signal }).then(
        (r) => r.data,
      ),
  });
}

export function useKpiTargetVersions() {
  return useQuery({
    queryKey: [...kpiKey, 'targets', 'versions'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<KpiTargetVersion[]>>('/api/v1/kpi/targets/versions', {
        signal,
      }).then((r) => r.data),
  });
}

export function useSaveKpiTargets() {
  return useMutation({
    mutationFn: (body: { targets: KpiTargets; reason: string; baseVersion?: number }) =>
      apiFetch<DataResponse<KpiTargetVersion>>('/api/v1/kpi/targets', {
        method: 'PUT',
        body,
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}

export function useRunAssessment() {
  return useMutation({
    mutationFn: (month: string) =>
      apiFetch<DataResponse<KpiSnapshot>>('/api/v1/kpi/snapshots', {
        method: 'POST',
        body: { month },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}

export function useSignSnapshot() {
  return useMutation({
    mutationFn: (v: { id: string; revision: number; note?: string }) =>
      apiFetch<DataResponse<KpiSnapshot>>(`/api/v1/kpi/snapshots/${v.id}/sign`, {
        method: 'POST',
        body: { revision: v.revision, ...(v.note ? { note: v.note } : {}) },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}

export function useCorrectSnapshot() {
  return useMutation({
    mutationFn: (v: { id: string; reason: string }) =>
      apiFetch<DataResponse<KpiSnapshot>>(`/api/v1/kpi/snapshots/${v.id}/correct`, {
        method: 'POST',
        body: { reason: v.reason },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}
