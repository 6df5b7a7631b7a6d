import { useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import type { KbCategory } from './kb';
import { queryClient } from './queryClient';
import type { Tier } from './ticketTypes';

/** Admin screens for the configurable lists (issue 9): KB categories, ticket categories, phrases. */

export interface KbCategoryInput {
  name?: string;
  description?: string;
  parentId?: string | null;
  reviewRoles?: [string, string, string];
  reviewIntervalMonths?: number;
  archived?: boolean;
}

const send = <T>(method: 'POST' | 'PATCH', path: string, body: unknown) =>
  apiFetch<DataResponse<T>>(`/api/v1${path}`, { method, body }).then((r) => r.data);

const refreshKb = () => void queryClient.invalidateQueries({ queryKey: ['kb'] });

export const useCreateKbCategory = () =>
  useMutation({
    mutationFn: (body: KbCategoryInput) => send<KbCategory>('POST', '/kb/categories', body),
    onSuccess: refreshKb,
  });

export const useUpdateKbCategory = () =>
  useMutation({
    mutationFn: ({ id, ...body }: KbCategoryInput & { id: string }) =>
      send<KbCategory>('PATCH', `/kb/categories/${id}`, body),
    onSuccess: refreshKb,
  });

export const useReorderKbCategories = () =>
  useMutation({
    mutationFn: (ids: string[]) => send<KbCategory[]>('POST', '/kb/categories/reorder', { ids }),
    onSuccess: (data) => {
      queryClient.setQueryData(['kb', 'categories'], data);
      refreshKb();
    },
  });

export interface AdminTicketCategory {
  key: string;
  labelZh: string;
  labelEn: string;
  defaultTier: Tier;
  active: boolean;
  sortOrder: number;
}

export const useAdminTicketCategories = () =>
  useQuery({
    queryKey: ['ticket-categories'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<AdminTicketCategory[]>>('/api/v1/ticket-categories', {
        signal,
      }).then((r) => r.data),
  });

const refreshTicketCategories = () =>
  void queryClient.invalidateQueries({ queryKey: ['ticket-categories'] });

export const useCreateTicketCategory = () =>
  useMutation({
    mutationFn: (body: Omit<AdminTicketCategory, 'active'> & { active?: boolean }) =>
      send<AdminTicketCategory>('POST', '/ticket-categories', body),
    onSuccess: refreshTicketCategories,
  });

export const useUpdateTicketCategory = () =>
  useMutation({
    mutationFn: ({ key, ...body }: Partial<AdminTicketCategory> & { key: string }) =>
      send<AdminTicketCategory>('PATCH', `/ticket-categories/${key}`, body),
    onSuccess: refreshTicketCategories,
  });

export interface LivePhrase {
  phrase: string;
  suggestion?: string;
  articleId: string;
  articleTitle: string;
}

export const useLivePhrases = () =>
  useQuery({
    queryKey: ['kb', 'phrases'],
    queryFn: () =>
      apiFetch<DataResponse<{ forbidden: LivePhrase[]; required: LivePhrase[] }>>(
        '/api/v1/kb/phrases',
      ).then((r) => r.data),
  });
