import {
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
} from '@tanstack/react-query';
import { apiFetch, type DataResponse, type ListResponse } from './client';
import { cursorPaging, fetchPage } from './list';
import { queryClient } from './queryClient';
import type { Customer, CustomerTier, Ticket } from './ticketTypes';

const BASE = '/api/v1/customers';

function customerPath(id: string, sub = ''): string {
  return `${BASE}/${encodeURIComponent(id)}${sub}`;
}

export interface CustomerFilters {
  q?: string;
  phone?: string;
  email?: string;
}

export function useCustomers(filters: CustomerFilters, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: ['customers', 'list', filters],
    ...cursorPaging<Customer>(BASE, { ...filters }),
    placeholderData: keepPreviousData,
  });
}

/** Look-up as you type: customers whose phone starts with `phone` (at least 3 digits). */
export function useCustomerPhoneLookup(phone: string) {
  const prefix = phone.replace(/\s+/g, '');
  return useQuery({
    queryKey: ['customers', 'phone', prefix],
    queryFn: ({ signal }) =>
      apiFetch<ListResponse<Customer>>(BASE, { query: { phone: prefix, limit: 10 }, signal }),
    enabled: prefix.length >= 3,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/** Exact e-mail match, for de-duplication hints while registering a new customer. */
export function useCustomerEmailLookup(email: string) {
  const value = email.trim().toLowerCase();
  return useQuery({
    queryKey: ['customers', 'email', value],
    queryFn: ({ signal }) =>
      apiFetch<ListResponse<Customer>>(BASE, { query: { email: value, limit: 5 }, signal }),
    enabled: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
    staleTime: 10_000,
  });
}

/**
 * Known customers with exactly this phone number (any spacing, with or without +86) or e-mail:
 * shown while typing a new ticket so the existing customer is reused, not registered twice.
 */
export function useCustomerMatch(phone: string, email: string) {
  const p = phone.replace(/[\s\-().]/g, '');
  const e = email.trim().toLowerCase();
  const phoneOk = /^\+?\d{7,20}$/.test(p);
  const emailOk = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e);
  return useQuery({
    queryKey: ['customers', 'match', phoneOk ? p : '', emailOk ? e : ''],
    queryFn: ({ signal }) =>
      apiFetch<ListResponse<Customer>>(`${BASE}/match`, {
        query: { ...(phoneOk && { phone: p }), ...(emailOk && { email: e }) },
        signal,
      }),
    enabled: phoneOk || emailOk,
    staleTime: 10_000,
  });
}

/** Merges a duplicate customer into another (supervisors, admins): its tickets move over. */
export function useMergeCustomer() {
  return useMutation({
    mutationFn: ({ id, intoId }: { id: string; intoId: string }) =>
      apiFetch<DataResponse<Customer> & { moved: { tickets: number; portalAccounts: number } }>(
        customerPath(id, '/merge'),
        { method: 'POST', body: { intoId } },
      ),
    onSuccess: () => {
      invalidateCustomers();
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}

export const customerQuery = (id: string | undefined) =>
  queryOptions({
    queryKey: ['customers', 'detail', id],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<Customer>>(customerPath(id ?? ''), { signal }).then((r) => r.data),
    enabled: !!id,
  });

export function useCustomer(id: string | undefined) {
  return useQuery(customerQuery(id));
}

/** The customer's past tickets, newest first (first page). */
export const customerTicketsQuery = (id: string | undefined) =>
  queryOptions({
    queryKey: ['customers', 'tickets', id],
    queryFn: ({ signal }) =>
      fetchPage<Ticket>(customerPath(id ?? '', '/tickets'), {}, null, signal),
    enabled: !!id,
  });

export function useCustomerTickets(id: string | undefined) {
  return useQuery(customerTicketsQuery(id));
}

export interface CustomerInput {
  name: string;
  phone?: string | null;
  email?: string | null;
  wechat?: string | null;
  organisation?: string | null;
  tier?: CustomerTier;
  notes?: string;
  consent?: { contact: boolean; marketing: boolean };
  prefersEmail?: boolean;
}

/** A created customer with the server's de-duplication hints (same phone or email). */
export interface CreatedCustomer extends DataResponse<Customer> {
  duplicates?: { id: string; name: string }[];
}

function invalidateCustomers(): void {
  void queryClient.invalidateQueries({ queryKey: ['customers'] });
}

export function useCreateCustomer() {
  return useMutation({
    mutationFn: (body: CustomerInput) => apiFetch<CreatedCustomer>(BASE, { method: 'POST', body }),
    onSuccess: invalidateCustomers,
  });
}

export function useUpdateCustomer() {
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<CustomerInput> & { id: string }) =>
      apiFetch<DataResponse<Customer>>(customerPath(id), { method: 'PATCH', body }),
    onSuccess: () => {
      invalidateCustomers();
      // Ticket summaries carry the customer's name and tier.
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}
