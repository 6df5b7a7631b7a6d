import { useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { queryClient } from './queryClient';

export interface Person {
  id: string;
  name: string;
}
export interface Criterion {
  key: string;
  label: string;
  labelEn?: string;
  weight: number;
  scale: number;
  critical: boolean;
}
export interface Scorecard {
  version: number;
  criteria: Criterion[];
  reason: string;
  createdBy: Person | null;
  createdAt: string;
}
export type ItemReason = 'random' | 'complaint' | 'breached' | 'low_csat';
export interface QaItem {
  id: string;
  ticketId: string;
  ticketNumber: string;
  subject: string;
  agent: Person;
  inspector: Person | null;
  channel: string;
  category: string;
  reason: ItemReason;
  weekStart: string;
  calibration: boolean;
  status: 'open' | 'scored';
  myEvaluation: 'draft' | 'submitted' | null;
  createdAt: string;
}
export interface Evaluation {
  id: string;
  itemId: string;
  inspector: Person;
  scorecardVersion: number;
  scores: Record<string, number>;
  comments: Record<string, string>;
  summary: string;
  total: number | null;
  criticalFailed: boolean;
  failedCriteria: string[];
  status: 'draft' | 'submitted';
  submittedAt: string | null;
  appealDeadline: string | null;
  official: boolean;
}
export interface Finding {
  kind:
    | 'forbidden_phrase'
    | 'missing_greeting'
    | 'missing_closing'
    | 'sla_missed'
    | 'citation_contradiction';
  eventId?: string;
  phrase?: string;
  suggestion?: string;
  sentence?: string;
  start?: number;
  end?: number;
  target?: string;
  occurrence?: number;
  dueAt?: string;
  breachedAt?: string;
  reason?: 'changed' | 'differs';
  articleId?: string;
  title?: string;
  citedVersion?: number;
  currentVersion?: number;
  figure?: string;
  currentFigures?: string[];
  currentSentence?: string;
}
export interface ItemDetail {
  item: QaItem;
  ticket: { description: string; status: string; priority: string; receivedAt: string };
  timeline: {
    id: string;
    kind: string;
    at: string;
    actorName: string | null;
    visibility: string;
    body: string | null;
  }[];
  checks: Finding[];
  scorecard: Scorecard;
  evaluations: Evaluation[];
  spread: number | null;
}
export interface Appeal {
  id: string;
  evaluationId: string;
  agent: Person;
  reason: string;
  status: 'pending' | 'upheld' | 'rejected';
  revisedTotal: number | null;
  decisionNote: string | null;
  decidedBy: Person | null;
  decidedAt: string | null;
  createdAt: string;
}
export interface AppealView extends Appeal {
  evaluation: Evaluation;
  ticketNumber: string;
}
export interface QaResult {
  evaluation: Evaluation;
  ticketNumber: string;
  subject: string;
  weekStart: string;
  criteria: Criterion[];
  appeal: Appeal | null;
  canAppeal: boolean;
  finalTotal: number;
}
interface Bucket {
  count: number;
  average: number | null;
  criticalFails: number;
  mostFailed: { key: string; count: number }[];
  previousAverage: number | null;
}
export interface QaReport {
  week: string;
  agents: (Bucket & { userId: string; name: string; teamIds: string[] })[];
  teams: (Bucket & { teamId: string; name: string })[];
  calibration: { itemId: string; ticketNumber: string; totals: number[]; spread: number | null }[];
}
export interface SampleRun {
  id: string;
  weekStart: string;
  seed: string;
  percent: number;
  minPerAgent: number;
  source: 'job' | 'manual';
  candidates: number;
  sampled: number;
  createdAt: string;
}

const qaKey = ['qa'] as const;
const invalidate = () => queryClient.invalidateQueries({ queryKey: qaKey });
const get = <T>(url: string, signal?: AbortSignal, query?: Record<string, string | undefined>) =>
  apiFetch<DataResponse<T>>(url, { signal, query }).then((r) => r.data);

export const useQaItems = (enabled: boolean) =>
  useQuery({
    queryKey: [...qaKey, 'items'],
    queryFn: ({ signal }) => get<QaItem[]>('/api/v1/qa/items', signal),
    enabled,
  });
export const useQaItem = (id: string | null) =>
  useQuery({
    queryKey: [...qaKey, 'item', id],
    queryFn: ({ signal }) => get<ItemDetail>(`/api/v1/qa/items/${id}`, signal),
    enabled: !!id,
  });
export const useQaRuns = (enabled: boolean) =>
  useQuery({
    queryKey: [...qaKey, 'runs'],
    queryFn: ({ signal }) => get<SampleRun[]>('/api/v1/qa/samples', signal),
    enabled,
  });
export const useQaResults = (enabled: boolean) =>
  useQuery({
    queryKey: [...qaKey, 'results'],
    queryFn: ({ signal }) => get<QaResult[]>('/api/v1/qa/results', signal),
    enabled,
  });
export const useQaAppeals = (enabled: boolean) =>
  useQuery({
    queryKey: [...qaKey, 'appeals'],
    queryFn: ({ signal }) => get<AppealView[]>('/api/v1/qa/appeals', signal),
    enabled,
  });
export const useQaReport = (week: string) =>
  useQuery({
    queryKey: [...qaKey, 'report', week],
    queryFn: ({ signal }) => get<QaReport>('/api/v1/qa/report', signal, { week }),
  });
export const useQaScorecard = () =>
  useQuery({
    queryKey: [...qaKey, 'scorecard'],
    queryFn: ({ signal }) => get<Scorecard>('/api/v1/qa/scorecards/current', signal),
  });

export function useDrawSample() {
  return useMutation({
    mutationFn: (week: string) =>
      apiFetch<DataResponse<SampleRun>>('/api/v1/qa/samples', {
        method: 'POST',
        body: { week },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}
export function useSaveEvaluation() {
  return useMutation({
    mutationFn: (v: {
      itemId: string;
      scores: Record<string, number>;
      comments: Record<string, string>;
      summary: string;
      submit: boolean;
    }) =>
      apiFetch<DataResponse<Evaluation>>(`/api/v1/qa/items/${v.itemId}/evaluation`, {
        method: 'PUT',
        body: { scores: v.scores, comments: v.comments, summary: v.summary, submit: v.submit },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}
export function useFileAppeal() {
  return useMutation({
    mutationFn: (v: { evaluationId: string; reason: string }) =>
      apiFetch<DataResponse<Appeal>>(`/api/v1/qa/evaluations/${v.evaluationId}/appeal`, {
        method: 'POST',
        body: { reason: v.reason },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}
export function useDecideAppeal() {
  return useMutation({
    mutationFn: (v: {
      id: string;
      decision: 'upheld' | 'rejected';
      revisedTotal?: number;
      note: string;
    }) =>
      apiFetch<DataResponse<Appeal>>(`/api/v1/qa/appeals/${v.id}/decision`, {
        method: 'POST',
        body: {
          decision: v.decision,
          note: v.note,
          ...(v.revisedTotal !== undefined ? { revisedTotal: v.revisedTotal } : {}),
        },
      }).then((r) => r.data),
    onSuccess: invalidate,
  });
}

export interface QaSettings {
  samplePercent: number;
  minPerAgent: number;
  samplingWeekday: number;
  samplingHour: number;
  appealWorkingDays: number;
  lowCsatBelow: number;
  failRatio: number;
  trainingFailures: number;
  trainingWeeks: number;
}
export const useQaSettings = () =>
  useQuery({
    queryKey: [...qaKey, 'settings'],
    queryFn: ({ signal }) => get<QaSettings>('/api/v1/qa/settings', signal),
  });
export const useQaScorecards = () =>
  useQuery({
    queryKey: [...qaKey, 'scorecards'],
    queryFn: ({ signal }) => get<Scorecard[]>('/api/v1/qa/scorecards', signal),
  });
export function useSaveQaSettings() {
  return useMutation({
    mutationFn: (v: Partial<QaSettings>) =>
      apiFetch<DataResponse<QaSettings>>('/api/v1/qa/settings', { method: 'PATCH', body: v }).then(
        (r) => r.data,
      ),
    onSuccess: invalidate,
  });
}
export function useSaveScorecard() {
  return useMutation({
    mutationFn: (v: { criteria: Criterion[]; reason: string; baseVersion?: number }) =>
      apiFetch<DataResponse<Scorecard>>('/api/v1/qa/scorecards', { method: 'PUT', body: v }).then(
        (r) => r.data,
      ),
    onSuccess: invalidate,
  });
}
