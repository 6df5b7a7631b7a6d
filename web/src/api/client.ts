/** A field-level validation error inside a problem document. */
export interface ProblemFieldError {
  path: string;
  message: string;
  /** Stable code (`too_short`, `taken`, …) translated under `errors.fieldCodes`. */
  code?: string;
}

/** RFC 9457 problem document, as answered by the Kefu server. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
  requestId?: string;
}

/** Thrown by {@link apiFetch} for every non-2xx answer (and for network failures, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface ListResponse<T> {
  data: T[];
  nextCursor: string | null;
}

export interface DataResponse<T> {
  data: T;
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registered by the app: called whenever a request answers 401 (unless the call opts out). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `path?a=1&b=2`, dropping empty values. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface ApiFetchOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Extra request headers (`If-Match`, `Idempotency-Key`). */
  headers?: Record<string, string>;
  /** Do not trigger the global "go to sign-in" on 401 (sign-in itself, silent probes). */
  ignoreUnauthorized?: boolean;
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = { type: 'about:blank', title: res.statusText, status: res.status };
  const text = await res.text().catch(() => '');
  if (!text) return fallback;
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    return { ...fallback, ...parsed, status: parsed.status ?? res.status };
  } catch {
    return { ...fallback, detail: text.slice(0, 500) };
  }
}

/**
 * Calls the Kefu API on the same origin with the session cookie and, for non-GET calls,
 * the CSRF header. Resolves with the parsed JSON body (or `undefined` for 204).
 */
export async function apiFetch<T>(path: string, options: ApiFetchOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  // FormData (file uploads) goes as multipart; the browser sets the boundary header.
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['content-type'] = 'application/json';
  // A caller's own token wins: the customer portal sends its session's, never the staff one.
  if (method !== 'GET' && csrfToken && !headers['x-csrf-token'])
    headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: isForm
        ? (options.body as FormData)
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      code: 'network_error',
    });
  }

  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && !options.ignoreUnauthorized) unauthorizedHandler?.();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
