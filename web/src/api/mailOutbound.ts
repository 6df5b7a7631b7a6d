import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging } from './list';
import { queryClient } from './queryClient';
import type { OutboxMail } from './settings';

/** Replies by mail (issue 13): templates, dead letters, a ticket's deliveries. */

export type MailLocale = 'zh-CN' | 'en-US';

export interface MailTemplate {
  template: string;
  locale: MailLocale;
  subject: string;
  body: string;
  customized: boolean;
  placeholders: string[];
  required: string[];
  updatedAt: string | null;
}

export interface MailPreview {
  subject: string;
  text: string;
  html: string;
}

export interface MailDelivery {
  mailId: string;
  eventId: string;
  to: string;
  status: 'queued' | 'sent' | 'failed' | 'expired' | 'discarded';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
}

const path = (template: string, locale: string) =>
  `/api/v1/mail/templates/${encodeURIComponent(template)}/${locale}`;

export const useMailTemplates = () =>
  useQuery({
    queryKey: ['mail-templates'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<MailTemplate[]>>('/api/v1/mail/templates', { signal }).then(
        (r) => r.data,
      ),
  });

const refreshTemplates = () => void queryClient.invalidateQueries({ queryKey: ['mail-templates'] });

export const useSaveTemplate = () =>
  useMutation({
    mutationFn: (v: { template: string; locale: string; subject: string; body: string }) =>
      apiFetch<DataResponse<MailTemplate>>(path(v.template, v.locale), {
        method: 'PUT',
        body: { subject: v.subject, body: v.body },
      }).then((r) => r.data),
    onSettled: refreshTemplates,
  });

export const useResetTemplate = () =>
  useMutation({
    mutationFn: (v: { template: string; locale: string }) =>
      apiFetch<DataResponse<MailTemplate>>(path(v.template, v.locale), {
        method: 'DELETE',
      }).then((r) => r.data),
    onSettled: refreshTemplates,
  });

export const usePreviewTemplate = () =>
  useMutation({
    mutationFn: (v: { template: string; locale: string; subject: string; body: string }) =>
      apiFetch<DataResponse<MailPreview>>(`${path(v.template, v.locale)}/preview`, {
        method: 'POST',
        body: { subject: v.subject, body: v.body },
      }).then((r) => r.data),
  });

export const useDeadLetters = () =>
  useInfiniteQuery({
    queryKey: ['mail-dead-letters'],
    ...cursorPaging<OutboxMail>('/api/v1/mail/dead-letters', {}),
  });

const refreshMail = () => {
  void queryClient.invalidateQueries({ queryKey: ['mail-dead-letters'] });
  void queryClient.invalidateQueries({ queryKey: ['mail-outbox'] });
  void queryClient.invalidateQueries({ queryKey: ['mail-deliveries'] });
};

export const useDeadLetterAction = () =>
  useMutation({
    mutationFn: (v: { id: string; action: 'retry' | 'discard' }) =>
      apiFetch<DataResponse<OutboxMail>>(
        `/api/v1/mail/outbox/${encodeURIComponent(v.id)}/${v.action}`,
        { method: 'POST' },
      ).then((r) => r.data),
    onSettled: refreshMail,
  });

/** How a ticket's public replies fared by mail (empty for tickets not answered by mail). */
export const useMailDeliveries = (ticketId: string | undefined, timelineLength = 0) =>
  useQuery<MailDelivery[]>({
    // A new timeline entry (a reply) asks again.
    queryKey: ['mail-deliveries', ticketId, timelineLength],
    placeholderData: keepPreviousData,
    enabled: Boolean(ticketId),
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<MailDelivery[]>>('/api/v1/mail/deliveries', {
        query: { ticketId },
        signal,
      }).then((r) => r.data),
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'queued') ? 10_000 : false),
  });
