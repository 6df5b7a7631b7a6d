import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging } from './list';
import { queryClient } from './queryClient';

export type AlertEventType = 'escalation' | 'sla_breach' | 'green_channel' | 'incident';
export type AlertChannelType = 'wecom' | 'dingtalk' | 'webhook';

export interface AlertChannel {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  eventTypes: AlertEventType[];
  channelType: AlertChannelType;
  msgType: 'markdown' | 'text';
  url: string;
  secretSet: boolean;
  secretHint: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AlertDelivery {
  id: string;
  channelId: string;
  channelName: string;
  channelType: AlertChannelType;
  eventType: AlertEventType | 'test';
  ticketNumber: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface AlertChannelInput {
  name?: string;
  teamId?: string | null;
  eventTypes?: AlertEventType[];
  channelType?: AlertChannelType;
  msgType?: 'markdown' | 'text';
  url?: string;
  secret?: string;
  enabled?: boolean;
}

export function useAlertChannels() {
  return useInfiniteQuery({
    queryKey: ['alerts', 'channels'],
    ...cursorPaging<AlertChannel>('/api/v1/alerts/channels', {}),
  });
}

export function useAlertDeliveries(filters: { status?: string | undefined }) {
  return useInfiniteQuery({
    queryKey: ['alerts', 'deliveries', filters],
    ...cursorPaging<AlertDelivery>('/api/v1/alerts/deliveries', filters),
  });
}

const invalidate = () => void queryClient.invalidateQueries({ queryKey: ['alerts'] });

export function useSaveAlertChannel() {
  return useMutation({
    mutationFn: ({ id, ...body }: AlertChannelInput & { id?: string }) =>
      id
        ? apiFetch<DataResponse<AlertChannel>>(
            `/api/v1/alerts/channels/${encodeURIComponent(id)}`,
            {
              method: 'PATCH',
              body,
            },
          )
        : apiFetch<DataResponse<AlertChannel>>('/api/v1/alerts/channels', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useDeleteAlertChannel() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`/api/v1/alerts/channels/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useTestAlertChannel() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<
        DataResponse<{
          deliveryId: string;
          ok: boolean;
          statusCode: number | null;
          error: string | null;
        }>
      >(`/api/v1/alerts/channels/${encodeURIComponent(id)}/test`, { method: 'POST' }),
    onSuccess: invalidate,
  });
}

export type SmsProvider = 'log' | 'none' | 'aliyun' | 'tencent';

export interface AlertSettings {
  sms: {
    provider: SmsProvider;
    accessKeyId: string | null;
    accessKeySecretSet: boolean;
    accessKeySecretHint: string;
    signName: string | null;
    template: string | null;
    templateParam: string;
    appId: string | null;
    region: string | null;
    endpoint: string | null;
  };
  retry: { maxAttempts: number; retrySeconds: number };
  /** Fields whose value comes from the environment (not saved on this screen). */
  fromEnvironment: string[];
  updatedAt: string | null;
}

/** Each field: omitted keeps, null goes back to the environment's value. */
export interface AlertSettingsInput {
  sms?: Partial<
    Record<
      | Exclude<keyof AlertSettings['sms'], 'accessKeySecretSet' | 'accessKeySecretHint'>
      | 'accessKeySecret',
      string | null
    >
  >;
  retry?: { maxAttempts?: number | null; retrySeconds?: number | null };
}

export function useAlertSettings() {
  return useQuery({
    queryKey: ['alerts', 'settings'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<AlertSettings>>('/api/v1/alerts/settings', { signal }),
  });
}

export function useSaveAlertSettings() {
  return useMutation({
    mutationFn: (body: AlertSettingsInput) =>
      apiFetch<DataResponse<AlertSettings>>('/api/v1/alerts/settings', { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useTestSms() {
  return useMutation({
    mutationFn: (to: string) =>
      apiFetch<DataResponse<{ ok: boolean; provider: SmsProvider; error: string | null }>>(
        '/api/v1/alerts/sms/test',
        { method: 'POST', body: { to } },
      ),
  });
}
