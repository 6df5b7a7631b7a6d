import { useEffect, useState } from 'react';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { queryClient } from './queryClient';

export interface Notification {
  id: string;
  userId: string;
  /** `sla_warning`, `sla_breach`, `ticket.green_channel`, … */
  kind: string;
  ticketId: string | null;
  title: string;
  createdAt: string;
  readAt: string | null;
}

interface NotificationPage {
  data: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

const BASE = '/api/v1/notifications';
/** A window event carrying each live notification (`detail`), for components other than the bell. */
export const NOTIFICATION_EVENT = 'kefu:notification';
export const notificationsKey = ['notifications'] as const;
/** Without a live stream the bell asks every so often. */
const POLL_MS = 30_000;

/** The newest notifications and the unread count (the bell's list). */
export const latestNotificationsQuery = queryOptions({
  queryKey: [...notificationsKey, 'latest'],
  queryFn: ({ signal }) => apiFetch<NotificationPage>(BASE, { query: { limit: 20 }, signal }),
});

export function useNotifications(live: boolean) {
  return useQuery({ ...latestNotificationsQuery, refetchInterval: live ? false : POLL_MS });
}

const refresh = () => queryClient.invalidateQueries({ queryKey: notificationsKey });

export function useMarkRead() {
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<DataResponse<Notification>>(`${BASE}/${encodeURIComponent(id)}/read`, {
        method: 'POST',
      }),
    onSuccess: refresh,
  });
}

export function useMarkAllRead() {
  return useMutation({
    mutationFn: () =>
      apiFetch<DataResponse<{ updated: number }>>(`${BASE}/read-all`, { method: 'POST' }),
    onSuccess: refresh,
  });
}

/**
 * The live stream (Server-Sent Events): new notifications are handed to `onNotification` and the
 * list is refreshed; the browser's EventSource reconnects by itself. Answers whether the stream
 * is open — while it is not, the list falls back to polling.
 */
export function useNotificationStream(onNotification: (n: Notification) => void): boolean {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`${BASE}/stream`, { withCredentials: true });
    let reopening = false;
    source.onopen = () => {
      setOpen(true);
      // Anything that arrived while the stream was down. Not on the first open: the list was
      // just fetched, and the server's `unread` count on connect (below) shows whether anything
      // came in since — refetching anyway made the bell's list the last call of every staff
      // page (issue 10).
      if (reopening) void refresh();
    };
    source.onerror = () => {
      reopening = true;
      setOpen(false);
    };
    source.addEventListener('notification', (e) => {
      const n = JSON.parse((e as MessageEvent<string>).data) as Notification;
      onNotification(n);
      // Other parts of the console react to their kinds (the phone screen pop: `call.ringing`).
      window.dispatchEvent(new CustomEvent<Notification>(NOTIFICATION_EVENT, { detail: n }));
      void refresh();
    });
    source.addEventListener('unread', (e) => {
      const { count } = JSON.parse((e as MessageEvent<string>).data) as { count: number };
      const page = queryClient.getQueryData<NotificationPage>([...notificationsKey, 'latest']);
      // Read elsewhere (another tab, "mark all read"): the list's read marks changed too. No
      // list yet: its answer may predate this count, so ask again.
      if (!page || page.unreadCount !== count) void refresh();
    });
    return () => source.close();
    // The handler is read once per mount: it only shows a toast.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return open;
}
