import { describe, expect, it } from 'vitest';
import {
  CALL_EVENT_KINDS,
  foldCall,
  step,
  type CallEventInput,
  type CallEventKind,
  type CallRecord,
  type CallState,
} from './call-state.js';

const T0 = Date.UTC(2026, 11, 1, 2, 0, 0);
let n = 0;
const ev = (
  kind: CallEventKind,
  s: number,
  more: Partial<CallEventInput> = {},
): CallEventInput => ({
  eventId: more.eventId ?? `e${++n}`,
  kind,
  at: T0 + s * 1000,
  ...more,
});

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]),
  );
}

const strip = (r: CallRecord | null) => r && { ...r, applied: [...r.applied].sort() };

describe('foldCall', () => {
  it('nothing folds to nothing', () => {
    expect(foldCall([])).toBeNull();
  });

  it('ring → answer → end is a completed call with its answer time', () => {
    const r = foldCall([
      ev('ringing', 0, { agent: 'a1', queue: 'sales' }),
      ev('answered', 12, { agent: 'a1' }),
      ev('ended', 90, { recordingUrl: 'https://rec/1.mp3' }),
    ]);
    expect(r).toMatchObject({
      state: 'completed',
      ringAt: T0,
      answeredAt: T0 + 12_000,
      endedAt: T0 + 90_000,
      answerMs: 12_000,
      agent: 'a1',
      queue: 'sales',
      recordingUrl: 'https://rec/1.mp3',
      ignored: [],
    });
  });

  it('ring → end without an answer is missed; so is an explicit missed', () => {
    expect(foldCall([ev('ringing', 0, { agent: 'a' }), ev('ended', 30)])).toMatchObject({
      state: 'missed',
      answerMs: null,
      agent: 'a',
    });
    expect(foldCall([ev('ringing', 0), ev('missed', 30)])).toMatchObject({
      state: 'missed',
      endedAt: T0 + 30_000,
    });
  });

  it('every delivery order of the same events gives the same record', () => {
    const sequences: CallEventInput[][] = [
      [ev('ringing', 0, { agent: 'a' }), ev('answered', 5, { agent: 'a' }), ev('ended', 60)],
      [ev('ringing', 0, { agent: 'a' }), ev('missed', 20)],
      [
        ev('ringing', 0, { agent: 'a' }),
        ev('answered', 3, { agent: 'a' }),
        ev('transferred', 40, { agent: 'b' }),
        ev('answered', 45, { agent: 'b' }),
        ev('ended', 100, { recordingUrl: 'r' }),
      ],
      [
        ev('ringing', 0, { agent: 'a' }),
        ev('ringing', 10, { agent: 'b' }),
        ev('answered', 12, { agent: 'b' }),
        ev('ended', 50),
      ],
      // Same-second events: the kind rank decides.
      [ev('ringing', 0, { agent: 'a' }), ev('answered', 0), ev('ended', 0)],
    ];
    for (const seq of sequences) {
      const expected = strip(foldCall(seq));
      for (const p of permutations(seq)) expect(strip(foldCall(p))).toEqual(expected);
    }
  });

  it('a duplicate event id counts once, whatever it carries the second time', () => {
    const ring = ev('ringing', 0, { agent: 'a' });
    const end = ev('ended', 30);
    const r = foldCall([ring, ring, { ...end }, end, { ...ring, kind: 'answered', at: T0 + 1 }]);
    expect(r).toMatchObject({ state: 'missed', applied: [ring.eventId, end.eventId] });
  });

  it('a transfer rings at the transferee; the first answer still decides the connection', () => {
    const r = foldCall([
      ev('ringing', 0, { agent: 'a' }),
      ev('answered', 8, { agent: 'a' }),
      ev('transferred', 30, { agent: 'b' }),
      ev('ended', 40),
    ]);
    expect(r).toMatchObject({ state: 'completed', agent: 'b', transfers: 1, answerMs: 8_000 });
  });

  it('events after the end are ignored but a late recording link is kept', () => {
    const late = ev('answered', 100);
    const rec = ev('ended', 200, { recordingUrl: 'https://rec/late.mp3' });
    const r = foldCall([ev('ringing', 0), ev('ended', 30), late, rec]);
    expect(r).toMatchObject({ state: 'missed', recordingUrl: 'https://rec/late.mp3' });
    expect(r!.ignored).toEqual([late.eventId, rec.eventId]);
  });

  it('a call whose ringing was lost starts at its first event', () => {
    expect(foldCall([ev('answered', 5, { agent: 'a' }), ev('ended', 9)])).toMatchObject({
      state: 'completed',
      ringAt: T0 + 5000,
      answerMs: 0,
    });
  });
});

describe('step: every state × every event', () => {
  const rec = (state: CallState, answered = false): CallRecord => ({
    state,
    ringAt: T0,
    answeredAt: answered || state === 'answered' || state === 'completed' ? T0 + 1000 : null,
    endedAt: state === 'completed' || state === 'missed' ? T0 + 2000 : null,
    answerMs: null,
    agent: 'a',
    queue: null,
    transfers: 0,
    recordingUrl: null,
    applied: [],
    ignored: [],
  });
  // [from, answered before?, event] → next state, or null for "ignored".
  const table: Record<string, CallState | null> = {
    'none:ringing': 'ringing',
    'none:answered': 'answered',
    'none:transferred': 'ringing',
    'none:missed': 'missed',
    'none:ended': 'missed',
    'ringing:ringing': 'ringing',
    'ringing:answered': 'answered',
    'ringing:transferred': 'ringing',
    'ringing:missed': 'missed',
    'ringing:ended': 'missed',
    'ringing+answered:missed': 'completed',
    'ringing+answered:ended': 'completed',
    'ringing+answered:answered': 'answered',
    'answered:ringing': null,
    'answered:answered': null,
    'answered:transferred': 'ringing',
    'answered:missed': null,
    'answered:ended': 'completed',
    'completed:ringing': null,
    'completed:answered': null,
    'completed:transferred': null,
    'completed:missed': null,
    'completed:ended': null,
    'missed:ringing': null,
    'missed:answered': null,
    'missed:transferred': null,
    'missed:missed': null,
    'missed:ended': null,
  };
  for (const [key, expected] of Object.entries(table)) {
    it(`${key} → ${expected ?? 'ignored'}`, () => {
      const [from, kind] = key.split(':') as [string, CallEventKind];
      const before =
        from === 'none'
          ? null
          : from === 'ringing+answered'
            ? rec('ringing', true)
            : rec(from as CallState);
      const next = step(before, ev(kind, 5, { agent: 'b' }));
      expect(next?.state ?? null).toBe(expected);
    });
  }
  it('the table covers every kind from every state', () => {
    for (const from of ['none', 'ringing', 'answered', 'completed', 'missed'])
      for (const kind of CALL_EVENT_KINDS) expect(`${from}:${kind}` in table).toBe(true);
  });
  it('an answer after a transfer keeps the first answer time', () => {
    const next = step(rec('ringing', true), ev('answered', 50));
    expect(next?.answeredAt).toBe(T0 + 1000);
  });
});
