import { useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { queryClient } from './queryClient';

/** A ticket's handling plan (处理方案): what, who, by when; public = the customer sees it. */
export interface HandlingPlan {
  id: string;
  ticketId: string;
  body: string;
  owner: { id: string; name: string };
  dueAt: string;
  public: boolean;
  revision: number;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface HandlingPlanInput {
  body: string;
  ownerId: string;
  dueAt: string;
  public: boolean;
}

const path = (ticketId: string) => `/api/v1/tickets/${ticketId}/handling-plans`;

export function useHandlingPlans(ticketId: string) {
  return useQuery({
    queryKey: ['tickets', 'handling-plans', ticketId],
    queryFn: ({ signal }) =>
      apiFetch<{ data: HandlingPlan[] }>(path(ticketId), { signal }).then((r) => r.data),
  });
}

/** Create (no `planId`) or revise a plan; the ticket, its timeline and its SLA are refetched. */
export function useSaveHandlingPlan(ticketId: string) {
  return useMutation({
    mutationFn: ({
      planId,
      revision,
      ...input
    }: HandlingPlanInput & { planId?: string; revision?: number }) =>
      apiFetch<DataResponse<HandlingPlan>>(
        planId ? `${path(ticketId)}/${planId}` : path(ticketId),
        {
          method: planId ? 'PATCH' : 'POST',
          body: planId ? { ...input, revision } : input,
        },
      ).then((r) => r.data),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}
