import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging } from './list';
import { queryClient } from './queryClient';
import type { Channel } from './ticketTypes';

/** Workspace settings pages (admin): tickets, attachments, mail, portal, SLA. */

function useSettings<T>(key: string, path: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [key],
    queryFn: ({ signal }) => apiFetch<DataResponse<T>>(path, { signal }).then((r) => r.data),
  });
}

function useSaveSettings<T, P>(key: string, path: string) {
  return useMutation({
    mutationFn: (patch: P) =>
      apiFetch<DataResponse<T>>(path, { method: 'PATCH', body: patch }).then((r) => r.data),
    onSuccess: (data) => {
      queryClient.setQueryData([key], (old: T | undefined) => ({ ...old, ...data }));
      void queryClient.invalidateQueries({ queryKey: [key] });
    },
  });
}

// ---------------------------------------------------------------- tickets (closed loop)

export interface TicketSettings {
  autoCloseDays: number;
  reopenWindowDays: number;
  archiveAfterDays: number;
  confirmationLinkDays: number;
  timeZone: string;
  /** Whether the caller may change them (administrators). */
  editable?: boolean;
}

const TICKET_SETTINGS = '/api/v1/ticket-settings';
export const useTicketSettings = () =>
  useSettings<TicketSettings>('ticket-settings', TICKET_SETTINGS);
export const useSaveTicketSettings = () =>
  useSaveSettings<TicketSettings, Partial<Omit<TicketSettings, 'editable'>>>(
    'ticket-settings',
    TICKET_SETTINGS,
  );

// ---------------------------------------------------------------- attachments

export interface AttachmentLimits {
  maxFileBytes: number;
  maxImageBytes: number;
  allowedTypes: string[];
}

// Same key as `useAttachmentSettings` (api/attachments.ts), so uploads see a change at once.
const ATTACHMENT_SETTINGS = '/api/v1/attachment-settings';
export const useAttachmentLimits = () =>
  useSettings<AttachmentLimits>('attachment-settings', ATTACHMENT_SETTINGS);
export const useSaveAttachmentLimits = () =>
  useSaveSettings<AttachmentLimits, Partial<AttachmentLimits>>(
    'attachment-settings',
    ATTACHMENT_SETTINGS,
  );

// ---------------------------------------------------------------- portal

export interface PortalSettings {
  codeTtlMinutes: number;
  codeMaxAttempts: number;
  sessionTtlHours: number;
  intakeUserId: string | null;
}

const PORTAL_SETTINGS = '/api/v1/portal/settings';
export const usePortalSettings = () =>
  useSettings<PortalSettings>('portal-settings', PORTAL_SETTINGS);
export const useSavePortalSettings = () =>
  useSaveSettings<PortalSettings, Partial<PortalSettings>>('portal-settings', PORTAL_SETTINGS);

// ---------------------------------------------------------------- SLA

export interface SlaSettings {
  offHoursAck: { enabled: boolean; channels: Channel[]; zh: string; en: string };
  emailOnBreach: boolean;
}

export interface SlaSettingsPatch {
  offHoursAck?: Partial<SlaSettings['offHoursAck']>;
  emailOnBreach?: boolean;
}

const SLA_SETTINGS = '/api/v1/sla/settings';
export const useSlaSettings = () => useSettings<SlaSettings>('sla-settings', SLA_SETTINGS);
export const useSaveSlaSettings = () =>
  useSaveSettings<SlaSettings, SlaSettingsPatch>('sla-settings', SLA_SETTINGS);

// ---------------------------------------------------------------- mail

export type MailStatus = 'queued' | 'sent' | 'failed' | 'expired' | 'discarded';

export interface MailState {
  configured: boolean;
  from: string | null;
  counts: Record<MailStatus, number>;
}

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  template: string;
  locale: string;
  ticketId: string | null;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  createdAt: string;
  eventId?: string | null;
  discardedAt?: string | null;
}

export const useMailStatus = () => useSettings<MailState>('mail-status', '/api/v1/mail/status');

export function useOutbox(status: MailStatus | undefined) {
  return useInfiniteQuery({
    queryKey: ['mail-outbox', status ?? 'all'],
    ...cursorPaging<OutboxMail>('/api/v1/mail/outbox', { status }),
  });
}

export function useRetryMail() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<DataResponse<OutboxMail>>(`/api/v1/mail/outbox/${encodeURIComponent(id)}/retry`, {
        method: 'POST',
      }).then((r) => r.data),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['mail-outbox'] });
      void queryClient.invalidateQueries({ queryKey: ['mail-status'] });
    },
  });
}

// ---------------------------------------------------------------- knowledge base

export interface KbSettings {
  feedbackReplyWorkingDays: number;
}

const KB_SETTINGS = '/api/v1/kb/settings';
export const useKbSettings = () => useSettings<KbSettings>('kb-settings', KB_SETTINGS);
export const useSaveKbSettings = () =>
  useSaveSettings<KbSettings, Partial<KbSettings>>('kb-settings', KB_SETTINGS);
