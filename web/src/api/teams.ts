import { queryOptions, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging, fetchAll } from './list';
import { queryClient } from './queryClient';
import type { Team } from './types';

export function useTeams() {
  return useInfiniteQuery({
    queryKey: ['teams', 'list'],
    ...cursorPaging<Team>('/api/v1/teams', {}),
  });
}

/** Every team (for pickers). */
export const allTeamsQuery = queryOptions({
  queryKey: ['teams', 'all'],
  queryFn: ({ signal }) => fetchAll<Team>('/api/v1/teams', signal),
});

export function useAllTeams(enabled = true) {
  return useQuery({ ...allTeamsQuery, enabled });
}

export interface TeamInput {
  name: string;
  description?: string;
}

function invalidateTeams(): void {
  void queryClient.invalidateQueries({ queryKey: ['teams'] });
}

export function useCreateTeam() {
  return useMutation({
    mutationFn: (body: TeamInput) =>
      apiFetch<DataResponse<Team>>('/api/v1/teams', { method: 'POST', body }),
    onSuccess: invalidateTeams,
  });
}

export function useUpdateTeam() {
  return useMutation({
    mutationFn: ({ id, ...body }: TeamInput & { id: string }) =>
      apiFetch<DataResponse<Team>>(`/api/v1/teams/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body,
      }),
    onSuccess: () => {
      invalidateTeams();
      // Team names are shown on users.
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
}
