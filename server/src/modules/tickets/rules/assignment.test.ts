import { describe, expect, it } from 'vitest';
import { pickLeastLoaded } from './assignment.js';

const at = (iso: string) => new Date(iso);

describe('least-loaded pick within a team', () => {
  it('nobody to pick from → null', () => {
    expect(pickLeastLoaded([])).toBeNull();
  });

  it('fewest active tickets wins', () => {
    const pick = pickLeastLoaded([
      { id: 'a', load: 3, lastAssignedAt: null },
      { id: 'b', load: 1, lastAssignedAt: at('2026-03-01T00:00:00Z') },
      { id: 'c', load: 2, lastAssignedAt: null },
    ]);
    expect(pick?.id).toBe('b');
  });

  it('equal loads rotate: never assigned first, then longest ago, then by id', () => {
    expect(
      pickLeastLoaded([
        { id: 'a', load: 1, lastAssignedAt: at('2026-03-02T00:00:00Z') },
        { id: 'b', load: 1, lastAssignedAt: null },
      ])?.id,
    ).toBe('b');
    expect(
      pickLeastLoaded([
        { id: 'a', load: 1, lastAssignedAt: at('2026-03-02T00:00:00Z') },
        { id: 'b', load: 1, lastAssignedAt: at('2026-03-01T00:00:00Z') },
      ])?.id,
    ).toBe('b');
    expect(
      pickLeastLoaded([
        { id: 'z', load: 0, lastAssignedAt: null },
        { id: 'y', load: 0, lastAssignedAt: null },
      ])?.id,
    ).toBe('y');
  });
});
