/**
 * Inbound mail → tickets (issue 13). One message, one transaction: the `mail_inbound` row (its
 * Message-ID is unique) is written with the ticket it registers or the reply it appends, so a
 * message counts as processed exactly when its ticket commits, and the same Message-ID twice
 * changes nothing. Noise, blocked senders, floods and held replies are recorded, not ticketed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';
import type { Actor } from '../../access/actor.js';
import { jsonOf, rowsOf, type Db, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { enableTxMemo } from '../../db/tx-memo.js';
import {
  customers,
  mailInbound,
  mailInboundSettings,
  mailMailboxes,
  tickets,
} from '../../db/schema/index.js';
import { attachMailFiles, prepareMailAttachments } from './inbound-attachments.js';
import { mailOffHoursAck } from './reply-mail.js';
import type { CursorKey } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import {
  deferAudit,
  flushDeferredAudit,
  recordAudit,
  type AuditContext,
} from '../audit/service.js';
import type { AttachmentStorage } from '../attachments/storage.js';
import { customerEmailProblem, insertCustomer, insertCustomers } from '../customers/service.js';
import { portalIntakeUser } from '../portal/settings.js';
import { CUSTOMER, lockTicket, saveTicket, type TicketRow } from '../tickets/access.js';
import { notifyTicketUsers } from '../tickets/notifications.js';
import { isLegal } from '../tickets/rules/state-machine.js';
import { nextTicketNumbers } from '../tickets/numbers.js';
import {
  planTicket,
  writeTickets,
  type RegisteredTicket,
  type TicketPlan,
} from '../tickets/service.js';
import { getSettingsCached } from '../tickets/settings.js';
import { appendEvent } from '../tickets/timeline.js';
import {
  classifyNoise,
  customerNameFor,
  foldQuoted,
  isBlocked,
  normalizeMessageId,
  overSenderLimit,
  threadKeys,
  ticketNumberInSubject,
  ticketSubject,
} from './rules/inbound.js';

export type InboundOutcome =
  | 'ticket'
  | 'appended'
  | 'held'
  | 'accepted'
  | 'auto_reply'
  | 'bounce'
  | 'bulk'
  | 'blocked'
  | 'rate_limited'
  | 'rejected';

export interface InboundSource {
  source: 'smtp' | 'imap';
  mailboxId?: string | null;
  /** When the message reached us (SMTP: now; IMAP: the server's internal date). */
  arrivedAt: Date;
  /** Where the message's attachments are stored; without it they stay in the raw message. */
  storage?: AttachmentStorage;
}

export interface IngestResult {
  /** `duplicate` when this Message-ID was processed before (nothing changed). */
  outcome: InboundOutcome | 'duplicate';
  inboundId: string;
  ticketId: string | null;
  reason: string | null;
}

export type InboundSettings = typeof mailInboundSettings.$inferSelect;
type InboundRow = typeof mailInbound.$inferSelect;

export async function getInboundSettings(ex: Executor): Promise<InboundSettings> {
  const [row] = await ex.select().from(mailInboundSettings).where(eq(mailInboundSettings.id, true));
  if (!row) throw new Error('mail_inbound_settings row missing (migration 0024)');
  return row;
}

const SKIPPED_REPLY_STATUSES = ['closed', 'archived'];
const REPLY_OPEN = (t: TicketRow) => !SKIPPED_REPLY_STATUSES.includes(t.status);

function headerMap(parsed: ParsedMail): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of parsed.headerLines ?? []) {
    const i = line.line.indexOf(':');
    if (i > 0) map.set(line.key.toLowerCase(), line.line.slice(i + 1).trim());
  }
  return map;
}

function firstAddress(a: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const obj of list)
    for (const v of obj.value) if (v.address) return { address: v.address, name: v.name };
  return null;
}

const inboundCtx = (at: Date): AuditContext => ({
  actorId: null,
  actorName: 'mail:inbound',
  ip: null,
  userAgent: null,
  requestId: null,
  at,
});

