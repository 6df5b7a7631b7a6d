import { useQuery } from '@tanstack/react-query';
import { apiFetch } from './client';

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
}

/** A ticket's SLA clocks; refetched with the ticket (key under `tickets`). */
export function useTicketSla(ticketId: string) {
  return useQuery({
    queryKey: ['tickets', 'sla', ticketId],
    queryFn: ({ signal }) =>
      apiFetch<{ data: SlaClock[] }>(`/api/v1/tickets/${ticketId}/sla`, { signal }).then(
        (r) => r.data,
      ),
    refetchInterval: 30_000,
  });
}
