import type { FastifyInstance } from 'fastify';
import { HttpProblem, type FieldError } from '../lib/problem.js';

/**
 * Text PostgreSQL cannot store, refused before any handler sees it: NUL (U+0000) is not allowed
 * in `text`/`jsonb`, and a lone UTF-16 surrogate is not a character at all (jsonb refuses it).
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** ISO dates and date-times: PostgreSQL has no year 0000, and years before 1000 are typos. */
const ISO_DATE = /^(\d{4})-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const MAX_DEPTH = 32;
const UPPER_UUID = /^(?=.*[A-F])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * PostgreSQL answers uuids in lower case; the API accepts either case but compares ids as
 * strings (a ticket merged into itself, the same id twice in a list). So ids are made
 * lower case on the way in, in place.
 */
export function lowerCaseUuids(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return;
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    if (typeof v === 'string' && UPPER_UUID.test(v)) record[key] = v.toLowerCase();
    else lowerCaseUuids(v, depth + 1);
  }
}

/** The first offending value of a decoded body, query or params, or undefined if all are fine. */
export function findBadInput(value: unknown, path = '', depth = 0): FieldError | undefined {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) {
      return {
        path,
        message: 'contains a NUL character or an unpaired surrogate',
        code: 'invalid_characters',
      };
    }
    const date = ISO_DATE.exec(value);
    if (date && Number(date[1]) < 1000) {
      return { path, message: 'is a date outside the years 1000–9999', code: 'date_out_of_range' };
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return { path, message: 'is nested too deeply', code: 'too_deep' };
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) {
      return {
        path: at,
        message: 'has a NUL or unpaired surrogate in its name',
        code: 'invalid_characters',
      };
    }
    const bad = findBadInput(v, at, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * Every route, public or not: body, query string and path parameters must be storable text.
 * Runs before schema validation, so no handler, query or audit row ever sees such a value;
 * upper-case uuids are lower-cased.
 */
export function registerInputGuard(app: FastifyInstance): void {
  // A callback hook, not an async one: it never waits, and every request passes through it.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [where, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const bad = findBadInput(value);
      if (bad) {
        const field = { ...bad, path: bad.path || where };
        done(
          new HttpProblem({
            status: 400,
            code: 'invalid_request',
            detail: `The request ${where} is invalid: ${field.path}: ${field.message}`,
            errors: [field],
          }),
        );
        return;
      }
      lowerCaseUuids(value);
    }
    done();
  });
}
