import { keepPreviousData, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging } from './list';
import { meKey } from './auth';
import { queryClient } from './queryClient';
import type { Locale, User } from './types';

export interface UserFilters {
  q?: string;
  role?: string;
  active?: boolean;
}

export function useUsers(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: ['users', 'list', filters],
    ...cursorPaging<User>('/api/v1/users', { ...filters }),
    placeholderData: keepPreviousData,
  });
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  roles: string[];
  teamIds: string[];
  locale: Locale;
}

export interface UpdateUserInput {
  name?: string;
  roles?: string[];
  teamIds?: string[];
  active?: boolean;
  locale?: Locale;
}

function invalidateUsers(): void {
  void queryClient.invalidateQueries({ queryKey: ['users'] });
  // Member counts change with user/team membership.
  void queryClient.invalidateQueries({ queryKey: ['teams'] });
}

export function useCreateUser() {
  return useMutation({
    mutationFn: (body: CreateUserInput) =>
      apiFetch<DataResponse<User>>('/api/v1/users', { method: 'POST', body }),
    onSuccess: invalidateUsers,
  });
}

export function useUpdateUser() {
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserInput & { id: string }) =>
      apiFetch<DataResponse<User>>(`/api/v1/users/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body,
      }),
    onSuccess: (res) => {
      invalidateUsers();
      const me = queryClient.getQueryData<{ user: User }>(meKey);
      if (me?.user.id === res.data.id) void queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}
