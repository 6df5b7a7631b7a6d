import { z } from 'zod';

/** `{ data: T }` — every single-resource answer. */
export const dataOf = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

/** `{ data: T[], nextCursor }` — every list answer (cursor pagination). */
export const pageOf = <T extends z.ZodType>(schema: T) =>
  z.object({ data: z.array(schema), nextCursor: z.string().nullable() });

export const noContent = z.null().describe('No content');