const cap = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

/** Raw bytes as stored: UTF-8 text (8-bit bodies survive as replacement characters). */
const rawText = (raw: Buffer) => raw.toString('utf8').split(String.fromCharCode(0)).join('');

async function intakeActor(tx: Executor): Promise<Actor | null> {
  const u = await portalIntakeUser(tx);
  if (!u) return null;
  return {
    userId: u.id,
    name: u.name,
    email: u.email,
    roles: u.roles as Actor['roles'],
    teamIds: [],
    via: 'session',
    principalKey: `mail-intake:${u.id}`,
  };
}

/** The ticket a reply belongs to: by its thread headers, else by `[KF-…]` in the subject. */
async function findThread(tx: Executor, keys: string[], subject: string) {
  if (keys.length > 0) {
    const [hit] = await tx
      .select({ ticketId: mailInbound.ticketId })
      .from(mailInbound)
      .where(and(inArray(mailInbound.messageId, keys), sql`${mailInbound.ticketId} IS NOT NULL`))
      .limit(1);
    if (hit?.ticketId) return { ticketId: hit.ticketId, by: 'headers' as const };
    const outbound = keys
      .map((k) => /^kefu\.([0-9a-f-]{36})\.[0-9a-f-]{36}@/.exec(k)?.[1])
      .find(Boolean);
    if (outbound) {
      const [t] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, outbound));
      if (t) return { ticketId: t.id, by: 'headers' as const };
    }
  }
  const number = ticketNumberInSubject(subject);
  if (number) {
    const [t] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, number));
    if (t) return { ticketId: t.id, by: 'subject' as const };
  }
  return null;
}

/** Appends the message to its ticket as the customer's public reply (as a portal reply does). */
async function appendCustomerReply(
  tx: Executor,
  ctx: AuditContext,
  ticketId: string,
  body: string,
  data: Record<string, unknown>,
) {
  const row = await lockTicket(tx, ticketId, CUSTOMER, undefined, { allowArchived: true });
  const event = await appendEvent(tx, ticketId, ctx, CUSTOMER, {
    kind: 'reply',
    visibility: 'public',
    body,
    data: { by: 'customer', via: 'email', ...data },
  });
  if (row.status === 'pending_customer' && isLegal('pending_customer', 'in_progress')) {
    const saved = await saveTicket(tx, row, { status: 'in_progress' }, ctx.at);
    await appendEvent(tx, ticketId, ctx, CUSTOMER, {
      kind: 'status',
      data: { from: row.status, to: saved.status, customerReplied: true },
    });
  } else {
    await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, ticketId));
  }
  await notifyTicketUsers(tx, ctx, 'ticket.customer_reply', row, [row.handlerId, row.ownerId]);
  await recordAudit(tx, ctx, {
    action: 'ticket.customer_reply',
    targetType: 'ticket',
    targetId: ticketId,
    after: { eventId: event.id, length: body.length, via: 'email' },
  });
}

interface Parsed {
  messageId: string;
  from: { address: string; name: string } | null;
  subject: string;
  keys: string[];
  body: string;
  folded: string;
  noise: ReturnType<typeof classifyNoise>;
  attachments: number;
  files: Attachment[];
}

