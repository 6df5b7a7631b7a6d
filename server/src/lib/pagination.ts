import { z } from 'zod';
import { HttpProblem } from './problem.js';

/**
 * Cursor pagination over (created_at, id) — stable under inserts, unlike offsets.
 * The cursor is opaque to clients: base64url of the last row's sort key.
 */
export const pageQuery = z.object({
  cursor: z.string().max(200).optional().describe('Opaque cursor from a previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface CursorKey {
  at: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url');
}

/** What the second half of a cursor is: a row's uuid (default), a sequence number or a date. */
export type CursorIdKind = 'uuid' | 'int' | 'bigint' | 'date';

const cursorIds: Record<CursorIdKind, z.ZodType<string>> = {
  uuid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
  int: z.string().regex(/^\d{1,9}$/), // an `integer` column
  bigint: z.string().regex(/^\d{1,15}$/), // a `bigint` identity, exact as a JS number
  date: z.iso.date().refine((d) => /^[1-9]/.test(d)),
};
/** Sort keys are times in years 1000–9999 (PostgreSQL has no year 0; 9999-12-31 sorts "none"). */
const cursorAt = z.iso
  .datetime()
  .refine((at) => /^[1-9]/.test(at) && Number.isFinite(Date.parse(at)));

/**
 * The sort key inside a cursor, or 400 `invalid_cursor` if it is not one this API could have
 * issued — a forged cursor must never reach a query as a malformed uuid, number or time.
 */
export function decodeCursor(
  cursor: string | undefined,
  idKind: CursorIdKind = 'uuid',
): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const [at, id] = z.tuple([cursorAt, cursorIds[idKind]]).parse(parsed);
    return { at, id: idKind === 'uuid' ? id.toLowerCase() : id };
  } catch {
    throw new HttpProblem({
      status: 400,
      code: 'invalid_cursor',
      detail: 'The cursor is not one this API issued.',
      errors: [{ path: 'cursor', message: 'invalid cursor', code: 'invalid_cursor' }],
    });
  }
}

/** Given `limit + 1` rows, returns the page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
