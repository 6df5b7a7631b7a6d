import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse, type ListResponse } from './client';
import { queryClient } from './queryClient';

export type SlaClockState = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';

export interface SlaClock {
  id: string;
  kind: string;
  occurrence: number;
  policyKey: string;
  state: SlaClockState;
  warnAt: string;
  dueAt: string;
  pausedSince: string | null;
  metAt: string | null;
  breached: boolean;
  businessMsUsed: number | null;
  repeats: boolean;
  /** The limit in working milliseconds of its calendar (round the clock when `calendarId` is null). */
  limitMs: number;
  calendarId: string | null;
  /** How a finished clock ended (null while open); `rework` = started by a reopening. */
  outcome: 'met' | 'missed' | 'cancelled' | null;
  cause: 'rework' | null;
}

export const ticketSlaQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ['tickets', 'sla', ticketId],
    queryFn: ({ signal }) =>
      apiFetch<{ data: SlaClock[] }>(`/api/v1/tickets/${ticketId}/sla`, { signal }).then(
        (r) => r.data,
      ),
    refetchInterval: 30_000,
  });

/** A ticket's SLA clocks; refetched with the ticket (key under `tickets`). */
export function useTicketSla(ticketId: string) {
  return useQuery(ticketSlaQuery(ticketId));
}

// ---------------------------------------------------------------- admin: calendars

export interface SlaInterval {
  start: string;
  end: string;
}

