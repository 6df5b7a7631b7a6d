import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse, type ListResponse } from './client';
import type { Customer } from './ticketTypes';
import { queryClient } from './queryClient';

/** Phone / CTI (docs/calls.md): call log, screen pop, call-back tasks, figures, settings. */

export type CallState = 'ringing' | 'answered' | 'completed' | 'missed';
export type CallbackStatus = 'open' | 'done' | 'cancelled';
type Ref = { id: string; name: string };

export interface Call {
  id: string;
  provider: string;
  externalId: string;
  state: CallState;
  callerNumber: string;
  agent: Ref | null;
  queue: string | null;
  customer: Ref | null;
  ticket: { id: string; number: string } | null;
  ringAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  answerMs: number | null;
  transfers: number;
  recordingUrl: string | null;
  direction: 'inbound' | 'outbound';
  callback: { id: string; status: CallbackStatus; dueAt: string } | null;
}

export interface ScreenPop {
  call: Call;
  customers: Customer[];
  openTickets: {
    id: string;
    number: string;
    subject: string;
    status: string;
    customerId: string;
    receivedAt: string;
  }[];
}

export interface CallCallback {
  id: string;
  status: CallbackStatus;
  dueAt: string;
  overdue: boolean;
  outcome: string | null;
  note: string;
  attemptedAt: string | null;
  attemptedBy: Ref | null;
  agent: Ref | null;
  call: Call;
  createdAt: string;
}

export interface PeakWindow {
  start: string;
  end: string;
  days?: number[];
}
export interface CallMeasure {
  offered: number;
  answered: number;
  missed: number;
  connectionRate: number | null;
  meanAnswerMs: number | null;
}
export interface CallStats {
  from: string;
  to: string;
  timeZone: string;
  overall: CallMeasure;
  peak: CallMeasure;
  windows: (CallMeasure & { window: PeakWindow })[];
  openCallbacks: number;
}
export type DialConfig = { kind: 'http'; url: string } | { kind: 'simulator' };

export interface CallSettings {
  providers: { key: string; name: string; secretSet: boolean; dial: DialConfig | null }[];
  replayWindowSeconds: number;
  peakWindows: PeakWindow[];
  callbackDueMinutes: number;
}
export interface CallSettingsPatch {
  providers?: { key: string; name: string; secret?: string; dial?: DialConfig | null }[];
  replayWindowSeconds?: number;
  peakWindows?: PeakWindow[];
  callbackDueMinutes?: number;
}

export const callsKey = ['calls'] as const;
const refresh = () => queryClient.invalidateQueries({ queryKey: callsKey });

export interface CallFilter {
  state?: string;
  customerId?: string;
  ticketId?: string;
  mine?: 'true';
  from?: string;
  to?: string;
}

export const callsQuery = (filter: CallFilter) =>
  queryOptions({
    queryKey: [...callsKey, 'list', filter],
    queryFn: ({ signal }) =>
      apiFetch<ListResponse<Call>>('/api/v1/calls', {
        query: { limit: 100, ...filter },
        signal,
      }),
  });

export function useCalls(filter: CallFilter, enabled = true) {
  return useQuery({ ...callsQuery(filter), enabled });
}

/** Calls ringing at me; refreshed when the notification stream says a call rings. */
export const ringingCallsQuery = queryOptions({
  queryKey: [...callsKey, 'ringing'],
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<Call[]>>('/api/v1/calls/ringing', { signal }).then((r) => r.data),
});

export function useRingingCalls(enabled: boolean) {
  return useQuery({ ...ringingCallsQuery, enabled, refetchInterval: 60_000 });
}

export function useScreenPop(id: string | null) {
  return useQuery({
    queryKey: [...callsKey, 'pop', id],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ScreenPop>>(`/api/v1/calls/${id}/screen-pop`, { signal }).then(
        (r) => r.data,
      ),
    enabled: !!id,
  });
}

export function useRegisterCall() {
  return useMutation({
    mutationFn: (v: { id: string; customerId?: string }) =>
      apiFetch<DataResponse<{ id: string; number: string }>>(`/api/v1/calls/${v.id}/ticket`, {
        method: 'POST',
        body: v.customerId ? { customerId: v.customerId } : {},
      }).then((r) => r.data),
    onSuccess: refresh,
  });
}

export function useCallbacks(status: CallbackStatus, mine: boolean) {
  return useQuery({
    queryKey: [...callsKey, 'callbacks', status, mine],
    queryFn: ({ signal }) =>
      apiFetch<ListResponse<CallCallback>>('/api/v1/call-callbacks', {
        query: { status, limit: 100, ...(mine ? { mine: 'true' } : {}) },
        signal,
      }),
  });
}

export function useCallbackAttempt() {
  return useMutation({
    mutationFn: (v: { id: string; outcome: string; note: string }) =>
      apiFetch<DataResponse<CallCallback>>(`/api/v1/call-callbacks/${v.id}/attempt`, {
        method: 'POST',
        body: { outcome: v.outcome, note: v.note },
      }),
    onSuccess: refresh,
  });
}

/** Click-to-call: exactly one of callbackId, ticketId, customerId. */
export function useDial() {
  return useMutation({
    mutationFn: (target: { callbackId?: string; ticketId?: string; customerId?: string }) =>
      apiFetch<DataResponse<Call>>('/api/v1/calls/dial', { method: 'POST', body: target }).then(
        (r) => r.data,
      ),
    onSuccess: refresh,
  });
}

export function useCallStats(range: { from: string; to: string }) {
  return useQuery({
    queryKey: [...callsKey, 'stats', range],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<CallStats>>('/api/v1/calls/stats', { query: range, signal }).then(
        (r) => r.data,
      ),
  });
}

const settingsKey = ['call-settings'] as const;
export function useCallSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<CallSettings>>('/api/v1/call-settings', { signal }).then((r) => r.data),
  });
}
export function useUpdateCallSettings() {
  return useMutation({
    mutationFn: (body: CallSettingsPatch) =>
      apiFetch<DataResponse<CallSettings>>('/api/v1/call-settings', { method: 'PATCH', body }),
    onSuccess: (res) => queryClient.setQueryData(settingsKey, res.data),
  });
}
