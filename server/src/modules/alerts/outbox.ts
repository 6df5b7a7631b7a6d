/**
 * The alert outbox (docs/alerts.md). Events arrive in `alert_events` from triggers in the same
 * transaction as what they report (migration 0033). The job then:
 *  1. fans each new event out to the enabled channels of its type and team — one
 *     `alert_deliveries` row per (event, channel), unique, so a re-run adds nothing;
 *  2. delivers due rows: claimed in a short transaction (attempts + 1, pushed out of reach while
 *     in flight), sent over HTTP outside it, then recorded — delivered, due again after an
 *     exponential back-off, or failed after the last attempt.
 * A crash between claim and record only delays a delivery; a receiver may see one twice, so every
 * request carries the delivery id (webhooks: `X-Kefu-Delivery`).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import {
  channelBody,
  judgeResponse,
  retryDelayMs,
  type AlertPayload,
  type ChannelType,
  type MsgType,
} from './rules/message.js';
import {
  SECRET_PREFIX,
  decryptSecret,
  isEncrypted,
  sealSecret,
  type SecretKey,
} from '../../lib/secret-box.js';
import { dingtalkSignedUrl, webhookSignature } from './rules/signing.js';

export interface OutboxOptions {
  maxAttempts: number;
  retrySeconds: number;
  /** Base of ticket links (PUBLIC_URL). */
  publicUrl: string;
  batch?: number;
  /** How long a claimed delivery stays out of reach while its request is in flight. */
  inFlightMs?: number;
  timeoutMs?: number;
  /** Opens the channels' sealed URLs and secrets (lib/secret-box.ts). */
  key: SecretKey;
}

interface EventRow {
  id: string;
  event_type: AlertPayload['eventType'];
  ticket_id: string | null;
  team_id: string | null;
  occurred_at: Date | string;
  data: Record<string, unknown>;
  number: string | null;
  subject: string | null;
  priority: string | null;
  tier: string | null;
  team_name: string | null;
}

const TARGETS: Record<string, string> = {
  first_response: '首次响应 first response',
  resolution: '解决 resolution',
  off_hours_ack: '非工作时间确认 off-hours acknowledgement',
};

export function payloadOf(e: EventRow, publicUrl: string): AlertPayload {
  const d = e.data ?? {};
  let detail: string | null = null;
  if (e.event_type === 'sla_breach' && typeof d.targetKind === 'string')
    detail = `${TARGETS[d.targetKind] ?? d.targetKind}${typeof d.dueAt === 'string' ? ` · due ${d.dueAt}` : ''}`;
  if (e.event_type === 'escalation' && typeof d.fromTier === 'string')
    detail = `${d.fromTier} → ${String(d.toTier)}`;
  return {
    eventType: e.event_type,
    ticketNumber: e.number,
    ticketId: e.ticket_id,
    subject: e.subject ?? (typeof d.title === 'string' ? d.title : ''),
    priority: e.priority,
    tier: e.tier,
    team: e.team_name,
    detail,
    link: e.ticket_id ? `${publicUrl.replace(/\/$/, '')}/tickets/${e.ticket_id}` : null,
    occurredAt: new Date(e.occurred_at).toISOString(),
  };
}

/** Step 1: new events → one delivery per matching channel. Answers the events handled. */
export async function fanOutEvents(db: Db, now: Date, opts: OutboxOptions): Promise<number> {
  return db.transaction(async (tx) => {
    const events = rowsOf<EventRow>(
      await tx.execute(sql`
        SELECT e.id, e.event_type, e.ticket_id, coalesce(t.team_id, e.team_id) AS team_id, e.occurred_at, e.data,
               t.number, t.subject, t.priority, t.tier, tm.name AS team_name
          FROM (SELECT * FROM alert_events WHERE fanned_out_at IS NULL
                 ORDER BY occurred_at, id LIMIT ${opts.batch ?? 100} FOR UPDATE SKIP LOCKED) e
          LEFT JOIN tickets t ON t.id = e.ticket_id
          LEFT JOIN teams tm ON tm.id = coalesce(t.team_id, e.team_id)`),
    );
    if (events.length === 0) return 0;
    // The ticket's team now (assignment may hand it over in the same transaction as the event).
    for (const e of events) {
      const payload = payloadOf(e, opts.publicUrl);
      await tx.execute(sql`
        INSERT INTO alert_deliveries (event_id, channel_id, event_type, payload, next_attempt_at, created_at)
        SELECT ${e.id}::uuid, c.id, ${e.event_type}, ${JSON.stringify(payload)}::jsonb,
               ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
          FROM alert_channels c
         WHERE c.enabled AND ${e.event_type} = ANY (c.event_types)
           AND (c.team_id IS NULL OR c.team_id = ${e.team_id}::uuid)
        ON CONFLICT (event_id, channel_id) DO NOTHING`);
    }
    await tx.execute(sql`
      UPDATE alert_events SET fanned_out_at = ${now.toISOString()}::timestamptz
       WHERE id = ANY (${`{${events.map((e) => e.id).join(',')}}`}::uuid[])`);
    return events.length;
  });
}

