/**
 * Repeat problems (SPEC 13, the service ledger): a ticket repeats when the same customer, or the
 * same subject pattern (normaliseSubject), had another ticket received at most `windowDays`
 * before it. Pure: the rows come sorted by reception (the period's and the window before it).
 */
export interface RepeatRow {
  id: string;
  customerId: string;
  pattern: string;
  at: number;
  /** Received in the period reported on (the rows before it only open the window). */
  inPeriod: boolean;
}

export type RepeatKind = 'customer' | 'subject';

export interface RepeatGroup {
  key: string;
  /** The period's tickets of this customer / pattern that repeat an earlier one. */
  repeats: number;
  /** All the period's tickets of this customer / pattern. */
  tickets: number;
}

export interface RepeatAnalysis {
  received: number;
  /** Tickets repeating by customer or by subject (each once). */
  repeatTickets: number;
  ids: Record<RepeatKind, Map<string, string[]>>;
  groups: Record<RepeatKind, RepeatGroup[]>;
}

const DAY = 86_400_000;

export function analyseRepeats(rows: readonly RepeatRow[], windowDays: number): RepeatAnalysis {
  const windowMs = windowDays * DAY;
  const last: Record<RepeatKind, Map<string, number>> = { customer: new Map(), subject: new Map() };
  const ids: RepeatAnalysis['ids'] = { customer: new Map(), subject: new Map() };
  const totals: Record<RepeatKind, Map<string, number>> = {
    customer: new Map(),
    subject: new Map(),
  };
  const any = new Set<string>();
  let received = 0;
  for (const r of rows) {
    if (r.inPeriod) received += 1;
    for (const kind of ['customer', 'subject'] as const) {
      const key = kind === 'customer' ? r.customerId : r.pattern;
      if (!key) continue;
      const before = last[kind].get(key);
      last[kind].set(key, r.at);
      if (!r.inPeriod) continue;
      totals[kind].set(key, (totals[kind].get(key) ?? 0) + 1);
      if (before !== undefined && r.at - before <= windowMs) {
        const list = ids[kind].get(key) ?? [];
        list.push(r.id);
        ids[kind].set(key, list);
        any.add(r.id);
      }
    }
  }
  const groupsOf = (kind: RepeatKind): RepeatGroup[] =>
    [...ids[kind]]
      .map(([key, list]) => ({ key, repeats: list.length, tickets: totals[kind].get(key) ?? 0 }))
      .sort((a, b) => b.repeats - a.repeats || b.tickets - a.tickets || a.key.localeCompare(b.key));
  return {
    received,
    repeatTickets: any.size,
    ids,
    groups: { customer: groupsOf('customer'), subject: groupsOf('subject') },
  };
}
