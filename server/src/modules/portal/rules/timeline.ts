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
  reply: ['attachments'],
  attachment: ['attachment'],
  handling_plan: ['action', 'dueAt'],
};

/** A file as the customer sees it: no uploader, no storage details. */
export interface PortalFileRef {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Keeps a file reference only when it is public (the timeline entry is public, but a ref is
 * checked on its own too) and only its customer-facing fields.
 */
function fileRefOf(v: unknown): PortalFileRef | null {
  if (!isRecord(v) || v.visibility !== 'public') return null;
  const { id, filename, mimeType, size } = v;
  if (typeof id !== 'string' || typeof filename !== 'string') return null;
  return {
    id,
    filename,
    mimeType: typeof mimeType === 'string' ? mimeType : 'application/octet-stream',
    size: typeof size === 'number' ? size : 0,
  };
}

const FILE_FIELDS: Record<string, (v: unknown) => unknown> = {
  attachment: (v) => fileRefOf(v) ?? undefined,
  attachments: (v) => {
    const refs = (Array.isArray(v) ? v : []).map(fileRefOf).filter((r) => r !== null);
    return refs.length > 0 ? refs : undefined;
  },
};

export function presentPortalEvent(e: PortalEventRow): PortalEvent {
  const keep = SHOWN[e.kind] ?? [];
  const data = Object.fromEntries(
    Object.entries(e.data)
      .filter(([k]) => keep.includes(k))
      .map(([k, v]) => [k, FILE_FIELDS[k] ? FILE_FIELDS[k](v) : v] as const)
      .filter(([, v]) => v !== undefined),
  );
  const author = e.actorId ? 'staff' : e.data.by === 'customer' ? 'you' : 'system';
  return {
    id: e.id,
    kind: e.kind,
    at: e.at.toISOString(),
    author,
    authorName: author === 'staff' ? (e.actorName ?? null) : null,
    // A status change's reason is the staff's internal note unless they chose to show it.
    body: e.kind === 'status' && author === 'staff' && e.data.reasonPublic !== true ? null : e.body,
    data,
  };
}