async function parse(raw: Buffer): Promise<Parsed | { error: string; messageId: string }> {
  const fallbackId = `sha256.${createHash('sha256').update(raw).digest('hex')}@kefu.invalid`;
  let parsed: ParsedMail;
  try {
    // Loaded with the first message: mailparser is ≈ 20 MB of RSS once imported.
    const { simpleParser } = await import('mailparser');
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (err) {
    return { error: `malformed message: ${(err as Error).message}`, messageId: fallbackId };
  }
  const headers = headerMap(parsed);
  const from = firstAddress(parsed.from);
  const subject = cap(parsed.subject ?? '', 1000);
  const text = parsed.text ?? '';
  const { visible, folded } = foldQuoted(text);
  return {
    messageId: normalizeMessageId(parsed.messageId) ?? fallbackId,
    from: from ? { address: from.address.toLowerCase(), name: from.name } : null,
    subject,
    keys: threadKeys(
      typeof parsed.inReplyTo === 'string' ? parsed.inReplyTo : null,
      parsed.references ?? null,
    ),
    body: cap(visible, 20000),
    folded: cap(folded, 20000),
    noise: classifyNoise({
      headers,
      from: from?.address ?? null,
      subject,
      contentType: headers.get('content-type') ?? null,
    }),
    attachments: parsed.attachments.length,
    files: parsed.attachments,
  };
}

/**
 * Receives one raw message: parses it, and in one transaction records it and registers its
 * ticket, appends it to its thread, holds it, or records why not. Never throws for a bad
 * message (it is recorded as `rejected` with the reason); throws only when the database does,
 * in which case nothing was recorded and the caller must not mark the message processed.
 */
export async function ingestMessage(
  db: Db,
  now: Date,
  raw: Buffer,
  src: InboundSource,
): Promise<IngestResult> {
  const [result] = await ingestBatch(db, now, [{ raw, src }]);
  if (result instanceof Error) throw result;
  return result!;
}

export interface InboundItem {
  raw: Buffer;
  src: InboundSource;
}

/** A message parsed and its files stored, ready for its transaction. */
interface Prepared {
  raw: Buffer;
  src: InboundSource;
  arrivedAt: Date;
  parsed: Parsed | { error: string; messageId: string };
  files: Awaited<ReturnType<typeof prepareMailAttachments>>;
}

async function prepare(
  db: Db,
  settings: InboundSettings,
  now: Date,
  { raw, src }: InboundItem,
): Promise<Prepared> {
  const arrivedAt = src.arrivedAt.getTime() > now.getTime() ? now : src.arrivedAt;
  let parsed: Parsed | { error: string; messageId: string };
  if (raw.length > settings.maxMessageBytes)
    parsed = {
      error: `message too large (${raw.length} bytes; limit ${settings.maxMessageBytes})`,
      messageId:
        normalizeMessageId(/^message-id:\s*(.+)$/im.exec(raw.subarray(0, 65536).toString())?.[1]) ??
        `sha256.${createHash('sha256').update(raw).digest('hex')}@kefu.invalid`,
    };
  else parsed = await parse(raw);
  // Files are checked and stored before the transaction (content-addressed: a retry stores
  // nothing twice); only messages that may become or join a ticket get this far.
  const files =
    src.storage &&
    !('error' in parsed) &&
    parsed.files.length > 0 &&
    parsed.from &&
    !isBlocked(parsed.from.address, settings.blocklist) &&
    !parsed.noise
      ? await prepareMailAttachments(db, src.storage, parsed.files)
      : { files: [], refused: [] };
  return { raw, src, arrivedAt, parsed, files };
}

const COUNTED = ['ticket', 'appended', 'held', 'accepted'];

/**
 * What one transaction of messages shares: the settings, and what the batch's first statements
 * read for all its messages at once (Message-IDs seen, senders' recent counts, customers by
 * address). Messages of the batch update it as they are registered, so the tenth message sees
 * the first nine exactly as if each had had its own transaction before it.
 */
interface BatchState {
  settings: InboundSettings;
  now: Date;
  seen: Map<string, { id: string; ticketId: string | null }>;
  /** Per message (by index): senders' counted messages in the window before the batch. */
  recent: number[];
  /** Counted messages of this batch so far: sender and arrival. */
  counted: { from: string; arrivedAt: Date }[];
  customers: Map<string, { id: string; tier: string; locale: string | null; fresh: boolean }>;
  mailboxes: Map<string, typeof mailMailboxes.$inferSelect | undefined>;
  actor?: Actor | null;
  rows: (typeof mailInbound.$inferInsert)[];
  /** Ticket numbers taken for the messages that certainly become tickets (by index). */
  numbers: Map<number, string>;
  /**
   * New tickets planned but not written yet, with what follows each once written (files,
   * acknowledgement mail, mailbox team): written together by `writePending`.
   */
  pending: { plan: TicketPlan; then: (t: RegisteredTicket) => Promise<void> }[];
}

async function loadBatchState(
  tx: Executor,
  settings: InboundSettings,
  now: Date,
  items: Prepared[],
): Promise<BatchState> {
  const ids = [...new Set(items.map((p) => p.parsed.messageId))];
  const senders = items.map((p, i) => ({
    i,
    from: !('error' in p.parsed) && p.parsed.from ? p.parsed.from.address : null,
    since: new Date(p.arrivedAt.getTime() - settings.senderWindowMinutes * 60_000),
  }));
  const asked = senders.filter((s) => s.from !== null);
  const addresses = [...new Set(asked.map((s) => s.from!))];
  const list = (values: string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  // The batch's three look-ups in one round trip: messages seen before, each sender's recent
  // messages (the sender limit), and the customers the senders already are.
  const [found] = rowsOf<{ seen: unknown; recent: unknown; customers: unknown }>(
    await tx.execute(sql`SELECT
      (SELECT coalesce(json_agg(json_build_array(id, ticket_id, message_id)), '[]'::json)
        FROM mail_inbound WHERE message_id IN (${list(ids)})) AS seen,
      ${
        asked.length > 0
          ? sql`(SELECT json_agg(json_build_array(q.i, (SELECT count(*)::int FROM mail_inbound m
              WHERE m.from_address = q.f AND m.arrived_at > q.s
                AND m.outcome IN ('ticket', 'appended', 'held', 'accepted'))))
            FROM (VALUES ${sql.join(
              asked.map(
                (s) => sql`(${s.i}::int, ${s.from}::text, ${s.since.toISOString()}::timestamptz)`,
              ),
              sql`, `,
            )}) AS q(i, f, s))`
          : sql`'[]'::json`
      } AS recent,
      ${
        addresses.length > 0
          ? sql`(SELECT coalesce(json_agg(json_build_array(c.e, c.id, c.tier)), '[]'::json)
            FROM (SELECT DISTINCT ON (lower(email)) lower(email) AS e, id, tier
              FROM customers WHERE lower(email) IN (${list(addresses)})
              ORDER BY lower(email), created_at, id) c)`
          : sql`'[]'::json`
      } AS customers`),
  );
  const seen = new Map<string, { id: string; ticketId: string | null }>();
  for (const [id, ticketId, messageId] of jsonOf<[string, string | null, string][]>(found!.seen))
    seen.set(messageId, { id, ticketId });
  const recent = items.map(() => 0);
  for (const [i, n] of jsonOf<[number, number][]>(found!.recent)) recent[Number(i)] = Number(n);
  const customerMap = new Map<
    string,
    { id: string; tier: string; locale: string | null; fresh: boolean }
  >();
  for (const [e, id, tier] of jsonOf<[string, string, string][]>(found!.customers))
    customerMap.set(e, { id, tier, locale: null, fresh: false });
  const state: BatchState = {
    settings,
    now,
    seen,
    recent,
    counted: [],
    customers: customerMap,
    mailboxes: new Map(),
    rows: [],
    numbers: new Map(),
    pending: [],
  };
  await registerCertainOnes(tx, state, items);
  return state;
}

/**
 * The messages of the batch that will certainly become new tickets — parsed, with a sender,
 * not blocked, not noise, not seen, no thread headers and no `[KF-…]` in the subject, and under
 * the sender limit even if every earlier message of the batch from that sender counted — get
 * their new customers in one insert and their ticket numbers in one statement. Any other
 * message is left to `registerOne` as it comes (which for these finds customer and number
 * ready).
 */
async function registerCertainOnes(tx: Executor, state: BatchState, items: Prepared[]) {
  const { settings } = state;
  const ids = new Set(state.seen.keys());
  const earlier: { from: string; at: number }[] = [];
  const certain: number[] = [];
  items.forEach((p, i) => {
    const parsed = p.parsed;
    const dup = ids.has(parsed.messageId);
    ids.add(parsed.messageId);
    if (dup || 'error' in parsed || !parsed.from) return;
    const from = parsed.from.address;
    if (isBlocked(from, settings.blocklist) || parsed.noise) return;
    if (customerEmailProblem(from)) return;
    const since = p.arrivedAt.getTime() - settings.senderWindowMinutes * 60_000;
    const upTo = state.recent[i]! + earlier.filter((e) => e.from === from && e.at > since).length;
    earlier.push({ from, at: p.arrivedAt.getTime() });
    if (overSenderLimit(upTo, settings.senderLimit)) return;
    if (parsed.keys.length > 0 || ticketNumberInSubject(parsed.subject)) return;
    certain.push(i);
  });
  if (certain.length === 0) return;
  state.actor = await intakeActor(tx);
  if (!state.actor) throw new IntakeUnavailable();
  const newCustomers = new Map<string, { name: string; email: string }>();
  for (const i of certain) {
    const from = (items[i]!.parsed as Parsed).from!;
    if (!state.customers.has(from.address) && !newCustomers.has(from.address))
      newCustomers.set(from.address, {
        name: customerNameFor(from.name, from.address),
        email: from.address,
      });
  }
  const made = await insertCustomers(tx, inboundCtx(state.now), state.actor, [
    ...newCustomers.values(),
  ]);
  const addresses = [...newCustomers.keys()];
  made.forEach((row, k) =>
    // A customer registered here has no portal account (so no locale of its own yet).
    state.customers.set(addresses[k]!, {
      id: row.id,
      tier: row.tier,
      locale: null,
      fresh: true,
    }),
  );
  const tz = (await getSettingsCached(tx)).timeZone;
  const numbers = await nextTicketNumbers(tx, state.now, tz, certain.length);
  certain.forEach((i, k) => state.numbers.set(i, numbers[k]!));
}

/** The ticket a reply belongs to, this batch's earlier messages included. */
function threadInBatch(state: BatchState, keys: string[]) {
  for (const r of state.rows)
    if (r.ticketId && keys.includes(r.messageId))
      return { ticketId: r.ticketId, by: 'headers' as const };
  return null;
}

/**
 * Writes the batch's planned tickets (`writeTickets`: tickets, clocks and timers, timeline
 * entries one insert each), then what follows each, in message order.
 */
async function writePending(tx: Executor, state: BatchState) {
  const pending = state.pending;
  if (pending.length === 0) return;
  state.pending = [];
  const written = await writeTickets(
    tx,
    pending.map((w) => w.plan),
  );
  for (let k = 0; k < pending.length; k++) await pending[k]!.then(written[k]!);
}

async function registerOne(
  tx: Executor,
  state: BatchState,
  index: number,
  p: Prepared,
): Promise<IngestResult> {
  const { settings, now } = state;
  const { parsed, raw, src, arrivedAt } = p;
  const seen = state.seen.get(parsed.messageId);
  if (seen)
    return { outcome: 'duplicate', inboundId: seen.id, ticketId: seen.ticketId, reason: null };

  // The batch's rows are written together at its end (one insert).
  const record = (
    outcome: InboundOutcome,
    reason: string | null,
    ticketId: string | null = null,
  ): IngestResult => {
    const ok = !('error' in parsed);
    const id = randomUUID();
    const from = ok && parsed.from ? cap(parsed.from.address, 254) : null;
    state.rows.push({
      id,
      source: src.source,
      mailboxId: src.mailboxId ?? null,
      arrivedAt,
      sizeBytes: raw.length,
      createdAt: now,
      updatedAt: now,
      messageId: parsed.messageId,
      fromAddress: from,
      subject: ok ? parsed.subject : '',
      inReplyTo: ok ? parsed.keys : [],
      outcome,
      reason: reason ? cap(reason, 2000) : null,
      ticketId,
      // An oversized message is not stored whole: its first 64 KiB are kept for a look.
      raw: rawText(raw.length > settings.maxMessageBytes ? raw.subarray(0, 65536) : raw),
    });
    state.seen.set(parsed.messageId, { id, ticketId });
    if (from && COUNTED.includes(outcome)) state.counted.push({ from, arrivedAt });
    return { outcome, inboundId: id, ticketId, reason };
  };

  if ('error' in parsed) return record('rejected', parsed.error);
  if (!parsed.from) return record('rejected', 'no sender address (From)');
  const from = parsed.from.address;
  if (isBlocked(from, settings.blocklist)) return record('blocked', 'sender on the blocklist');
  if (parsed.noise) return record(parsed.noise.kind, parsed.noise.reason);
  // An address mailparser reads but a customer record cannot hold (e.g. an internationalised
  // or over-long one): recorded, not ticketed — nobody could answer it by mail, and failing
  // the customer insert would fail the message (and its batch) on every retry.
  const unusable = customerEmailProblem(from);
  if (unusable)
    return record('rejected', `sender address cannot be a customer's email (${unusable})`);

  const since = arrivedAt.getTime() - settings.senderWindowMinutes * 60_000;
  const recent =
    state.recent[index]! +
    state.counted.filter((c) => c.from === from && c.arrivedAt.getTime() > since).length;
  if (overSenderLimit(recent, settings.senderLimit))
    return record(
      'rate_limited',
      `more than ${settings.senderLimit} messages from this sender within ${settings.senderWindowMinutes} minutes`,
    );

  const ctx = inboundCtx(now);
  const extra = {
    ...(parsed.folded && { quoted: parsed.folded }),
    ...(parsed.attachments > 0 && { attachmentsInMail: parsed.attachments }),
  };
  // Threading reads tickets: the batch's planned ones are written first.
  if (parsed.keys.length > 0 || ticketNumberInSubject(parsed.subject))
    await writePending(tx, state);
  const thread =
    (parsed.keys.length > 0 ? threadInBatch(state, parsed.keys) : null) ??
    (await findThread(tx, parsed.keys, parsed.subject));
  if (thread) {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, thread.ticketId));
    const ticket = t!;
    const target = ticket.mergedIntoId ?? ticket.id;
    const [c] = await tx
      .select({ email: customers.email })
      .from(customers)
      .innerJoin(tickets, eq(tickets.customerId, customers.id))
      .where(eq(tickets.id, target));
    const [targetRow] = await tx.select().from(tickets).where(eq(tickets.id, target));
    if (targetRow && REPLY_OPEN(targetRow)) {
      if ((c?.email ?? '').toLowerCase() !== from)
        return record(
          'held',
          `reply from an address that is not the ticket's customer (threaded by ${thread.by})`,
          target,
        );
      await appendCustomerReply(tx, ctx, target, parsed.body || '(empty message)', {
        ...extra,
        threadedBy: thread.by,
      });
      await attachMailFiles(tx, ctx, target, targetRow.customerId, p.files);
      return record('appended', `threaded by ${thread.by}`, target);
    }
    // A reply to a closed ticket opens a new one (below), naming the old.
  }

  if (state.actor === undefined) state.actor = await intakeActor(tx);
  const actor = state.actor;
  if (!actor) throw new IntakeUnavailable();
  let mailbox: typeof mailMailboxes.$inferSelect | undefined;
  if (src.mailboxId) {
    if (!state.mailboxes.has(src.mailboxId))
      state.mailboxes.set(
        src.mailboxId,
        (await tx.select().from(mailMailboxes).where(eq(mailMailboxes.id, src.mailboxId)))[0],
      );
    mailbox = state.mailboxes.get(src.mailboxId);
  }
  const teamId = src.source === 'smtp' ? settings.smtpTeamId : (mailbox?.teamId ?? null);
  let customer = state.customers.get(from);
  if (!customer) {
    const { row } = await insertCustomer(
      tx,
      ctx,
      actor,
      { name: customerNameFor(parsed.from.name, from), email: from },
      { hints: false },
    );
    // A customer registered here has no portal account (so no locale of its own yet).
    customer = { id: row.id, tier: row.tier, locale: null, fresh: true };
    state.customers.set(from, customer);
  }
  const plan = await planTicket(
    tx,
    ctx,
    actor,
    {
      channel: 'email',
      category: mailbox?.category ?? settings.defaultCategory,
      priority: 'general',
      subject: ticketSubject(parsed.subject),
      description: parsed.body,
      customerId: customer.id,
      receivedAt: arrivedAt.toISOString(),
      tags: [],
    },
    { customer: customer.fresh ? customer : undefined, number: state.numbers.get(index) },
  );
  const ticketId = plan.values.id;
  const customerId = customer.id;
  state.pending.push({
    plan,
    then: async (created) => {
      await attachMailFiles(tx, ctx, ticketId, customerId, p.files);
      // Off hours: the acknowledgement written at creation also goes out by mail.
      if (created.ack)
        await mailOffHoursAck(tx, now, created.row, created.ack, {
          messageId: parsed.messageId,
          keys: parsed.keys,
          mailboxId: src.mailboxId ?? null,
        });
      // Mailbox → team, unless an assignment rule already chose one.
      if (teamId && !created.row.teamId)
        await tx
          .update(tickets)
          .set({ teamId })
          .where(and(eq(tickets.id, ticketId), sql`${tickets.teamId} IS NULL`));
    },
  });
  return record('ticket', thread ? `reply to a closed ticket; registered anew` : null, ticketId);
}

