import { useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import type { ConfirmationSummary, LookupResult } from './ticketTypes';

/** Public customer-side calls: no session, so a 401 never sends anyone to the staff sign-in. */
const PUBLIC = { ignoreUnauthorized: true } as const;

function confirmationPath(token: string): string {
  return `/api/v1/portal/confirmations/${encodeURIComponent(token)}`;
}

export function useConfirmation(token: string) {
  return useQuery({
    queryKey: ['portal', 'confirmation', token],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ConfirmationSummary>>(confirmationPath(token), {
        ...PUBLIC,
        signal,
      }).then((r) => r.data),
    staleTime: Infinity,
  });
}

export interface ConfirmationDecision {
  decision: 'confirm' | 'reject';
  reason?: string;
}

export function useDecideConfirmation(token: string) {
  return useMutation({
    mutationFn: (body: ConfirmationDecision) =>
      apiFetch<DataResponse<ConfirmationSummary>>(confirmationPath(token), {
        ...PUBLIC,
        method: 'POST',
        body,
      }),
  });
}

export interface LookupInput {
  number: string;
  contact: string;
}

export function useTicketLookup() {
  return useMutation({
    mutationFn: (body: LookupInput) =>
      apiFetch<DataResponse<LookupResult>>('/api/v1/portal/lookup', {
        ...PUBLIC,
        method: 'POST',
        body,
      }).then((r) => r.data),
  });
}
