import type { FastifyRequest } from 'fastify';
import { stripQuery } from './errors.js';

/** Longest text kept from an error message or SQL statement. */
const MAX = 2000;

/**
 * Values quoted in database messages (`invalid input syntax for type uuid: "…"`,
 * `Key (email)=(…) already exists`) are the caller's data: a phone, an email, a hash.
 */
function scrub(text: unknown): string {
  if (typeof text !== 'string') return '';
  return text
    .split(/\nparams: /)[0]!
    .replace(/"[^"\n]*"/g, '"…"')
    .replace(/=\([^)\n]*\)/g, '=(…)')
    .slice(0, MAX);
}

interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: unknown;
  query?: string;
  cause?: LoggedError;
}

/**
 * Errors as logged: type, code, message and stack — never the SQL parameters Drizzle attaches
 * (`params`), a driver's `detail` (`Key (phone)=(138…)`) or any other property that may carry
 * what a customer or user typed.
 */
export function serializeError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: '', stack: '' };
  const e = err as Error & { code?: unknown; query?: unknown; cause?: unknown };
  return {
    type: e.constructor?.name ?? 'Error',
    message: scrub(e.message),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(typeof e.query === 'string' ? { query: e.query.slice(0, MAX) } : {}),
    stack: scrub(e.stack),
    ...(e.cause && depth < 3 ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
}

/** Access-log view of a request: the path without its query string (searches carry phones). */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: stripQuery(req.url),
    host: req.host,
    remoteAddress: req.ip,
  };
}

export const logSerializers = { err: serializeError, req: serializeRequest };
