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

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const [at, id] = z.tuple([z.iso.datetime(), z.string().max(100)]).parse(parsed);
    return { at, id };
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
