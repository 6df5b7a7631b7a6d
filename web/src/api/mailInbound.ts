import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging } from './list';
import { queryClient } from './queryClient';

/** Inbound mail (issue 13): the SMTP receiver, IMAP mailboxes and the received-mail log. */

export interface InboundSettings {
  smtpEnabled: boolean;
  smtpHost: string;
  smtpPort: number;
  smtpTeamId: string | null;
  defaultCategory: string;
  senderLimit: number;
  senderWindowMinutes: number;
  maxMessageBytes: number;
  blocklist: string[];
  receiver: { listening: boolean; port: number | null; error: string | null };
}

export interface Mailbox {
  id: string;
  name: string;
  address: string;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  passwordSet: boolean;
  folder: string;
  teamId: string | null;
  category: string | null;
  pollSeconds: number;
  active: boolean;
  lastPolledAt: string | null;
  lastError: string | null;
}

export type MailboxInput = Omit<
  Mailbox,
  'id' | 'passwordSet' | 'lastPolledAt' | 'lastError' | 'teamId' | 'category'
> & { password?: string; teamId?: string | null; category?: string | null };

export type InboundOutcome =
  | 'ticket'
  | 'appended'
  | 'held'
  | 'accepted'
  | 'auto_reply'
  | 'bounce'
  | 'bulk'
  | 'blocked'
  | 'rate_limited'
  | 'rejected';

export interface InboundMail {
  id: string;
  source: 'smtp' | 'imap';
  from: string | null;
  subject: string;
  arrivedAt: string;
  outcome: InboundOutcome;
  reason: string | null;
  ticketId: string | null;
}

const SETTINGS = '/api/v1/mail/inbound/settings';

export const useInboundSettings = () =>
  useQuery({
    queryKey: ['mail-inbound-settings'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<InboundSettings>>(SETTINGS, { signal }).then((r) => r.data),
  });

export const useSaveInboundSettings = () =>
  useMutation({
    mutationFn: (patch: Partial<Omit<InboundSettings, 'receiver'>>) =>
      apiFetch<DataResponse<InboundSettings>>(SETTINGS, { method: 'PATCH', body: patch }).then(
        (r) => r.data,
      ),
    onSuccess: (data) => queryClient.setQueryData(['mail-inbound-settings'], data),
  });

export const useMailboxes = () =>
  useQuery({
    queryKey: ['mail-mailboxes'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<Mailbox[]>>('/api/v1/mail/mailboxes', { signal }).then((r) => r.data),
  });

const refreshMailboxes = () => void queryClient.invalidateQueries({ queryKey: ['mail-mailboxes'] });

export const useCreateMailbox = () =>
  useMutation({
    mutationFn: (body: MailboxInput) =>
      apiFetch<DataResponse<Mailbox>>('/api/v1/mail/mailboxes', { method: 'POST', body }).then(
        (r) => r.data,
      ),
    onSettled: refreshMailboxes,
  });

export const useDeleteMailbox = () =>
  useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`/api/v1/mail/mailboxes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: refreshMailboxes,
  });

export const usePollMailbox = () =>
  useMutation({
    mutationFn: (id: string) =>
      apiFetch<
        DataResponse<{ fetched: number; processed: number; failed: number; error: string | null }>
      >(`/api/v1/mail/mailboxes/${encodeURIComponent(id)}/poll`, { method: 'POST' }).then(
        (r) => r.data,
      ),
    onSettled: () => {
      refreshMailboxes();
      void queryClient.invalidateQueries({ queryKey: ['mail-inbound'] });
    },
  });

export function useInbound(outcome: InboundOutcome | undefined) {
  return useInfiniteQuery({
    queryKey: ['mail-inbound', outcome ?? 'all'],
    ...cursorPaging<InboundMail>('/api/v1/mail/inbound', { outcome }),
  });
}

export const useAcceptHeld = () =>
  useMutation({
    mutationFn: (id: string) =>
      apiFetch<DataResponse<InboundMail>>(`/api/v1/mail/inbound/${encodeURIComponent(id)}/accept`, {
        method: 'POST',
      }).then((r) => r.data),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['mail-inbound'] }),
  });