/**
 * Receives several raw messages (issue 13, docs/mail.md "Throughput"): each is parsed and its
 * files stored outside any transaction, then all are registered in ONE transaction — the
 * batch's look-ups (Message-IDs seen, sender counts, customers by address, settings, intake
 * user, mailboxes) are read once, and its `mail_inbound` rows are written in one insert. The
 * result for each message is known only after the commit; a caller acknowledges a message
 * only then. When the batch's transaction fails, each message is tried again alone, so one
 * message the database refuses (or a Message-ID another receiver committed meanwhile) costs
 * the batch its speed, never its messages: the result at that index is then the message's own
 * outcome, or the Error its own transaction threw (that message must not be acknowledged).
 */
export async function ingestBatch(
  db: Db,
  now: Date,
  items: InboundItem[],
): Promise<(IngestResult | Error)[]> {
  if (items.length === 0) return [];
  const settings = await getInboundSettings(db);
  const toError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  // A message whose files cannot be stored fails alone (not acknowledged; tried again later).
  const ready = await Promise.all(
    items.map((item) => prepare(db, settings, now, item).catch(toError)),
  );
  const prepared = ready.filter((p): p is Prepared => !(p instanceof Error));
  const inOrder = (done: (IngestResult | Error)[]) => {
    let k = 0;
    return ready.map((p) => (p instanceof Error ? p : done[k++]!));
  };
  const run = (batch: Prepared[]) =>
    db.transaction(async (tx) => {
      // Nothing here changes categories, field definitions, calendars or policies.
      enableTxMemo(tx);
      // Nor reads the audit log back: its entries are written in one insert at the end.
      deferAudit(tx);
      const state = await loadBatchState(tx, settings, now, batch);
      const out: IngestResult[] = [];
      for (let i = 0; i < batch.length; i++) out.push(await registerOne(tx, state, i, batch[i]!));
      await writePending(tx, state);
      await flushDeferredAudit(tx);
      if (state.rows.length > 0) await tx.insert(mailInbound).values(state.rows);
      return out;
    });
  if (prepared.length > 1) {
    try {
      return inOrder(await run(prepared));
    } catch {
      // Below: one transaction per message, each with its own outcome.
    }
  }
  const results: (IngestResult | Error)[] = [];
  for (const p of prepared) {
    try {
      results.push((await run([p]))[0]!);
    } catch (err) {
      if (isUniqueViolation(err)) {
        // Another receiver committed this Message-ID first.
        const [seen] = await db
          .select({ id: mailInbound.id, ticketId: mailInbound.ticketId })
          .from(mailInbound)
          .where(eq(mailInbound.messageId, p.parsed.messageId));
        if (seen) {
          results.push({
            outcome: 'duplicate',
            inboundId: seen.id,
            ticketId: seen.ticketId,
            reason: null,
          });
          continue;
        }
      }
      results.push(toError(err));
    }
  }
  return inOrder(results);
}

