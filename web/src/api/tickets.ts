import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
} from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging, fetchAll } from './list';
import { queryClient } from './queryClient';
import type {
  BulkResult,
  ConfirmationLink,
  Channel,
  Priority,
  Queue,
  QueueCounts,
  Ticket,
  TicketCategory,
  TicketSort,
  TicketStatus,
  Tier,
  TimelineEntry,
} from './ticketTypes';
import type { User } from './types';

const BASE = '/api/v1/tickets';

export function ticketPath(id: string, sub = ''): string {
  return `${BASE}/${encodeURIComponent(id)}${sub}`;
}

/** Query-string filters of `GET /tickets` (multi-values are comma-separated). */
export interface TicketFilters {
  queue?: Queue;
  status?: string;
  channel?: string;
  category?: string;
  tier?: string;
  priority?: string;
  ownerId?: string;
  teamId?: string;
  customerId?: string;
  tag?: string;
  /** Custom field filters `key:value`, comma-separated. */
  customField?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: TicketSort;
}

export const ticketsKey = ['tickets'] as const;

export const ticketsListQuery = (filters: TicketFilters) =>
  infiniteQueryOptions({
    queryKey: ['tickets', 'list', filters],
    ...cursorPaging<Ticket>(BASE, { ...filters }),
  });

export function useTickets(filters: TicketFilters) {
  return useInfiniteQuery({ ...ticketsListQuery(filters), placeholderData: keepPreviousData });
}

export const ticketCountsQuery = queryOptions({
  queryKey: ['tickets', 'counts'],
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<QueueCounts>>(`${BASE}/counts`, { signal }).then((r) => r.data),
  staleTime: 10_000,
});

/** Live queue counts, refreshed every 15 seconds while the console is open. */
export function useTicketCounts() {
  return useQuery({ ...ticketCountsQuery, refetchInterval: 15_000 });
}

export const ticketQuery = (id: string) =>
  queryOptions({
    queryKey: ['tickets', 'detail', id],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<Ticket>>(ticketPath(id), { signal }).then((r) => r.data),
  });

export function useTicket(id: string) {
  return useQuery(ticketQuery(id));
}

export const timelineQuery = (id: string) =>
  queryOptions({
    queryKey: ['tickets', 'timeline', id],
    queryFn: ({ signal }) => fetchAll<TimelineEntry>(ticketPath(id, '/timeline'), signal),
  });

export function useTimeline(id: string) {
  return useQuery(timelineQuery(id));
}

export const ticketLinksQuery = (id: string) =>
  queryOptions({
    queryKey: ['tickets', 'links', id],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<Ticket[]>>(ticketPath(id, '/links'), { signal }).then((r) => r.data),
  });

export function useTicketLinks(id: string) {
  return useQuery(ticketLinksQuery(id));
}

export const ticketCategoriesQuery = queryOptions({
  queryKey: ['ticket-categories'],
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<TicketCategory[]>>('/api/v1/ticket-categories', { signal }).then(
      (r) => r.data,
    ),
  staleTime: 5 * 60_000,
});

export function useTicketCategories(enabled = true) {
  return useQuery({ ...ticketCategoriesQuery, enabled });
}

const STAFF_ROLES = new Set(['agent', 'supervisor', 'specialist', 'admin']);

/** Active staff who can handle tickets, for handler pickers (needs `users.list`). */
export const assignableUsersQuery = queryOptions({
  queryKey: ['users', 'assignable'],
  queryFn: async ({ signal }) => {
    const users = await fetchAll<User>('/api/v1/users', signal);
    return users.filter((u) => u.active && u.roles.some((r) => STAFF_ROLES.has(r)));
  },
  staleTime: 60_000,
});

export function useAssignableUsers(enabled: boolean) {
  return useQuery({ ...assignableUsersQuery, enabled });
}

export interface NewCustomerInput {
  name: string;
  phone?: string;
  email?: string;
}

