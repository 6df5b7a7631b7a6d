/**
 * What a customer sees of a timeline entry: public entries only (the query filters), the
 * author as "you", "staff" (display name only) or "system", and only the data fields that
 * concern them — never staff ids, tiers, internal flags or who entered what.
 */
export interface PortalEventRow {
  id: string;
  kind: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  body: string | null;
  data: Record<string, unknown>;
}

export interface PortalEvent {
  id: string;
  kind: string;
  at: string;
  author: 'you' | 'staff' | 'system';
  authorName: string | null;
  body: string | null;
  data: Record<string, unknown>;
}

const SHOWN: Record<string, readonly string[]> = {
  created: ['number', 'channel', 'category'],
  status: ['from', 'to', 'closeKind', 'customerConfirmed', 'customerReplied'],
  confirmation: ['requested', 'reissued', 'decision', 'expiresAt', 'notifiedBy'],
  reply: [],
};

export function presentPortalEvent(e: PortalEventRow): PortalEvent {
  const keep = SHOWN[e.kind] ?? [];
  const data = Object.fromEntries(
    Object.entries(e.data).filter(([k, v]) => keep.includes(k) && v !== undefined),
  );
  const author = e.actorId ? 'staff' : e.data.by === 'customer' ? 'you' : 'system';
  return {
    id: e.id,
    kind: e.kind,
    at: e.at.toISOString(),
    author,
    authorName: author === 'staff' ? (e.actorName ?? null) : null,
    body: e.body,
    data,
  };
}