export interface ChannelTarget {
  channel_type: ChannelType;
  msg_type: MsgType;
  url: string;
  secret: string;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/** One HTTP request to a channel, signed as its type wants. Never throws. */
export async function sendToChannel(
  ch: ChannelTarget,
  payload: AlertPayload,
  deliveryId: string,
  now: Date,
  timeoutMs = 10_000,
): Promise<AttemptResult> {
  const body = JSON.stringify(channelBody(ch.channel_type, ch.msg_type, payload, deliveryId));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  let url = ch.url;
  if (ch.channel_type === 'dingtalk') url = dingtalkSignedUrl(ch.url, ch.secret, now.getTime());
  if (ch.channel_type === 'webhook') {
    const ts = Math.floor(now.getTime() / 1000);
    headers['x-kefu-event'] = payload.eventType;
    headers['x-kefu-delivery'] = deliveryId;
    headers['x-kefu-timestamp'] = String(ts);
    if (ch.secret) headers['x-kefu-signature'] = webhookSignature(ch.secret, ts, body);
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = (await res.text()).slice(0, 2000);
    const judged = judgeResponse(ch.channel_type, res.status, text);
    return { ok: judged.ok, statusCode: res.status, error: judged.error };
  } catch (err) {
    const cause =
      err instanceof Error
        ? err.cause instanceof Error
          ? err.cause.message
          : err.message
        : String(err);
    return { ok: false, statusCode: null, error: cause.slice(0, 300) };
  }
}

/** The channel with its URL and secret opened; null when they cannot be (another key). */
function openTarget(key: SecretKey, ch: ChannelTarget): ChannelTarget | null {
  try {
    return { ...ch, url: decryptSecret(key, ch.url), secret: decryptSecret(key, ch.secret) };
  } catch {
    return null;
  }
}

/** Start-up: channels saved before their URLs and secrets were sealed (migration 0036). */
export async function sealStoredChannels(db: Db, key: SecretKey): Promise<number> {
  const plain = rowsOf<{ id: string; url: string; secret: string }>(
    await db.execute(sql`SELECT id, url, secret FROM alert_channels
      WHERE url NOT LIKE ${`${SECRET_PREFIX}%`} OR (secret <> '' AND secret NOT LIKE ${`${SECRET_PREFIX}%`})`),
  );
  for (const r of plain)
    await db.execute(sql`UPDATE alert_channels
      SET url = ${isEncrypted(r.url) ? r.url : sealSecret(key, r.url)},
          secret = ${isEncrypted(r.secret) ? r.secret : sealSecret(key, r.secret)}
      WHERE id = ${r.id}::uuid`);
  return plain.length;
}

interface ClaimedRow extends ChannelTarget {
  id: string;
  attempts: number;
  payload: AlertPayload;
  enabled: boolean;
}

/** Records one attempt's outcome. */
export async function recordAttempt(
  ex: Executor,
  id: string,
  attempts: number,
  result: AttemptResult,
  now: Date,
  opts: Pick<OutboxOptions, 'maxAttempts' | 'retrySeconds'>,
  final = false,
) {
  const status = result.ok
    ? 'delivered'
    : final || attempts >= opts.maxAttempts
      ? 'failed'
      : 'pending';
  const next = new Date(
    now.getTime() + (result.ok ? 0 : retryDelayMs(attempts, opts.retrySeconds)),
  );
  await ex.execute(sql`
    UPDATE alert_deliveries
       SET status = ${status}, last_status_code = ${result.statusCode}, last_error = ${result.error},
           next_attempt_at = ${next.toISOString()}::timestamptz,
           delivered_at = ${result.ok ? now.toISOString() : null}::timestamptz
     WHERE id = ${id}::uuid`);
  return status;
}

/** Step 2: due deliveries → HTTP. Answers how many were attempted and delivered. */
export async function deliverDue(db: Db, clock: Clock, opts: OutboxOptions) {
  const now = clock.now();
  const inFlight = new Date(now.getTime() + (opts.inFlightMs ?? 120_000));
  const claimed = rowsOf<ClaimedRow>(
    await db.execute(sql`
      WITH due AS (
        SELECT id FROM alert_deliveries
         WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
         ORDER BY next_attempt_at, id LIMIT ${opts.batch ?? 50} FOR UPDATE SKIP LOCKED)
      UPDATE alert_deliveries d
         SET attempts = d.attempts + 1, next_attempt_at = ${inFlight.toISOString()}::timestamptz
        FROM due, alert_channels c
       WHERE d.id = due.id AND c.id = d.channel_id
      RETURNING d.id, d.attempts, d.payload, c.channel_type, c.msg_type, c.url, c.secret, c.enabled`),
  );
  let delivered = 0;
  for (const row of claimed) {
    const at = clock.now();
    const target = openTarget(opts.key, row);
    const result = !row.enabled
      ? { ok: false, statusCode: null, error: 'channel disabled' }
      : target
        ? await sendToChannel(target, row.payload, row.id, at, opts.timeoutMs)
        : {
            ok: false,
            statusCode: null,
            error: 'channel URL or secret cannot be decrypted (KEFU_SECRET_KEY changed?)',
          };
    const status = await recordAttempt(db, row.id, row.attempts, result, at, opts, !row.enabled);
    if (status === 'delivered') delivered += 1;
  }
  return { attempted: claimed.length, delivered };
}
