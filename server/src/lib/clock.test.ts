import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('ManualClock', () => {
  it('stands still until set or advanced', () => {
    const clock = new ManualClock('2026-10-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-10-01T00:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-10-01T00:01:30.000Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });
});

describe('cursor pagination', () => {
  it('round-trips a key and pages by limit + 1', () => {
    const key = { at: '2026-01-01T00:00:00.000Z', id: '0b4f5c1e-8a0d-4c43-9a51-3f0e2d1c7b6a' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(() => decodeCursor(encodeCursor({ at: key.at, id: 'abc' }))).toThrow(/cursor/);
    expect(decodeCursor(undefined)).toBeUndefined();
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(rows, 2, (r) => ({ at: key.at, id: String(r.n) }));
    expect(page.data).toEqual([{ n: 1 }, { n: 2 }]);
    expect(decodeCursor(page.nextCursor!, 'int')).toEqual({ at: key.at, id: '2' });
    expect(toPage(rows, 3, () => key).nextCursor).toBeNull();
  });
});
