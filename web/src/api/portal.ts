import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  apiFetch,
  isApiError,
  withQuery,
  type ApiFetchOptions,
  type DataResponse,
  type ListResponse,
} from './client';
import type { ConfirmationSummary, TicketStatus } from './ticketTypes';

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

/** Guest look-up answer: the ticket's summary and its public timeline, as the portal shows it. */
export interface GuestLookup {
  number: string;
  subject: string;
  status: TicketStatus;
  category: string;
  channel: string;
  receivedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  timeline: PortalEvent[];
}

export function useTicketLookup() {
  return useMutation({
    mutationFn: (body: LookupInput) =>
      apiFetch<DataResponse<GuestLookup>>('/api/v1/portal/lookup', {
        ...PUBLIC,
        method: 'POST',
        body,
      }).then((r) => r.data),
  });
}

// ── Signed-in customers (kefu_portal cookie; its own CSRF token, never the staff one) ──

export type PortalLocale = 'zh-CN' | 'en-US';

export interface PortalAccount {
  email: string;
  name: string;
  locale: PortalLocale;
  hasPassword: boolean;
}

export interface PortalRequest {
  id: string;
  number: string;
  subject: string;
  status: TicketStatus;
  category: string;
  channel: string;
  receivedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  awaitingConfirmation: boolean;
}

export interface PortalEvent {
  id: string;
  kind: string;
  at: string;
  author: 'you' | 'staff' | 'system';
  authorName: string | null;
  body: string | null;
  data: Record<string, unknown>;
}

/** A file named by a timeline entry (`data.attachment`, or `data.attachments` of a reply). */
export interface PortalFileRef {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
}

/** A file the customer just uploaded to a request. */
export interface PortalAttachment extends PortalFileRef {
  url: string;
}

/** Where the signed-in customer downloads a public file of their request. */
export const portalFileUrl = (id: string) =>
  `/api/v1/portal/attachments/${encodeURIComponent(id)}/content`;

export interface PortalRequestDetail extends PortalRequest {
  description: string;
  canReply: boolean;
  timeline: PortalEvent[];
}

export interface PortalCategory {
  key: string;
  labelZh: string;
  labelEn: string;
}

let portalCsrf: string | null = null;

/** Customer calls: a 401 means "sign in to the portal", never the staff sign-in page. */
function portalFetch<T>(path: string, options: ApiFetchOptions = {}): Promise<T> {
  return apiFetch<T>(path, {
    ...PUBLIC,
    ...options,
    headers: {
      ...options.headers,
      ...(options.method && options.method !== 'GET' && portalCsrf
        ? { 'x-csrf-token': portalCsrf }
        : {}),
    },
  });
}

const ME_KEY = ['portal', 'me'] as const;

/** The signed-in customer, or null when not signed in (401). */
export function usePortalMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }) => {
      try {
        const r = await portalFetch<DataResponse<{ account: PortalAccount; csrfToken: string }>>(
          '/api/v1/portal/me',
          { signal },
        );
        portalCsrf = r.data.csrfToken;
        return r.data.account;
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

type SessionAnswer = DataResponse<{ account: PortalAccount; csrfToken: string }>;

function useSignedIn() {
  const client = useQueryClient();
  return (r: SessionAnswer) => {
    portalCsrf = r.data.csrfToken;
    client.setQueryData(ME_KEY, r.data.account);
    void client.invalidateQueries({ queryKey: ['portal', 'requests'] });
  };
}

export function useRequestCode() {
  return useMutation({
    mutationFn: (body: { email: string; locale?: PortalLocale }) =>
      portalFetch<DataResponse<{ sent: true }>>('/api/v1/portal/auth/request-code', {
        method: 'POST',
        body,
      }),
  });
}

export function useVerifyCode() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: { email: string; code: string; locale?: PortalLocale }) =>
      portalFetch<SessionAnswer>('/api/v1/portal/auth/verify-code', { method: 'POST', body }),
    onSuccess: signedIn,
  });
}

export function usePasswordSignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      portalFetch<SessionAnswer>('/api/v1/portal/auth/sign-in', { method: 'POST', body }),
    onSuccess: signedIn,
  });
}

export function usePortalSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => portalFetch<void>('/api/v1/portal/auth/sign-out', { method: 'POST' }),
    onSettled: () => {
      portalCsrf = null;
      client.setQueryData(ME_KEY, null);
      client.removeQueries({ queryKey: ['portal', 'requests'] });
    },
  });
}

export function useSetPortalPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { newPassword: string; currentPassword?: string }) =>
      portalFetch<void>('/api/v1/portal/me/password', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ME_KEY }),
  });
}

export function usePortalCategories() {
  return useQuery({
    queryKey: ['portal', 'categories'],
    queryFn: ({ signal }) =>
      portalFetch<{ data: PortalCategory[] }>('/api/v1/portal/categories', { signal }).then(
        (r) => r.data,
      ),
    staleTime: 5 * 60_000,
  });
}

export function useMyRequests() {
  return useInfiniteQuery({
    queryKey: ['portal', 'requests', 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      portalFetch<ListResponse<PortalRequest>>(
        withQuery('/api/v1/portal/requests', { limit: 20, cursor: pageParam }),
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
}

export function useMyRequest(id: string) {
  return useQuery({
    queryKey: ['portal', 'requests', id],
    queryFn: ({ signal }) =>
      portalFetch<DataResponse<PortalRequestDetail>>(
        `/api/v1/portal/requests/${encodeURIComponent(id)}`,
        { signal },
      ).then((r) => r.data),
    // Answers from the service arrive any time: a customer coming back sees them at once.
    staleTime: 0,
  });
}

function useRequestWrite<B>(path: (id: string) => string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: B) =>
      portalFetch<DataResponse<PortalRequestDetail>>(path(id), { method: 'POST', body }).then(
        (r) => r.data,
      ),
    onSuccess: (detail) => {
      client.setQueryData(['portal', 'requests', detail.id], detail);
      void client.invalidateQueries({ queryKey: ['portal', 'requests', 'list'] });
    },
  });
}

export function useSubmitRequest() {
  return useRequestWrite<{ category: string; subject: string; description: string }>(
    () => '/api/v1/portal/requests',
    '',
  );
}

/** One file to one of my requests (multipart); it shows on the timeline at once. */
export function useUploadToRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ requestId, file }: { requestId: string; file: File }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return portalFetch<DataResponse<PortalAttachment>>(
        `/api/v1/portal/requests/${encodeURIComponent(requestId)}/attachments`,
        { method: 'POST', body: form },
      ).then((r) => r.data);
    },
    onSuccess: (_file, { requestId }) =>
      client.invalidateQueries({ queryKey: ['portal', 'requests', requestId] }),
  });
}

export function useReplyToRequest(id: string) {
  return useRequestWrite<{ body: string; attachmentIds?: string[] }>(
    (x) => `/api/v1/portal/requests/${encodeURIComponent(x)}/replies`,
    id,
  );
}

export function useDecideRequest(id: string) {
  return useRequestWrite<ConfirmationDecision>(
    (x) => `/api/v1/portal/requests/${encodeURIComponent(x)}/decision`,
    id,
  );
}
