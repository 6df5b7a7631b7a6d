import { useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { fetchAll } from './list';
import { meKey, rememberServerLocale } from './auth';
import { queryClient } from './queryClient';
import type { ApiToken, CreatedApiToken, Locale, Me, Meta, User } from './types';

export function useMeta() {
  return useQuery({
    queryKey: ['meta'],
    queryFn: async () => (await apiFetch<DataResponse<Meta>>('/api/v1/meta')).data,
    staleTime: 10 * 60_000,
  });
}

export interface UpdateMeInput {
  name?: string;
  locale?: Locale;
}

export async function patchMe(body: UpdateMeInput): Promise<User> {
  if (body.locale) rememberServerLocale(body.locale);
  const res = await apiFetch<DataResponse<User>>('/api/v1/me', { method: 'PATCH', body });
  queryClient.setQueryData<Me>(meKey, (old) => (old ? { ...old, user: res.data } : old));
  return res.data;
}

export function useUpdateMe() {
  return useMutation({
    mutationFn: patchMe,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangePasswordInput) =>
      apiFetch<void>('/api/v1/me/password', { method: 'POST', body }),
  });
}

const tokensKey = ['api-tokens'] as const;

export function useApiTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: ({ signal }) => fetchAll<ApiToken>('/api/v1/me/api-tokens', signal),
  });
}

export interface CreateTokenInput {
  name: string;
  scopes: string[];
  expiresInDays: number;
}

export function useCreateApiToken() {
  return useMutation({
    mutationFn: (body: CreateTokenInput) =>
      apiFetch<DataResponse<CreatedApiToken>>('/api/v1/me/api-tokens', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeApiToken() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`/api/v1/me/api-tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
