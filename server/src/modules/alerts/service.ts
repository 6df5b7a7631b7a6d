import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { decryptSecret, sealSecret, type SecretKey } from '../../lib/secret-box.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { recordAttempt, sendToChannel, type AttemptResult } from './outbox.js';
import type { AlertPayload, ChannelType, MsgType } from './rules/message.js';
import { maskSecret, maskUrl } from './rules/signing.js';
import type { channelBody, channelPatch, channelSchema, deliverySchema } from './schemas.js';

type ChannelView = z.infer<typeof channelSchema>;
type DeliveryView = z.infer<typeof deliverySchema>;

interface ChannelRow {
  id: string;
  name: string;
  team_id: string | null;
  team_name: string | null;
  event_types: string[];
  channel_type: ChannelType;
  msg_type: MsgType;
  url: string;
  secret: string;
  enabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function present(r: ChannelRow): ChannelView {
  return {
    id: r.id,
    name: r.name,
    teamId: r.team_id,
    teamName: r.team_name,
    eventTypes: r.event_types as ChannelView['eventTypes'],
    channelType: r.channel_type,
    msgType: r.msg_type,
    url: maskUrl(r.url),
    secretSet: r.secret !== '',
    secretHint: maskSecret(r.secret),
    enabled: r.enabled,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** What the audit log keeps of a channel: never the URL's key or the secret. */
const audited = (v: ChannelView) => ({ ...v, secretHint: undefined });

/** The URL (robot keys live in it) and the secret are stored sealed (lib/secret-box.ts). */
function opened(key: SecretKey, r: ChannelRow): ChannelRow {
  return { ...r, url: decryptSecret(key, r.url), secret: decryptSecret(key, r.secret) };
}

async function channelRow(
  ex: Executor,
  key: SecretKey,
  id: string,
  lock = false,
): Promise<ChannelRow | undefined> {
  const row = rowsOf<ChannelRow>(
    await ex.execute(sql`
      SELECT c.*, t.name AS team_name FROM alert_channels c LEFT JOIN teams t ON t.id = c.team_id
       WHERE c.id = ${id}::uuid ${lock ? sql`FOR UPDATE OF c` : sql``}`),
  )[0];
  return row && opened(key, row);
}

async function assertTeam(ex: Executor, teamId: string | null | undefined) {
  if (!teamId) return;
  const [found] = rowsOf(await ex.execute(sql`SELECT 1 FROM teams WHERE id = ${teamId}::uuid`));
  if (!found) throw problems.notFound('Team', 'teamId');
}

function assertSecret(type: ChannelType, secret: string) {
  if (type === 'wecom' && secret)
    throw problems.invalid([
      { path: 'secret', message: 'WeCom group robots take no secret (the key is in the URL)' },
    ]);
}

export async function listChannels(db: Db, key: SecretKey, limit: number, after?: CursorKey) {
  const rows = rowsOf<ChannelRow>(
    await db.execute(sql`
      SELECT c.*, t.name AS team_name FROM alert_channels c LEFT JOIN teams t ON t.id = c.team_id
       ${after ? sql`WHERE (c.created_at, c.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
       ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit + 1}`),
  );
  return rows.map((r) => present(opened(key, r)));
}

export async function createChannel(
  db: Db,
  key: SecretKey,
  ctx: AuditContext,
  input: z.output<typeof channelBody>,
): Promise<ChannelView> {
  assertSecret(input.channelType, input.secret);
  return db.transaction(async (tx) => {
    await assertTeam(tx, input.teamId);
    const id = randomUUID();
    await tx.execute(sql`
      INSERT INTO alert_channels (id, name, team_id, event_types, channel_type, msg_type, url, secret,
                                  enabled, created_at, updated_at)
      VALUES (${id}::uuid, ${input.name}, ${input.teamId}::uuid,
              ${`{${[...new Set(input.eventTypes)].join(',')}}`}::text[], ${input.channelType},
              ${input.msgType}, ${sealSecret(key, input.url)}, ${sealSecret(key, input.secret)}, ${input.enabled},
              ${ctx.at.toISOString()}::timestamptz, ${ctx.at.toISOString()}::timestamptz)`);
    const view = present((await channelRow(tx, key, id))!);
    await recordAudit(tx, ctx, {
      action: 'alert_channel.create',
      targetType: 'alert_channel',
      targetId: id,
      after: audited(view),
    });
    return view;
  });
}

export async function updateChannel(
  db: Db,
  key: SecretKey,
  ctx: AuditContext,
  id: string,
  patch: z.output<typeof channelPatch>,
): Promise<ChannelView> {
  return db.transaction(async (tx) => {
    const row = await channelRow(tx, key, id, true);
    if (!row) throw problems.notFound('Alert channel');
    if (patch.teamId !== undefined) await assertTeam(tx, patch.teamId);
    const next = {
      name: patch.name ?? row.name,
      teamId: patch.teamId !== undefined ? patch.teamId : row.team_id,
      eventTypes: patch.eventTypes ? [...new Set(patch.eventTypes)] : row.event_types,
      channelType: patch.channelType ?? row.channel_type,
      msgType: patch.msgType ?? row.msg_type,
      url: patch.url ?? row.url,
      secret: patch.secret ?? row.secret,
      enabled: patch.enabled ?? row.enabled,
    };
    // A WeCom robot keeps no secret: switching to it drops one that was saved.
    if (next.channelType === 'wecom' && patch.secret === undefined) next.secret = '';
    assertSecret(next.channelType, next.secret);
    await tx.execute(sql`
      UPDATE alert_channels
         SET name = ${next.name}, team_id = ${next.teamId}::uuid,
             event_types = ${`{${next.eventTypes.join(',')}}`}::text[],
             channel_type = ${next.channelType}, msg_type = ${next.msgType}, url = ${sealSecret(key, next.url)},
             secret = ${sealSecret(key, next.secret)}, enabled = ${next.enabled},
             updated_at = ${ctx.at.toISOString()}::timestamptz
       WHERE id = ${id}::uuid`);
    const view = present((await channelRow(tx, key, id))!);
    await recordAudit(tx, ctx, {
      action: 'alert_channel.update',
      targetType: 'alert_channel',
      targetId: id,
      before: audited(present(row)),
      after: audited(view),
    });
    return view;
  });
}

export async function deleteChannel(
  db: Db,
  key: SecretKey,
  ctx: AuditContext,
  id: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await channelRow(tx, key, id, true);
    if (!row) throw problems.notFound('Alert channel');
    await tx.execute(sql`DELETE FROM alert_channels WHERE id = ${id}::uuid`);
    await recordAudit(tx, ctx, {
      action: 'alert_channel.delete',
      targetType: 'alert_channel',
      targetId: id,
      before: audited(present(row)),
    });
  });
}

/**
 * Sends a test message now (one attempt, no retry) and records it in the delivery log; answers
 * the outcome so the admin sees the robot's refusal at once.
 */
export async function testChannel(
  db: Db,
  key: SecretKey,
  ctx: AuditContext,
  id: string,
  publicUrl: string,
): Promise<AttemptResult & { deliveryId: string }> {
  const row = await channelRow(db, key, id);
  if (!row) throw problems.notFound('Alert channel');
  const payload: AlertPayload = {
    eventType: 'test',
    ticketNumber: null,
    ticketId: null,
    subject: 'Kefu 告警通道测试 / alert channel test',
    priority: null,
    tier: null,
    team: row.team_name,
    detail: null,
    link: publicUrl,
    occurredAt: ctx.at.toISOString(),
  };
  const deliveryId = randomUUID();
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO alert_deliveries (id, channel_id, event_type, payload, attempts, next_attempt_at, created_at)
      VALUES (${deliveryId}::uuid, ${id}::uuid, 'test', ${JSON.stringify(payload)}::jsonb, 1,
              ${ctx.at.toISOString()}::timestamptz, ${ctx.at.toISOString()}::timestamptz)`);
    await recordAudit(tx, ctx, {
      action: 'alert_channel.test',
      targetType: 'alert_channel',
      targetId: id,
    });
  });
  const result = await sendToChannel(row, payload, deliveryId, ctx.at);
  await recordAttempt(db, deliveryId, 1, result, ctx.at, { maxAttempts: 1, retrySeconds: 1 }, true);
  return { ...result, deliveryId };
}

interface DeliveryRow {
  id: string;
  channel_id: string;
  channel_name: string;
  channel_type: ChannelType;
  event_type: DeliveryView['eventType'];
  payload: AlertPayload;
  status: DeliveryView['status'];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | string;
  created_at: Date | string;
  delivered_at: Date | string | null;
}

export async function listDeliveries(
  db: Db,
  q: { limit: number; status?: string | undefined; channelId?: string | undefined },
  after?: CursorKey,
): Promise<DeliveryView[]> {
  const conds = [sql`true`];
  if (q.status) conds.push(sql`d.status = ${q.status}`);
  if (q.channelId) conds.push(sql`d.channel_id = ${q.channelId}::uuid`);
  if (after) conds.push(sql`(d.created_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = rowsOf<DeliveryRow>(
    await db.execute(sql`
      SELECT d.*, c.name AS channel_name, c.channel_type FROM alert_deliveries d
        JOIN alert_channels c ON c.id = d.channel_id
       WHERE ${sql.join(conds, sql` AND `)}
       ORDER BY d.created_at DESC, d.id DESC LIMIT ${q.limit + 1}`),
  );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    channelName: r.channel_name,
    channelType: r.channel_type,
    eventType: r.event_type,
    ticketNumber: r.payload?.ticketNumber ?? null,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    createdAt: iso(r.created_at),
    deliveredAt: r.delivered_at ? iso(r.delivered_at) : null,
  }));
}
