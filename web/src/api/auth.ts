import { useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, setCsrfToken, type DataResponse } from './client';
import { queryClient } from './queryClient';
import type { Locale, Me, SessionPayload } from './types';
import { sessionLocale, setLocale } from '../i18n';

export const meKey = ['me'] as const;
export const setupKey = ['setup'] as const;

let lastServerLocale: Locale | null = null;

/**
 * A signed-in user's stored locale applies — unless a language was picked by hand in this
 * session (sign-in page or header switch), and only when it differs from what we last saw.
 */
function applyServerLocale(locale: Locale): void {
  if (sessionLocale()) return;
  if (locale !== lastServerLocale) {
    lastServerLocale = locale;
    setLocale(locale);
  }
}

/** Records a locale the user just chose, so the next /me answer does not flip it back. */
export function rememberServerLocale(locale: Locale): void {
  lastServerLocale = locale;
}

async function fetchMe(): Promise<Me> {
  // 401 here is handled by the caller (RequireAuth redirects; sign-in page ignores it).
  const res = await apiFetch<DataResponse<Me>>('/api/v1/me', { ignoreUnauthorized: true });
  setCsrfToken(res.data.csrfToken);
  applyServerLocale(res.data.user.locale);
  return res.data;
}

export const meQuery = { queryKey: meKey, queryFn: fetchMe, staleTime: 60_000 };

export function useMe() {
  return useQuery(meQuery);
}

/**
 * Asks for /me at once, from the entry chunk, while the staff shell's and the page's chunks still
 * download: `RequireAuth` would only ask once they had all arrived and rendered, and every page
 * waited for that answer before asking for its own data (issue 10).
 */
export function prefetchMe(): void {
  void queryClient.prefetchQuery(meQuery);
}

/**
 * Runs `run` with the signed-in user's abilities once /me (in flight since the entry ran, or
 * cached) says there is a session; never when there is none. For the pages' early data: a
 * signed-out visit makes no 401s, `RequireAuth` sends it to sign-in.
 */
export function whenSignedIn(run: (can: (ability: string) => boolean) => void): void {
  void queryClient.fetchQuery(meQuery).then(
    (me) => run((ability) => me.abilities[ability] === true),
    () => undefined,
  );
}

/** The abilities of the signed-in user; `can('users.create')`. */
export function useAbilities(): (ability: string) => boolean {
  const { data } = useMe();
  return (ability) => data?.abilities[ability] === true;
}

export function useSetupStatus() {
  return useQuery({
    queryKey: setupKey,
    queryFn: async () => {
      const res = await apiFetch<DataResponse<{ needsSetup: boolean }>>('/api/v1/setup', {
        ignoreUnauthorized: true,
      });
      return res.data;
    },
    staleTime: 5 * 60_000,
  });
}

function startSession(payload: SessionPayload): void {
  queryClient.clear();
  lastServerLocale = null;
  setCsrfToken(payload.csrfToken);
}

export interface SignInInput {
  email: string;
  password: string;
}

export function useSignIn() {
  return useMutation({
    mutationFn: (body: SignInInput) =>
      apiFetch<DataResponse<SessionPayload>>('/api/v1/auth/sign-in', {
        method: 'POST',
        body,
        ignoreUnauthorized: true,
      }),
    onSuccess: (res) => startSession(res.data),
  });
}

export interface SetupInput {
  name: string;
  email: string;
  password: string;
  locale: Locale;
}

export function useSetup() {
  return useMutation({
    mutationFn: (body: SetupInput) =>
      apiFetch<DataResponse<SessionPayload>>('/api/v1/setup', { method: 'POST', body }),
    onSuccess: (res) => {
      startSession(res.data);
      queryClient.setQueryData(setupKey, { needsSetup: false });
    },
  });
}

/** Forgets everything about the session on this client (after sign-out or a 401). */
export function endSession(): void {
  setCsrfToken(null);
  lastServerLocale = null;
  queryClient.clear();
}

/** The caller navigates to /sign-in first and then calls {@link endSession}. */
export function useSignOut() {
  return useMutation({
    mutationFn: () => apiFetch<void>('/api/v1/auth/sign-out', { method: 'POST' }),
  });
}
