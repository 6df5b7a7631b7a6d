import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { queryClient } from './queryClient';
import { ticketPath, ticketsKey } from './tickets';
import type { Channel, CustomerTier, Priority, Ref, Ticket, Tier } from './ticketTypes';

/** Custom ticket fields, assignment rules, team members, saved views and split (issue 3). */

export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldOption {
  value: string;
  labelZh: string;
  labelEn: string;
}

export interface TicketField {
  id: string;
  key: string;
  labelZh: string;
  labelEn: string;
  type: FieldType;
  options: FieldOption[];
  required: boolean;
  active: boolean;
  position: number;
  /** Empty: every category. */
  categories: string[];
}

export type TicketFieldInput = Omit<TicketField, 'id' | 'position'> & { position?: number };

const FIELDS = '/api/v1/ticket-fields';

export const ticketFieldsQuery = queryOptions({
  queryKey: ['ticket-fields'],
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<TicketField[]>>(FIELDS, { signal }).then((r) => r.data),
  staleTime: 60_000,
});

export function useTicketFields(enabled = true) {
  return useQuery({ ...ticketFieldsQuery, enabled });
}

/** Active fields that apply to `category` (all categories when the field names none). */
export function fieldsFor(fields: TicketField[] | undefined, category: string | undefined) {
  return (fields ?? []).filter(
    (f) =>
      f.active && (f.categories.length === 0 || (!!category && f.categories.includes(category))),
  );
}

const invalidate = (key: string) => () => void queryClient.invalidateQueries({ queryKey: [key] });

export function useSaveTicketField() {
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<TicketFieldInput> & { id?: string }) =>
      apiFetch<DataResponse<TicketField>>(id ? `${FIELDS}/${encodeURIComponent(id)}` : FIELDS, {
        method: id ? 'PATCH' : 'POST',
        body,
      }),
    onSuccess: invalidate('ticket-fields'),
  });
}

export type Strategy = 'round_robin' | 'least_loaded';

export interface AssignmentRule {
  id: string;
  name: string;
  position: number;
  active: boolean;
  categories: string[];
  channels: Channel[];
  customerTiers: CustomerTier[];
  keywords: string[];
  team: Ref;
  strategy: Strategy;
}

export type AssignmentRuleInput = Omit<AssignmentRule, 'id' | 'position' | 'team'> & {
  teamId: string;
};

const RULES = '/api/v1/ticket-assignment-rules';

export function useAssignmentRules() {
  return useQuery({
    queryKey: ['assignment-rules'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<AssignmentRule[]>>(RULES, { signal }).then((r) => r.data),
  });
}

export function useSaveAssignmentRule() {
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<AssignmentRuleInput> & { id?: string }) =>
      apiFetch<DataResponse<AssignmentRule>>(id ? `${RULES}/${encodeURIComponent(id)}` : RULES, {
        method: id ? 'PATCH' : 'POST',
        body,
      }),
    onSuccess: invalidate('assignment-rules'),
  });
}

export function useDeleteAssignmentRule() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`${RULES}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate('assignment-rules'),
  });
}

export function useReorderAssignmentRules() {
  return useMutation({
    mutationFn: (ids: string[]) =>
      apiFetch<DataResponse<AssignmentRule[]>>(`${RULES}/order`, {
        method: 'POST',
        body: { ids },
      }),
    onSuccess: (res) => queryClient.setQueryData(['assignment-rules'], res.data),
    onSettled: invalidate('assignment-rules'),
  });
}

/** Who in a team can take tickets (ids and names), readable by agents. */
export function useTeamMembers(teamId: string | undefined, enabled = true) {
  return useQuery({
    enabled: enabled && !!teamId,
    queryKey: ['teams', 'members', teamId],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<Ref[]>>(`/api/v1/teams/${encodeURIComponent(teamId ?? '')}/members`, {
        signal,
      }).then((r) => r.data),
    staleTime: 60_000,
  });
}

export interface SavedView {
  id: string;
  name: string;
  search: string;
  owner: Ref;
  team: Ref | null;
  mine: boolean;
  updatedAt: string;
}

const VIEWS = '/api/v1/ticket-views';

export const savedViewsQuery = queryOptions({
  queryKey: ['ticket-views'],
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<SavedView[]>>(VIEWS, { signal }).then((r) => r.data),
  staleTime: 60_000,
});

export function useSavedViews() {
  return useQuery(savedViewsQuery);
}

export interface SavedViewInput {
  name?: string;
  search?: string;
  teamId?: string | null;
}

export function useSaveView() {
  return useMutation({
    mutationFn: ({ id, ...body }: SavedViewInput & { id?: string }) =>
      apiFetch<DataResponse<SavedView>>(id ? `${VIEWS}/${encodeURIComponent(id)}` : VIEWS, {
        method: id ? 'PATCH' : 'POST',
        body,
      }),
    onSuccess: invalidate('ticket-views'),
  });
}

export function useDeleteView() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`${VIEWS}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate('ticket-views'),
  });
}

export interface SplitInput {
  subject: string;
  description?: string;
  category?: string;
  tier?: Tier;
  priority?: Priority;
  customFields?: Record<string, unknown>;
  eventIds?: string[];
}

export function useSplitTicket() {
  return useMutation({
    mutationFn: ({ id, ...body }: SplitInput & { id: string }) =>
      apiFetch<DataResponse<Ticket>>(ticketPath(id, '/split'), { method: 'POST', body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ticketsKey }),
  });
}
