import { queryOptions, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse, type ListResponse } from './client';
import { queryClient } from './queryClient';

/** Satisfaction surveys (docs/surveys.md): the customer's page and the staff screens. */

export type QuestionType = 'solved' | 'rating5' | 'score100';
export interface SurveyQuestion {
  key: string;
  type: QuestionType;
  zh: string;
  en: string;
  overall?: boolean;
}
export type SurveyAnswers = Record<string, boolean | number>;

export interface PublicSurvey {
  state: 'open' | 'answered' | 'expired';
  kind: 'ticket' | 'campaign';
  ticketNumber: string | null;
  ticketSubject: string | null;
  month: string | null;
  questions: SurveyQuestion[];
  allowComment: boolean;
  expiresAt: string;
  optedOut: boolean;
}

/** Public calls: no session, so a 401 never sends anyone to the staff sign-in. */
const PUBLIC = { ignoreUnauthorized: true } as const;
const publicPath = (token: string) => `/api/v1/public/surveys/${encodeURIComponent(token)}`;

export function usePublicSurvey(token: string) {
  return useQuery({
    queryKey: ['public-survey', token],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<PublicSurvey>>(publicPath(token), { ...PUBLIC, signal }).then(
        (r) => r.data,
      ),
    staleTime: Infinity,
    retry: false,
  });
}

export function useAnswerSurvey(token: string) {
  return useMutation({
    mutationFn: (body: { answers: SurveyAnswers; comment?: string }) =>
      apiFetch(`${publicPath(token)}/answer`, { ...PUBLIC, method: 'POST', body }),
  });
}

export function useOptOut(token: string) {
  return useMutation({
    mutationFn: () => apiFetch(`${publicPath(token)}/opt-out`, { ...PUBLIC, method: 'POST' }),
  });
}

// --- Staff ---

export interface SurveyResponse {
  id: string;
  kind: 'ticket' | 'campaign';
  state: 'open' | 'answered' | 'expired';
  ticket: { id: string; number: string; subject: string } | null;
  agent: { id: string; name: string } | null;
  teamId: string | null;
  periodMonth: string;
  sentAt: string;
  answeredAt: string | null;
  expiresAt: string | null;
  reminderSentAt: string | null;
  channels: string[];
  solved: boolean | null;
  score100: number | null;
  answers: SurveyAnswers | null;
  comment: string | null;
  templateVersion: number | null;
  followUpAt: string | null;
}

export interface ResponseFilter {
  kind?: 'ticket' | 'campaign';
  status?: 'answered' | 'unanswered' | 'low';
  month?: string;
}

export function useSurveyResponses(filter: ResponseFilter) {
  return useInfiniteQuery({
    queryKey: ['survey-responses', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      apiFetch<ListResponse<SurveyResponse>>('/api/v1/survey-responses', {
        query: { ...filter, limit: 50, cursor: pageParam },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const ticketSurveyQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ['ticket-survey', ticketId],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SurveyResponse | null>>(
        `/api/v1/tickets/${encodeURIComponent(ticketId)}/survey`,
        { signal },
      ).then((r) => r.data),
  });

export function useTicketSurvey(ticketId: string, enabled: boolean) {
  return useQuery({ ...ticketSurveyQuery(ticketId), enabled });
}

export interface SurveyTemplate {
  id: string;
  name: string;
  version: number;
  questions: SurveyQuestion[];
  allowComment: boolean;
  active: boolean;
  isDefault: boolean;
  updatedAt: string;
}

export function useSurveyTemplates() {
  return useQuery({
    queryKey: ['survey-templates'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SurveyTemplate[]>>('/api/v1/survey-templates', { signal }).then(
        (r) => r.data,
      ),
  });
}

const invalidate = (key: string) => () => void queryClient.invalidateQueries({ queryKey: [key] });

export function useSaveSurveyTemplate() {
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: Partial<Pick<SurveyTemplate, 'name' | 'questions' | 'allowComment' | 'active'>> & {
      id?: string;
    }) =>
      apiFetch<DataResponse<SurveyTemplate>>(
        id ? `/api/v1/survey-templates/${encodeURIComponent(id)}` : '/api/v1/survey-templates',
        { method: id ? 'PATCH' : 'POST', body },
      ),
    onSuccess: invalidate('survey-templates'),
  });
}

export interface SurveySettings {
  enabled: boolean;
  sendOn: 'resolved' | 'closed';
  delayMinutes: number;
  channels: ('email' | 'sms')[];
  linkDays: number;
  reminderAfterHours: number;
  lowScoreThreshold: number;
  followUpDays: number;
  templateId: string;
}

export function useSurveySettings() {
  return useQuery({
    queryKey: ['survey-settings'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SurveySettings>>('/api/v1/survey-settings', { signal }).then(
        (r) => r.data,
      ),
  });
}

export function useSaveSurveySettings() {
  return useMutation({
    mutationFn: (body: Partial<SurveySettings>) =>
      apiFetch<DataResponse<SurveySettings>>('/api/v1/survey-settings', {
        method: 'PATCH',
        body,
      }),
    onSuccess: () => {
      invalidate('survey-settings')();
      invalidate('survey-templates')();
    },
  });
}

export interface SurveyCampaign {
  id: string;
  month: string;
  templateId: string;
  templateVersion: number;
  createdAt: string;
  lastRunAt: string | null;
  sent: number;
  answered: number;
  skipped: number;
  responseRate: number;
  averageScore: number | null;
}

export function useSurveyCampaigns() {
  return useQuery({
    queryKey: ['survey-campaigns'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<SurveyCampaign[]>>('/api/v1/survey-campaigns', { signal }).then(
        (r) => r.data,
      ),
  });
}

export function useCreateCampaign() {
  return useMutation({
    mutationFn: (body: { month: string }) =>
      apiFetch<DataResponse<SurveyCampaign>>('/api/v1/survey-campaigns', { method: 'POST', body }),
    onSuccess: invalidate('survey-campaigns'),
  });
}

export function useRunCampaign() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<DataResponse<SurveyCampaign>>(
        `/api/v1/survey-campaigns/${encodeURIComponent(id)}/run`,
        { method: 'POST' },
      ),
    onSuccess: invalidate('survey-campaigns'),
  });
}
