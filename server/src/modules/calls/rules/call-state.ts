/**
 * The call state machine: a call record is a pure fold of the call's events. The fold sorts the
 * events by their own time (then by a fixed rank of kinds, then by event id), so the record does
 * not depend on the order the provider delivered them in; an event id seen twice counts once.
 * Every event is kept and the record recomputed from all of them on each delivery.
 *
 *   (none) ──ringing──▶ ringing ──answered──▶ answered ──ended──▶ completed
 *                        │  ▲                   │
 *                        │  └──transferred──────┘ (rings at the transferee; answered stays set)
 *                        └──missed / ended (never answered)──▶ missed
 *
 * A ringing that arrives while ringing moves the call to the next agent (queue hunting). An event
 * that does not fit the state (an answer after the end, a second ringing after an answer) is
 * ignored and reported in `ignored`. The first answer decides the connection; the answer time
 * is the first answer minus the first ring.
 */

export const CALL_EVENT_KINDS = ['ringing', 'answered', 'transferred', 'missed', 'ended'] as const;
export type CallEventKind = (typeof CALL_EVENT_KINDS)[number];
export type CallState = 'ringing' | 'answered' | 'completed' | 'missed';

export interface CallEventInput {
  eventId: string;
  kind: CallEventKind;
  /** Epoch milliseconds, the provider's time of the event. */
  at: number;
  /** The agent the event names (a Kefu user id once resolved), if any. */
  agent?: string | null;
  queue?: string | null;
  recordingUrl?: string | null;
}

export interface CallRecord {
  state: CallState;
  ringAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  answerMs: number | null;
  agent: string | null;
  queue: string | null;
  transfers: number;
  recordingUrl: string | null;
  /** Event ids that changed the record, in the fold's order. */
  applied: string[];
  /** Event ids that did not fit the state when folded (kept, but without effect). */
  ignored: string[];
}

const RANK: Record<CallEventKind, number> = {
  ringing: 0,
  transferred: 1,
  answered: 2,
  missed: 3,
  ended: 4,
};

/** The fold's order: time, then kind rank, then event id (a total order). */
export function compareEvents(a: CallEventInput, b: CallEventInput): number {
  return (
    a.at - b.at ||
    RANK[a.kind] - RANK[b.kind] ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

export const isFinal = (s: CallState) => s === 'completed' || s === 'missed';

/** Folds a call's events into its record; null when there are none. */
export function foldCall(events: readonly CallEventInput[]): CallRecord | null {
  const seen = new Set<string>();
  const unique = events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
  if (unique.length === 0) return null;
  const sorted = [...unique].sort(compareEvents);
  let r = null as CallRecord | null;
  const ignored: string[] = [];
  for (const e of sorted) {
    const next = step(r, e);
    if (next === null) {
      // A recording link is worth keeping whatever the state (it often comes after the end).
      if (r && e.recordingUrl) r = { ...r, recordingUrl: e.recordingUrl };
      ignored.push(e.eventId);
      continue;
    }
    r = { ...next, applied: [...next.applied, e.eventId] };
  }
  if (!r) {
    // Nothing fitted (cannot happen: the first event always starts a call), but stay total.
    return null;
  }
  r.ignored = ignored;
  r.answerMs = r.answeredAt === null ? null : Math.max(0, r.answeredAt - r.ringAt);
  return r;
}

/** One transition; null = the event does not fit the state. */
export function step(r: CallRecord | null, e: CallEventInput): CallRecord | null {
  const agent = e.agent ?? null;
  const extra = {
    queue: e.queue ?? r?.queue ?? null,
    recordingUrl: e.recordingUrl ?? r?.recordingUrl ?? null,
  };
  if (r === null) {
    const base: CallRecord = {
      state: 'ringing',
      ringAt: e.at,
      answeredAt: null,
      endedAt: null,
      answerMs: null,
      agent,
      transfers: 0,
      applied: [],
      ignored: [],
      ...extra,
    };
    switch (e.kind) {
      case 'ringing':
        return base;
      case 'answered':
        return { ...base, state: 'answered', answeredAt: e.at };
      case 'transferred':
        return { ...base, transfers: 1 };
      case 'missed':
      case 'ended':
        return { ...base, state: 'missed', endedAt: e.at };
    }
  }
  if (isFinal(r.state)) return null;
  switch (e.kind) {
    case 'ringing':
      // Hunting to the next agent while nobody answered; after an answer a ringing is stale.
      return r.state === 'ringing' ? { ...r, ...extra, agent: agent ?? r.agent } : null;
    case 'answered':
      if (r.state !== 'ringing') return null;
      return {
        ...r,
        ...extra,
        state: 'answered',
        agent: agent ?? r.agent,
        answeredAt: r.answeredAt ?? e.at,
      };
    case 'transferred':
      return {
        ...r,
        ...extra,
        state: 'ringing',
        agent: agent ?? r.agent,
        transfers: r.transfers + 1,
      };
    case 'missed':
      if (r.state !== 'ringing') return null;
      return {
        ...r,
        ...extra,
        state: r.answeredAt === null ? 'missed' : 'completed',
        endedAt: e.at,
      };
    case 'ended':
      return {
        ...r,
        ...extra,
        state: r.answeredAt === null ? 'missed' : 'completed',
        endedAt: e.at,
      };
  }
}
