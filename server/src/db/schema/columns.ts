import { timestamp } from 'drizzle-orm/pg-core';

/** Every time column: `timestamptz`, read as a JS Date. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