export interface CreateTicketInput {
  channel: Channel;
  category: string;
  tier?: Tier;
  priority?: Priority;
  subject: string;
  description: string;
  customerId?: string;
  customer?: NewCustomerInput;
  receivedAt?: string;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

/** A created ticket; the server may add de-duplication hints about an inline new customer. */
export interface CreatedTicket extends DataResponse<Ticket> {
  duplicates?: { id: string; name: string }[];
}

function invalidateTickets(): void {
  void queryClient.invalidateQueries({ queryKey: ticketsKey });
  void queryClient.invalidateQueries({ queryKey: ['customers'] });
}

/** `idempotencyKey` is made once per form, so a double submit never creates two tickets. */
export function useCreateTicket() {
  return useMutation({
    mutationFn: ({ idempotencyKey, ...body }: CreateTicketInput & { idempotencyKey: string }) =>
      apiFetch<CreatedTicket>(BASE, {
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    onSuccess: invalidateTickets,
  });
}

/** The ticket as last read: writes carry its version so a concurrent change is refused (412). */
export interface Versioned {
  id: string;
  version: number;
}

function write<T>(ticket: Versioned, sub: string, method: 'POST' | 'PATCH', body: unknown) {
  return apiFetch<T>(ticketPath(ticket.id, sub), {
    method,
    body,
    headers: { 'if-match': `"${ticket.version}"` },
  });
}

/** Every ticket write refreshes the ticket, its timeline, the lists and the counts. */
function useTicketWrite<Input, T = DataResponse<Ticket>>(
  sub: string,
  method: 'POST' | 'PATCH' = 'POST',
) {
  return useMutation({
    mutationFn: ({ ticket, ...body }: Input & { ticket: Versioned }) =>
      write<T>(ticket, sub, method, body),
    // Put the answered ticket (new version) in the cache at once, so a next write made before
    // the refetch lands does not carry a stale If-Match.
    onSuccess: (answer) => {
      const data = (answer as { data?: Partial<Ticket> } | undefined)?.data;
      if (data?.id && typeof data.version === 'number') {
        queryClient.setQueryData(['tickets', 'detail', data.id], data);
      }
    },
    onSettled: invalidateTickets,
  });
}

export interface TicketPatch {
  subject?: string;
  category?: string;
  tier?: Tier;
  priority?: Priority;
  tags?: string[];
  /** Keys to set; null clears. */
  customFields?: Record<string, unknown>;
}

export const useUpdateTicket = () => useTicketWrite<TicketPatch>('', 'PATCH');

export interface TransitionInput {
  to: TicketStatus;
  reason?: string;
  /** The reason is internal unless this is true. */
  reasonVisibleToCustomer?: boolean;
  followUp?: { plan: string; dueAt: string };
  /** Closing from `resolved`: the agent records that the customer acknowledged the solution. */
  customerConfirmed?: boolean;
}

/** Resolving answers the customer's one-time confirmation link beside the ticket. */
export type TransitionResult = DataResponse<Ticket> & { confirmation?: ConfirmationLink };

export const useTransition = () =>
  useTicketWrite<TransitionInput, TransitionResult>('/transitions');

/** A new confirmation link for a resolved ticket (the previous one stops working). */
export function useReissueConfirmation() {
  return useMutation({
    mutationFn: (ticket: Versioned) =>
      apiFetch<DataResponse<ConfirmationLink>>(ticketPath(ticket.id, '/confirmation-link'), {
        method: 'POST',
      }).then((r) => r.data),
    onSettled: invalidateTickets,
  });
}

export interface AssignInput {
  teamId?: string | null;
  handlerId?: string | null;
}

export const useAssign = () => useTicketWrite<AssignInput>('/assign');

export const useChangeOwner = () => useTicketWrite<{ ownerId: string; reason: string }>('/owner');

export interface ReplyInput {
  body: string;
  visibility: 'public' | 'internal';
  /** Files already uploaded to the ticket that go with this reply. */
  attachmentIds?: string[];
}

export const useReply = () => useTicketWrite<ReplyInput, DataResponse<TimelineEntry>>('/replies');

export interface ReturnVisitInput {
  visitedAt: string;
  outcome: string;
  customerAccepted: boolean;
}

export const useReturnVisit = () => useTicketWrite<ReturnVisitInput>('/return-visits');

export const useFollowUpDone = () => useTicketWrite<Record<never, never>>('/follow-up/done');

export const useLinkTicket = () => useTicketWrite<{ otherId: string }, unknown>('/links');

export const useMergeTicket = () => useTicketWrite<{ intoId: string }>('/merge');

export interface BulkInput {
  ids: string[];
  action: 'assign' | 'transition';
  teamId?: string;
  handlerId?: string;
  to?: TicketStatus;
}

export function useBulkTickets() {
  return useMutation({
    mutationFn: (body: BulkInput) =>
      apiFetch<DataResponse<BulkResult[]>>(`${BASE}/bulk`, { method: 'POST', body }).then(
        (r) => r.data,
      ),
    onSettled: invalidateTickets,
  });
}

/** Look a ticket up by its number (`KF-2026-000123`) for linking and merging. */
export function findTicketByNumber(number: string): Promise<Ticket | undefined> {
  return apiFetch<{ data: Ticket[] }>(BASE, { query: { queue: 'all', q: number, limit: 5 } }).then(
    (r) => r.data.find((t) => t.number.toLowerCase() === number.trim().toLowerCase()),
  );
}