/** Nobody can receive tickets (no active agent or supervisor): the message waits for a retry. */
export class IntakeUnavailable extends Error {
  constructor() {
    super('no active agent or supervisor to receive mail; message left for a retry');
  }
}

export interface InboundView {
  id: string;
  messageId: string;
  source: 'smtp' | 'imap';
  mailboxId: string | null;
  from: string | null;
  subject: string;
  arrivedAt: string;
  outcome: InboundOutcome;
  reason: string | null;
  ticketId: string | null;
  sizeBytes: number;
  createdAt: string;
}

export const presentInbound = (r: InboundRow): InboundView => ({
  id: r.id,
  messageId: r.messageId,
  source: r.source as 'smtp' | 'imap',
  mailboxId: r.mailboxId,
  from: r.fromAddress,
  subject: r.subject,
  arrivedAt: r.arrivedAt.toISOString(),
  outcome: r.outcome as InboundOutcome,
  reason: r.reason,
  ticketId: r.ticketId,
  sizeBytes: r.sizeBytes,
  createdAt: r.createdAt.toISOString(),
});

export async function listInbound(
  db: Db,
  filter: { outcome?: InboundOutcome; ticketId?: string },
  limit: number,
  before?: CursorKey,
) {
  return db
    .select()
    .from(mailInbound)
    .where(
      and(
        filter.outcome ? eq(mailInbound.outcome, filter.outcome) : undefined,
        filter.ticketId ? eq(mailInbound.ticketId, filter.ticketId) : undefined,
        before
          ? or(
              lt(mailInbound.createdAt, new Date(before.at)),
              and(eq(mailInbound.createdAt, new Date(before.at)), lt(mailInbound.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(mailInbound.createdAt), desc(mailInbound.id))
    .limit(limit + 1);
}

export async function getInboundRaw(db: Db, id: string): Promise<InboundRow> {
  const [row] = await db.select().from(mailInbound).where(eq(mailInbound.id, id));
  if (!row) throw problems.notFound('Inbound mail', 'id');
  return row;
}

/** An agent accepts a held reply (unknown sender on a known thread): appended to its ticket. */
export async function acceptHeld(db: Db, ctx: AuditContext, id: string): Promise<InboundView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(mailInbound).where(eq(mailInbound.id, id)).for('update');
    if (!row) throw problems.notFound('Inbound mail', 'id');
    if (row.outcome !== 'held' || !row.ticketId)
      throw problems.conflict('mail_not_held', 'Only a held message can be accepted.');
    const p = await parse(Buffer.from(row.raw, 'utf8'));
    const body = 'error' in p ? row.subject : p.body;
    await appendCustomerReply(tx, ctx, row.ticketId, body || '(empty message)', {
      from: row.fromAddress,
      acceptedBy: ctx.actorName,
    });
    const [saved] = await tx
      .update(mailInbound)
      .set({ outcome: 'accepted', updatedAt: ctx.at })
      .where(eq(mailInbound.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'mail.inbound.accept',
      targetType: 'mail_inbound',
      targetId: id,
      before: { outcome: 'held' },
      after: { outcome: 'accepted', ticketId: row.ticketId },
    });
    return presentInbound(saved!);
  });
}
