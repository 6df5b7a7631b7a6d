/**
 * A CTI provider in a box: signs call events the way the webhook expects and posts them. Used by
 * scripts/cti-simulator.ts (demos), the API tests (over app.inject) and the browser test.
 */
import { randomUUID } from 'node:crypto';
import type { CallEventKind } from './rules/call-state.js';
import {
  PROVIDER_HEADER,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
} from './rules/signature.js';

export interface SimResponse {
  status: number;
  body: string;
}
export type Sender = (
  path: string,
  headers: Record<string, string>,
  body: string,
) => Promise<SimResponse>;

/** Posts with fetch to a running server. */
export const fetchSender =
  (baseUrl: string): Sender =>
  async (path, headers, body) => {
    const res = await fetch(new URL(path, baseUrl), { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  };

export interface SimEvent {
  callId: string;
  type: CallEventKind;
  callerNumber: string;
  agent?: string | null;
  queue?: string | null;
  recordingUrl?: string | null;
  /** Default: now. */
  occurredAt?: Date;
  /** Default: a fresh id (send the same id twice to test duplicates). */
  eventId?: string;
}

export class CtiSimulator {
  constructor(
    private readonly opts: {
      send: Sender;
      provider: string;
      secret: string;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.opts.now?.() ?? new Date();
  }

  /** Signs and posts one event; answers the HTTP status and the parsed body. */
  async post(e: SimEvent): Promise<{ status: number; json: unknown }> {
    const body = JSON.stringify({
      eventId: e.eventId ?? randomUUID(),
      callId: e.callId,
      type: e.type,
      occurredAt: (e.occurredAt ?? this.now()).toISOString(),
      callerNumber: e.callerNumber,
      ...(e.agent !== undefined && { agent: e.agent }),
      ...(e.queue !== undefined && { queue: e.queue }),
      ...(e.recordingUrl !== undefined && { recordingUrl: e.recordingUrl }),
    });
    const ts = String(Math.floor(this.now().getTime() / 1000));
    const res = await this.opts.send(
      `/api/v1/cti/${this.opts.provider}/events`,
      {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: ts,
        [SIGNATURE_HEADER]: signBody(this.opts.secret, ts, body),
        [PROVIDER_HEADER]: this.opts.provider,
      },
      body,
    );
    let json: unknown = null;
    try {
      json = JSON.parse(res.body);
    } catch {
      // not JSON
    }
    return { status: res.status, json };
  }

  /** A whole call: ring, then answer after `answerAfterMs` (or miss), then end. */
  async call(opts: {
    callerNumber: string;
    agent?: string;
    queue?: string;
    outcome: 'answered' | 'missed' | 'ringing';
    answerAfterMs?: number;
    talkMs?: number;
    at?: Date;
  }): Promise<string> {
    const callId = `sim-${randomUUID()}`;
    const start = opts.at ?? this.now();
    const base = { callId, callerNumber: opts.callerNumber, queue: opts.queue ?? 'default' };
    const ok = async (e: SimEvent) => {
      const r = await this.post(e);
      if (r.status !== 200)
        throw new Error(`CTI event refused: ${r.status} ${JSON.stringify(r.json)}`);
    };
    await ok({ ...base, type: 'ringing', agent: opts.agent ?? null, occurredAt: start });
    if (opts.outcome === 'ringing') return callId;
    const t1 = new Date(start.getTime() + (opts.answerAfterMs ?? 8_000));
    if (opts.outcome === 'missed') {
      await ok({ ...base, type: 'missed', occurredAt: t1 });
      return callId;
    }
    await ok({ ...base, type: 'answered', agent: opts.agent ?? null, occurredAt: t1 });
    await ok({
      ...base,
      type: 'ended',
      occurredAt: new Date(t1.getTime() + (opts.talkMs ?? 120_000)),
      recordingUrl: `https://recordings.example.com/${callId}.mp3`,
    });
    return callId;
  }
}
