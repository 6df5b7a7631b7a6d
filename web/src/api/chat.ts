import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { apiFetch, type DataResponse } from './client';
import { queryClient } from './queryClient';

export type ChatState = 'bot' | 'waiting' | 'active' | 'closed' | 'offline';

export interface ChatQueueItem {
  id: string;
  state: ChatState;
  customerName: string;
  ticketId: string | null;
  ticketNumber: string | null;
  team: { id: string; name: string } | null;
  queuedAt: string | null;
  waitSeconds: number;
  lastSeq: number;
  visitorReadSeq: number;
  agentReadSeq: number;
}

export interface ChatQueue {
  waiting: ChatQueueItem[];
  mine: ChatQueueItem[];
  stats: { queueLength: number; activeCount: number; longestWaitSeconds: number } | null;
  concurrencyLimit: number;
}

export interface ChatMessage {
  seq: number;
  author: 'visitor' | 'bot' | 'agent' | 'system';
  agentName: string | null;
  clientId: string | null;
  body: string;
  data: Record<string, unknown>;
  at: string;
}

export interface ChatConversation {
  id: string;
  state: ChatState;
  ticketId: string | null;
  agentId: string | null;
  mine: boolean;
  rating: number | null;
  visitorReadSeq: number;
  messages: ChatMessage[];
}

export interface ChatSettings {
  enabled: boolean;
  agentConcurrency: number;
  botEnabled: boolean;
  botAnswers: number;
  botMaxMisses: number;
  ticketCategory: string;
  visitorCookieDays: number;
  idleCloseMinutes: number;
}

export interface ChatSite {
  id: string;
  name: string;
  publicKey: string;
  secret: string;
  active: boolean;
  createdAt: string;
}

const chatKey = ['chat'] as const;
const invalidate = () => queryClient.invalidateQueries({ queryKey: chatKey });

export const useChatQueue = () =>
  useQuery({
    queryKey: [...chatKey, 'queue'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ChatQueue>>('/api/v1/chat/queue', { signal }).then((r) => r.data),
    // Waiting times move on; live events refresh sooner.
    refetchInterval: 5000,
  });

export const useChatConversation = (id: string | null) =>
  useQuery({
    queryKey: [...chatKey, 'conversation', id],
    enabled: !!id,
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ChatConversation>>(`/api/v1/chat/conversations/${id}`, {
        signal,
      }).then((r) => r.data),
  });

export const useCannedReplies = () =>
  useQuery({
    queryKey: [...chatKey, 'canned'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<{ id: string; title: string; body: string }[]>>(
        '/api/v1/chat/canned-replies',
        { signal },
      ).then((r) => r.data),
    staleTime: 60_000,
  });

export const useAcceptChat = () =>
  useMutation({
    mutationFn: (id: string) =>
      apiFetch<DataResponse<ChatConversation>>(`/api/v1/chat/conversations/${id}/accept`, {
        method: 'POST',
      }),
    onSettled: invalidate,
  });

export const useSendChat = (id: string) =>
  useMutation({
    mutationFn: (body: { clientId: string; body: string }) =>
      apiFetch<DataResponse<ChatMessage>>(`/api/v1/chat/conversations/${id}/messages`, {
        method: 'POST',
        body,
      }),
    onSettled: invalidate,
  });

export const useTransferChat = (id: string) =>
  useMutation({
    mutationFn: (body: { agentId?: string; teamId?: string }) =>
      apiFetch<void>(`/api/v1/chat/conversations/${id}/transfer`, { method: 'POST', body }),
    onSettled: invalidate,
  });

export const useCloseChat = (id: string) =>
  useMutation({
    mutationFn: () => apiFetch<void>(`/api/v1/chat/conversations/${id}/close`, { method: 'POST' }),
    onSettled: invalidate,
  });

export const useChatSettings = () =>
  useQuery({
    queryKey: [...chatKey, 'settings'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ChatSettings>>('/api/v1/chat/settings', { signal }).then((r) => r.data),
  });

export const useUpdateChatSettings = () =>
  useMutation({
    mutationFn: (body: Partial<ChatSettings>) =>
      apiFetch<DataResponse<ChatSettings>>('/api/v1/chat/settings', { method: 'PATCH', body }),
    onSettled: invalidate,
  });

export const useChatSites = () =>
  useQuery({
    queryKey: [...chatKey, 'sites'],
    queryFn: ({ signal }) =>
      apiFetch<DataResponse<ChatSite[]>>('/api/v1/chat/sites', { signal }).then((r) => r.data),
  });

export const useCreateChatSite = () =>
  useMutation({
    mutationFn: (body: { name: string }) =>
      apiFetch<DataResponse<ChatSite>>('/api/v1/chat/sites', { method: 'POST', body }),
    onSettled: invalidate,
  });

export interface ChatSocketEvent {
  t: string;
  conversationId?: string;
  who?: string;
  seq?: number;
  name?: string;
}

/**
 * The agent console's live connection: queue changes and the watched conversations' messages,
 * typing and read receipts. Reconnects with a growing delay; `send` drops frames while down.
 */
export function useChatSocket(onEvent: (e: ChatSocketEvent) => void, watch: string[]) {
  const socket = useRef<WebSocket | null>(null);
  const handler = useRef(onEvent);
  const watched = useRef(watch);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    watched.current = watch;
    for (const id of watch) send({ t: 'watch', conversationId: id });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watch.join(',')]);
  useEffect(() => {
    let stopped = false;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/chat/agent-ws`;
      const ws = new WebSocket(url);
      socket.current = ws;
      ws.onopen = () => {
        retry = 0;
        for (const id of watched.current)
          ws.send(JSON.stringify({ t: 'watch', conversationId: id }));
        void invalidate();
      };
      ws.onmessage = (m) => {
        try {
          handler.current(JSON.parse(String(m.data)) as ChatSocketEvent);
        } catch {
          // not ours
        }
      };
      ws.onclose = () => {
        socket.current = null;
        if (stopped) return;
        retry = Math.min(retry + 1, 5);
        timer = setTimeout(open, 500 * 2 ** retry);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket.current?.close();
    };
  }, []);
  function send(frame: unknown) {
    if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify(frame));
  }
  return send;
}

export const invalidateChat = invalidate;