export interface SlaCalendar {
  id: string;
  name: string;
  timeZone: string;
  /** Seven days, Sunday first. */
  weekly: SlaInterval[][];
  makeUpHours: SlaInterval[] | null;
  isDefault: boolean;
  seedKey: string | null;
  teams: { id: string; name: string }[];
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface SlaCalendarInput {
  name: string;
  timeZone: string;
  weekly: SlaInterval[][];
  makeUpHours: SlaInterval[] | null;
  isDefault?: boolean;
}

export type SlaDayKind = 'holiday' | 'workday';

export interface SlaDay {
  date: string;
  kind: SlaDayKind;
  name: string;
}

export interface IcsImportResult {
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  skipped: { summary: string; reason: string }[];
}

/** A 24×7 calendar: every day is one interval from 00:00 to 24:00. */
export function isRoundTheClock(c: Pick<SlaCalendar, 'weekly'>): boolean {
  return c.weekly.every((d) => d.length === 1 && d[0]!.start === '00:00' && d[0]!.end === '24:00');
}

/** Every page of a cursor list whose query has filters of its own (at most 20 pages). */
async function fetchEvery<T>(
  path: string,
  query: Record<string, string | number | undefined>,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const res: ListResponse<T> = await apiFetch<ListResponse<T>>(path, {
      query: { ...query, cursor, limit: 100 },
      signal,
    });
    items.push(...res.data);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return items;
}

const calendarsKey = ['sla', 'calendars'] as const;
const invalidate = (key: readonly unknown[]) => queryClient.invalidateQueries({ queryKey: key });

export function useSlaCalendars() {
  return useQuery({
    queryKey: [...calendarsKey, 'all'],
    queryFn: ({ signal }) => fetchEvery<SlaCalendar>('/api/v1/sla/calendars', {}, signal),
  });
}

export function useSlaCalendar(id: string) {
  return useQuery({
    queryKey: [...calendarsKey, 'one', id],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SlaCalendar>>(`/api/v1/sla/calendars/${encodeURIComponent(id)}`, {
        signal,
      }).then((r) => r.data),
  });
}

export function useCreateCalendar() {
  return useMutation({
    mutationFn: (body: SlaCalendarInput) =>
      apiFetch<DataResponse<SlaCalendar>>('/api/v1/sla/calendars', { method: 'POST', body }).then(
        (r) => r.data,
      ),
    onSuccess: () => invalidate(calendarsKey),
  });
}

export function useUpdateCalendar(id: string) {
  return useMutation({
    mutationFn: (body: Partial<SlaCalendarInput>) =>
      apiFetch<DataResponse<SlaCalendar>>(`/api/v1/sla/calendars/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body,
      }).then((r) => r.data),
    onSuccess: () => invalidate(calendarsKey),
  });
}

export function useCalendarDays(id: string, year: number) {
  return useQuery({
    queryKey: [...calendarsKey, 'days', id, year],
    queryFn: ({ signal }) =>
      fetchEvery<SlaDay>(`/api/v1/sla/calendars/${encodeURIComponent(id)}/days`, { year }, signal),
  });
}

export function usePutDays(id: string) {
  return useMutation({
    mutationFn: (days: SlaDay[]) =>
      apiFetch(`/api/v1/sla/calendars/${encodeURIComponent(id)}/days`, {
        method: 'POST',
        body: { days },
      }),
    onSuccess: () => invalidate([...calendarsKey, 'days', id]),
  });
}

export function useRemoveDay(id: string) {
  return useMutation({
    mutationFn: (date: string) =>
      apiFetch(`/api/v1/sla/calendars/${encodeURIComponent(id)}/days/${date}`, {
        method: 'DELETE',
      }),
    onSuccess: () => invalidate([...calendarsKey, 'days', id]),
  });
}

export function useImportIcs(id: string) {
  return useMutation({
    mutationFn: (body: { ics: string; mode: 'merge' | 'replace' }) =>
      apiFetch<DataResponse<IcsImportResult>>(
        `/api/v1/sla/calendars/${encodeURIComponent(id)}/import-ics`,
        { method: 'POST', body },
      ).then((r) => r.data),
    onSuccess: () => invalidate([...calendarsKey, 'days', id]),
  });
}

export interface ImportYearInput {
  year: number;
  source: 'bundled' | 'ics' | 'json';
  text?: string;
  mode: 'merge' | 'replace';
}

export type ImportYearResult = IcsImportResult & { year: number };

/** Loads one year of holidays and make-up days: bundled data, or an .ics / JSON file. */
export function useImportYear(id: string) {
  return useMutation({
    mutationFn: (body: ImportYearInput) =>
      apiFetch<DataResponse<ImportYearResult>>(
        `/api/v1/sla/calendars/${encodeURIComponent(id)}/import-year`,
        { method: 'POST', body },
      ).then((r) => r.data),
    onSuccess: () => {
      void invalidate([...calendarsKey, 'days', id]);
      void invalidate(coverageKey);
      void invalidate(['sla', 'risk-board']);
    },
  });
}

export interface SlaCalendarCoverage {
  id: string;
  name: string;
  timeZone: string;
  isDefault: boolean;
  years: number[];
  observesHolidays: boolean;
  coveredUntil: string | null;
  missingFrom: string | null;
  missingYear: number | null;
  warn: boolean;
}

export interface SlaCoverageReport {
  warnDays: number;
  bundledYears: number[];
  calendars: SlaCalendarCoverage[];
}

const coverageKey = ['sla', 'calendar-coverage'] as const;

/** Which calendars have no holiday data for the coming `warnDays` (the admin banner). */
export const calendarCoverageQuery = queryOptions({
  queryKey: coverageKey,
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<SlaCoverageReport>>('/api/v1/sla/calendar-coverage', { signal }).then(
      (r) => r.data,
    ),
  staleTime: 5 * 60_000,
});

export function useCalendarCoverage(enabled = true) {
  return useQuery({ ...calendarCoverageQuery, enabled });
}

export const calendarExportUrl = (id: string) =>
  `/api/v1/sla/calendars/${encodeURIComponent(id)}/export.ics`;

export function useSetTeamCalendar() {
  return useMutation({
    mutationFn: ({ teamId, calendarId }: { teamId: string; calendarId: string | null }) =>
      apiFetch(`/api/v1/sla/teams/${encodeURIComponent(teamId)}/calendar`, {
        method: 'PUT',
        body: { calendarId },
      }),
    onSuccess: () => invalidate(calendarsKey),
  });
}

// ---------------------------------------------------------------- admin: policies

export type SlaRecipient = 'owner' | 'handler' | 'team_lead' | 'supervisors';

export interface SlaTarget {
  kind: string;
  durationMs: number;
  workingDays?: number;
  clock: 'business' | '24x7';
  pausesWhilePendingCustomer: boolean;
  warnAt: number;
  repeats: boolean;
  onlyInsideWorkingHours?: boolean;
  onlyOutsideWorkingHours?: boolean;
}

export interface SlaPolicy {
  key: string;
  name: { zh: string; en: string };
  match: {
    channels?: string[];
    categories?: string[];
    tiers?: string[];
    priorities?: string[];
    customerTiers?: string[];
  };
  targets: SlaTarget[];
  /** first_match (default): the first matching such policy; always: on top of it when it matches. */
  applies?: 'first_match' | 'always';
  escalation?: {
    warning: { notify: SlaRecipient[] };
    breach: { notify: SlaRecipient[]; raisePriority: boolean };
  };
}

export interface SlaPolicyVersion {
  version: number;
  policies: SlaPolicy[];
  reason: string;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

export type SlaPolicyVersionSummary = Omit<SlaPolicyVersion, 'policies'> & {
  policyCount: number;
};

export interface SlaPolicyDiff {
  from: number;
  to: number;
  added: string[];
  removed: string[];
  changed: { key: string; changes: { path: string; from: unknown; to: unknown }[] }[];
  orderChanged: boolean;
}

const policiesKey = ['sla', 'policies'] as const;

export function useSlaPolicies() {
  return useQuery({
    queryKey: [...policiesKey, 'current'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SlaPolicyVersion>>('/api/v1/sla/policies', { signal }).then(
        (r) => r.data,
      ),
  });
}

export function useSavePolicies() {
  return useMutation({
    mutationFn: (body: { policies: SlaPolicy[]; reason: string; baseVersion?: number }) =>
      apiFetch<DataResponse<SlaPolicyVersion>>('/api/v1/sla/policies', {
        method: 'PUT',
        body,
      }).then((r) => r.data),
    onSuccess: () => invalidate(policiesKey),
  });
}

export function usePolicyVersions() {
  return useQuery({
    queryKey: [...policiesKey, 'versions'],
    queryFn: ({ signal }) =>
      fetchEvery<SlaPolicyVersionSummary>('/api/v1/sla/policies/versions', {}, signal),
  });
}

export function usePolicyDiff(from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: [...policiesKey, 'diff', from, to],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SlaPolicyDiff>>('/api/v1/sla/policies/diff', {
        query: { from, to },
        signal,
      }).then((r) => r.data),
    enabled: from !== undefined && to !== undefined && from !== to,
  });
}

export interface SlaPreviewQuery {
  receivedAt: string;
  channel: string;
  category: string;
  tier: string;
  priority: string;
  customerTier: string;
  calendarId?: string;
}

export interface SlaPolicyRef {
  key: string;
  name: { zh: string; en: string };
}

export interface SlaPreview {
  policyVersion: number;
  policy: SlaPolicyRef | null;
  applying: (SlaPolicyRef & { applies: 'first_match' | 'always' })[];
  calendar: { id: string; name: string; timeZone: string };
  receivedAt: string;
  receivedInWorkingHours: boolean;
  targets: {
    kind: string;
    source: SlaPolicyRef;
    overruled: (SlaPolicyRef & { limitMs: number; dueAt: string; dueAtLocal: string })[];
    clock: 'business' | '24x7';
    limitMs: number;
    warnAt: string;
    dueAt: string;
    dueAtLocal: string;
    pausesWhilePendingCustomer: boolean;
    repeats: boolean;
  }[];
}

/** The targets and due times a ticket with these facts would get (`GET /sla/preview`). */
export function useSlaPreview(query: SlaPreviewQuery | null) {
  return useQuery({
    queryKey: ['sla', 'preview', query],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SlaPreview>>('/api/v1/sla/preview', {
        query: { ...query },
        signal,
      }).then((r) => r.data),
    enabled: query !== null,
  });
}

// ---------------------------------------------------------------- risk board

export interface SlaRiskItem {
  clockId: string;
  kind: string;
  occurrence: number;
  state: 'running' | 'breached';
  warnAt: string;
  dueAt: string;
  warnedAt: string | null;
  ticket: {
    id: string;
    number: string;
    subject: string;
    status: string;
    priority: string;
    tier: string;
  };
  owner: { id: string; name: string };
  handler: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
}

export interface SlaRiskBoard {
  generatedAt: string;
  withinMinutes: number;
  totals: { atRisk: number; breached: number };
  teams: { team: { id: string; name: string } | null; atRisk: number; breached: number }[];
  atRisk: SlaRiskItem[];
  breached: SlaRiskItem[];
  truncated: { atRisk: boolean; breached: boolean };
  calendarWarnings: {
    calendarId: string;
    name: string;
    coveredUntil: string | null;
    missingFrom: string;
    missingYear: number;
  }[];
}

/** The supervisors' risk board, refreshed every 30 s. */
export function useRiskBoard(q: { teamId?: string; withinMinutes: number }) {
  return useQuery({
    queryKey: ['sla', 'risk-board', q],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SlaRiskBoard>>('/api/v1/sla/risk-board', { query: q, signal }).then(
        (r) => r.data,
      ),
    refetchInterval: 30_000,
    placeholderData: (previous) => previous,
  });
}

// ---------------------------------------------------------------- priority suggestion

export interface PrioritySuggestion {
  priority: 'urgent' | 'important' | 'general';
  reasons: ('tier_l2' | 'tier_l3' | 'complaint' | 'vip')[];
  customerTier: string;
}

/** The priority suggested for a new ticket (`GET /sla/priority-suggestion`). */
export function usePrioritySuggestion(
  q: { category?: string; tier?: string; customerId?: string } | null,
) {
  return useQuery({
    queryKey: ['sla', 'priority-suggestion', q],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<PrioritySuggestion>>('/api/v1/sla/priority-suggestion', {
        query: { ...q },
        signal,
      }).then((r) => r.data),
    enabled: Boolean(q?.category && q.tier),
    staleTime: 60_000,
  });
}
