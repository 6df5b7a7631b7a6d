/**
 * Least-loaded pick within a team (SPEC 2: L2 work goes to the responsible team): the member
 * with the fewest active tickets as handler; ties go to whoever was assigned longest ago
 * (never assigned counts as longest ago), then by id — so equal loads rotate (round-robin).
 */
export interface Candidate {
  id: string;
  load: number;
  lastAssignedAt: Date | null;
}

export function pickLeastLoaded(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!best || compare(c, best) < 0) best = c;
  }
  return best;
}

function compare(a: Candidate, b: Candidate): number {
  if (a.load !== b.load) return a.load - b.load;
  const at = a.lastAssignedAt?.getTime() ?? -Infinity;
  const bt = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
