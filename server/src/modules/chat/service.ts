import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, notInArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import {
  chatConversations,
  chatMessages,
  chatSites,
  customers,
  kbArticles,
  kbVersions,
  teams,
  tickets,
  users,
} from '../../db/schema/index.js';
import { isUniqueViolation } from '../../db/errors.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { searchArticles } from '../kb/search/service.js';
import { portalIntakeUser } from '../portal/settings.js';
import { calendarOfClock, defaultCalendarId } from '../sla/calendar-store.js';
import { isWorkingTime } from '../sla/rules/calendar.js';
import {
  CUSTOMER,
  lockTicket,
  saveTicket,
  staff,
  SYSTEM,
  systemContext,
} from '../tickets/access.js';
import { requireActiveCategory } from '../tickets/categories.js';
import { nextTicketNumber } from '../tickets/numbers.js';
import { defaultTier, isGreenChannel } from '../tickets/rules/tiers.js';
import { ticketSnapshot } from '../tickets/service.js';
import { getSettingsCached } from '../tickets/settings.js';
import { planNewTicketSla, writeNewTicketSla } from '../tickets/sla-link.js';
import { appendEvent, eventValues } from '../tickets/timeline.js';
import { ticketEvents } from '../../db/schema/index.js';
import type { ChatBus, ChatEvent } from './bus.js';
import { hasCapacity, onFeedback, onQuestion, waitSeconds } from './rules/bot.js';
import { signVisitor, verifyUserHash, verifyVisitor } from './rules/identity.js';
import { getChatSettings } from './settings.js';

type ConversationRow = typeof chatConversations.$inferSelect;
type MessageRow = typeof chatMessages.$inferSelect;
export type ConversationState = 'bot' | 'waiting' | 'active' | 'closed' | 'offline';

export interface MessageView {
  seq: number;
  author: 'visitor' | 'bot' | 'agent' | 'system';
  agentName: string | null;
  clientId: string | null;
  body: string;
  data: Record<string, unknown>;
  at: string;
}

/** Outgoing events, published once the transaction that produced them has committed. */
type Outbox = [string, ChatEvent][];

export const convTopic = (id: string) => `conv:${id}`;
export const AGENTS_TOPIC = 'agents';

export class ChatService {
  constructor(
    private readonly db: Db,
    readonly bus: ChatBus,
  ) {}

  private async flush(out: Outbox) {
    for (const [topic, e] of out) await this.bus.publish(topic, e);
  }

  // --- Visitors ---------------------------------------------------------------------------

  /** Whether the default calendar says the service is staffed now (else the widget takes a message). */
  async isOpen(ex: Executor, now: Date): Promise<boolean> {
    const cal = await calendarOfClock(ex, await defaultCalendarId(ex));
    return isWorkingTime(now.getTime(), cal);
  }

  async siteByKey(ex: Executor, key: string) {
    const [site] = await ex
      .select()
      .from(chatSites)
      .where(and(eq(chatSites.publicKey, key), eq(chatSites.active, true)));
    if (!site) throw problems.notFound('Chat site', 'siteKey');
    return site;
  }

  /**
   * A visit from the widget: who the visitor is (signed token, host-site HMAC, or a new
   * anonymous id) and their current conversation (a new one when the last has ended).
   */
  async visit(
    input: { siteKey: string; token?: string; userId?: string; userHash?: string },
    now: Date,
  ) {
    const settings = await getChatSettings(this.db);
    if (!settings.enabled)
      throw new HttpProblem({
        status: 503,
        code: 'chat_disabled',
        detail: 'Web chat is switched off.',
      });
    const site = await this.siteByKey(this.db, input.siteKey);
    let visitorKey: string | null = null;
    let identified = false;
    if (input.userId !== undefined || input.userHash !== undefined) {
      if (
        !input.userId ||
        !input.userHash ||
        !verifyUserHash(site.secret, input.userId, input.userHash)
      )
        throw problems.invalid([
          { path: 'userHash', message: 'not the HMAC-SHA256 of userId with the site secret' },
        ]);
      visitorKey = `user:${input.userId}`;
      identified = true;
    } else if (input.token) {
      visitorKey = verifyVisitor(site.secret, input.token);
      identified = visitorKey?.startsWith('user:') ?? false;
    }
    visitorKey ??= `anon:${randomBytes(12).toString('base64url')}`;
    const [current] = await this.db
      .select()
      .from(chatConversations)
      .where(
        and(
          eq(chatConversations.siteId, site.id),
          eq(chatConversations.visitorKey, visitorKey),
          notInArray(chatConversations.state, ['closed', 'offline']),
        ),
      )
      .orderBy(desc(chatConversations.createdAt))
      .limit(1);
    const conv =
      current ??
      (
        await this.db
          .insert(chatConversations)
          .values({
            siteId: site.id,
            visitorKey,
            identified,
            state: settings.botEnabled ? 'bot' : 'bot',
            createdAt: now,
            updatedAt: now,
          })
          .returning()
      )[0]!;
    return {
      token: signVisitor(site.secret, visitorKey),
      conversationId: conv.id,
      state: conv.state as ConversationState,
      lastSeq: conv.lastSeq,
      open: await this.isOpen(this.db, now),
      botEnabled: settings.botEnabled,
    };
  }

  /** The conversation a widget connection may use, or null (wrong site, token or id). */
  async authorizeVisitor(siteKey: string, token: string, conversationId: string) {
    const [site] = await this.db
      .select()
      .from(chatSites)
      .where(and(eq(chatSites.publicKey, siteKey), eq(chatSites.active, true)));
    if (!site) return null;
    const visitorKey = verifyVisitor(site.secret, token);
    if (!visitorKey) return null;
    const [conv] = await this.db
      .select()
      .from(chatConversations)
      .where(
        and(
          eq(chatConversations.id, conversationId),
          eq(chatConversations.siteId, site.id),
          eq(chatConversations.visitorKey, visitorKey),
        ),
      );
    return conv ?? null;
  }

  async messagesAfter(ex: Executor, conversationId: string, afterSeq: number) {
    const rows = await ex
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.conversationId, conversationId), gt(chatMessages.seq, afterSeq)))
      .orderBy(asc(chatMessages.seq))
      .limit(1000);
    return this.present(ex, rows);
  }

  private async present(ex: Executor, rows: MessageRow[]): Promise<MessageView[]> {
    const ids = [...new Set(rows.map((r) => r.agentId).filter((x): x is string => !!x))];
    const names = new Map(
      ids.length
        ? (
            await ex
              .select({ id: users.id, name: users.name })
              .from(users)
              .where(inArray(users.id, ids))
          ).map((u) => [u.id, u.name])
        : [],
    );
    return rows.map((r) => ({
      seq: r.seq,
      author: r.author as MessageView['author'],
      agentName: r.agentId ? (names.get(r.agentId) ?? null) : null,
      clientId: r.clientId,
      body: r.body,
      data: r.data,
      at: r.createdAt.toISOString(),
    }));
  }

  /** Appends a message with the conversation's next seq (the UPDATE serialises writers). */
  private async addMessage(
    tx: Executor,
    conversationId: string,
    m: {
      author: MessageView['author'];
      body: string;
      agentId?: string | null;
      clientId?: string | null;
      data?: Record<string, unknown>;
    },
    at: Date,
    out: Outbox,
  ): Promise<MessageView> {
    // One statement (seq taken and message written): each round trip under the conversation's
    // row lock is latency every other writer of that chat waits for (fan-out bench).
    const row: MessageRow = {
      conversationId,
      seq: 0,
      author: m.author,
      agentId: m.agentId ?? null,
      clientId: m.clientId ?? null,
      body: m.body.slice(0, 5000),
      data: m.data ?? {},
      createdAt: at,
    };
    const [next] = rowsOf<{ seq: number }>(
      await tx.execute(sql`
        WITH n AS (
          UPDATE chat_conversations SET last_seq = last_seq + 1, updated_at = ${at.toISOString()}::timestamptz
          WHERE id = ${conversationId}::uuid
          RETURNING last_seq)
        INSERT INTO chat_messages (conversation_id, seq, author, agent_id, client_id, body, data, created_at)
        SELECT ${conversationId}::uuid, n.last_seq, ${row.author}::text, ${row.agentId}::uuid,
               ${row.clientId}::text, ${row.body}::text, ${JSON.stringify(row.data)}::jsonb,
               ${at.toISOString()}::timestamptz
        FROM n
        RETURNING seq`),
    );
    if (!next) throw problems.notFound('Conversation', 'id');
    row.seq = Number(next.seq);
    const [view] = await this.present(tx, [row]);
    out.push([convTopic(conversationId), { t: 'msg', conversationId, m: view! }]);
    return view!;
  }

  private async lockConversation(tx: Executor, id: string): Promise<ConversationRow> {
    const [conv] = await tx
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.id, id))
      .for('update');
    if (!conv) throw problems.notFound('Conversation', 'id');
    return conv;
  }

  /**
   * A visitor's message. A resend (same client id) is acknowledged with the first seq and
   * changes nothing. While the FAQ assistant has the conversation it answers; once a person
   * has it, the message also goes on the ticket's timeline.
   */
  async visitorMessage(
    conversationId: string,
    input: { clientId: string; body: string },
    now: Date,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const out: Outbox = [];
    const ctx = systemContext(now, 'customer:portal');
    const attempt = () =>
      this.db.transaction(async (tx) => {
        // The lock and the duplicate check in one round trip. The check reads the statement's
        // snapshot, so a resend committed while this waited for the lock is missed here; the
        // unique index then refuses the insert and the retry below sees it as a duplicate.
        const [locked] = await tx
          .select({
            conv: chatConversations,
            dupSeq: sql<number | null>`(SELECT m.seq FROM chat_messages m
            WHERE m.conversation_id = ${chatConversations.id} AND m.client_id = ${input.clientId})`,
          })
          .from(chatConversations)
          .where(eq(chatConversations.id, conversationId))
          .for('update');
        if (!locked) throw problems.notFound('Conversation', 'id');
        const conv = locked.conv;
        if (locked.dupSeq !== null) return { seq: Number(locked.dupSeq), duplicate: true, conv };
        if (conv.state === 'closed' || conv.state === 'offline')
          throw problems.conflict('conversation_closed', 'This conversation has ended.');
        const m = await this.addMessage(
          tx,
          conversationId,
          { author: 'visitor', body: input.body, clientId: input.clientId },
          now,
          out,
        );
        if (conv.ticketId)
          await appendEvent(tx, conv.ticketId, ctx, CUSTOMER, {
            kind: 'reply',
            visibility: 'public',
            body: input.body,
            data: { by: 'customer', chat: { conversationId, seq: m.seq } },
          });
        if (conv.state === 'bot') await this.botTurn(tx, conv, input.body, now, out);
        return { seq: m.seq, duplicate: false, conv };
      });
    let result;
    try {
      result = await attempt();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      out.length = 0;
      result = await attempt();
    }
    await this.flush(out);
    return { seq: result.seq, duplicate: result.duplicate };
  }

  /**
   * Where a visitor's file may go: the conversation's ticket, once a person has the chat
   * (waiting or active). With the assistant or after the end: 409.
   */
  async uploadTarget(conv: ConversationRow) {
    if (conv.state === 'closed' || conv.state === 'offline')
      throw problems.conflict('conversation_closed', 'This conversation has ended.');
    if (!conv.ticketId || !conv.customerId)
      throw problems.conflict(
        'no_person_yet',
        'Files can be sent once a person has taken the conversation (ask for a person first).',
      );
    return { ticketId: conv.ticketId, customerId: conv.customerId };
  }

  /**
   * The visitor's file, already stored on the ticket (an attachment entry on its timeline): a
   * visitor message with the file's reference for the agent. Same idempotency by client id.
   */
  async visitorFile(
    conversationId: string,
    input: {
      clientId: string;
      attachment: { id: string; filename: string; mimeType: string; size: number };
    },
    now: Date,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const out: Outbox = [];
    const result = await this.db.transaction(async (tx) => {
      await this.lockConversation(tx, conversationId);
      const [dup] = await tx
        .select({ seq: chatMessages.seq })
        .from(chatMessages)
        .where(
          and(
            eq(chatMessages.conversationId, conversationId),
            eq(chatMessages.clientId, input.clientId),
          ),
        );
      if (dup) return { seq: dup.seq, duplicate: true };
      const m = await this.addMessage(
        tx,
        conversationId,
        {
          author: 'visitor',
          body: input.attachment.filename,
          clientId: input.clientId,
          data: { kind: 'file', attachment: input.attachment },
        },
        now,
        out,
      );
      return { seq: m.seq, duplicate: false };
    });
    await this.flush(out);
    return result;
  }

  /** The FAQ assistant answers from public articles, citing the live version, or hands over. */
  private async botTurn(tx: Executor, conv: ConversationRow, text: string, now: Date, out: Outbox) {
    const settings = await getChatSettings(tx);
    if (!settings.botEnabled) return this.handoff(tx, conv, 'bot_off', now, out);
    const hits = await searchArticles(tx, {
      q: text.slice(0, 500),
      audiences: ['all_customers'],
      limit: settings.botAnswers,
    });
    const outcome = onQuestion(text, hits.length);
    if (outcome.kind === 'handoff') return this.handoff(tx, conv, outcome.reason, now, out);
    const versions = await tx
      .select({
        id: kbArticles.id,
        versionId: kbVersions.id,
        versionNumber: kbVersions.number,
      })
      .from(kbArticles)
      .innerJoin(kbVersions, eq(kbVersions.id, kbArticles.liveVersionId))
      .where(
        inArray(
          kbArticles.id,
          hits.map((h) => h.id),
        ),
      );
    const byId = new Map(versions.map((v) => [v.id, v]));
    const articles = hits.map((h) => ({
      id: h.id,
      title: h.title,
      versionId: byId.get(h.id)?.versionId ?? null,
      version: byId.get(h.id)?.versionNumber ?? null,
      snippet: h.snippet.map((p) => p.text).join(''),
    }));
    await this.addMessage(
      tx,
      conv.id,
      {
        author: 'bot',
        body: articles.map((a) => a.title).join('\n'),
        data: { kind: 'answer', articles, askSolved: true },
      },
      now,
      out,
    );
  }

  /** "Did this solve it?" */
  async feedback(conversationId: string, solved: boolean, now: Date) {
    const out: Outbox = [];
    await this.db.transaction(async (tx) => {
      const conv = await this.lockConversation(tx, conversationId);
      if (conv.state !== 'bot') return;
      const settings = await getChatSettings(tx);
      const outcome = onFeedback(solved, conv.botMisses, settings.botMaxMisses);
      if (!solved)
        await tx
          .update(chatConversations)
          .set({ botMisses: conv.botMisses + 1 })
          .where(eq(chatConversations.id, conv.id));
      if (outcome.kind === 'handoff') await this.handoff(tx, conv, outcome.reason, now, out);
      else
        await this.addMessage(
          tx,
          conv.id,
          { author: 'bot', body: outcome.kind, data: { kind: outcome.kind } },
          now,
          out,
        );
    });
    await this.flush(out);
  }

  /** 转人工 on request. */
  async requestPerson(conversationId: string, now: Date) {
    const out: Outbox = [];
    await this.db.transaction(async (tx) => {
      const conv = await this.lockConversation(tx, conversationId);
      if (conv.state === 'bot') await this.handoff(tx, conv, 'asked', now, out);
    });
    await this.flush(out);
  }

  /**
   * To the human queue: a chat ticket with the conversation so far on its timeline, waiting
   * from now (the ticket's first-response clock runs from here). Outside working hours the
   * widget takes a message instead.
   */
  private async handoff(
    tx: Executor,
    conv: ConversationRow,
    reason: string,
    now: Date,
    out: Outbox,
  ) {
    if (!(await this.isOpen(tx, now))) {
      await tx
        .update(chatConversations)
        .set({ state: 'offline', updatedAt: now })
        .where(eq(chatConversations.id, conv.id));
      await this.addMessage(
        tx,
        conv.id,
        { author: 'system', body: 'offline', data: { kind: 'offline', reason } },
        now,
        out,
      );
      out.push([convTopic(conv.id), { t: 'state', conversationId: conv.id, state: 'offline' }]);
      return;
    }
    const ticketId = await this.registerTicket(tx, conv, null, now);
    await tx
      .update(chatConversations)
      .set({ state: 'waiting', queuedAt: now, ticketId, updatedAt: now })
      .where(eq(chatConversations.id, conv.id));
    await this.addMessage(
      tx,
      conv.id,
      { author: 'system', body: 'queued', data: { kind: 'queued', reason } },
      now,
      out,
    );
    out.push([convTopic(conv.id), { t: 'state', conversationId: conv.id, state: 'waiting' }]);
    out.push([AGENTS_TOPIC, { t: 'queue', conversationId: conv.id }]);
  }

  /**
   * The conversation's ticket (channel chat), registered by the intake user like a portal
   * request, with the transcript so far as a note. SLA clocks are planned as for any ticket.
   */
  private async registerTicket(
    tx: Executor,
    conv: ConversationRow,
    offline: { name: string; contact: string; body: string } | null,
    now: Date,
  ): Promise<string> {
    const ctx = systemContext(now, 'customer:portal');
    const chat = await getChatSettings(tx);
    const settings = await getSettingsCached(tx);
    const category = await requireActiveCategory(tx, chat.ticketCategory);
    const intake = (await portalIntakeUser(tx))?.id;
    if (!intake)
      throw new HttpProblem({
        status: 503,
        code: 'chat_intake_unavailable',
        detail: 'Nobody can receive chats right now.',
      });
    let customerId = conv.customerId;
    const label = conv.visitorKey.startsWith('user:')
      ? conv.visitorKey.slice(5, 60)
      : conv.visitorKey.slice(5, 11);
    if (!customerId) {
      const contact = offline?.contact.trim() ?? '';
      const [c] = await tx
        .insert(customers)
        .values({
          name: offline?.name.trim() || `网页访客 ${label}`,
          email: contact.includes('@') ? contact : null,
          phone: contact && !contact.includes('@') ? contact : null,
          notes: '',
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: customers.id });
      customerId = c!.id;
      await recordAudit(tx, ctx, {
        action: 'customer.create',
        targetType: 'customer',
        targetId: customerId,
        after: { via: 'chat' },
      });
    }
    const transcript = await this.messagesAfter(tx, conv.id, 0);
    const firstQuestion =
      offline?.body ?? transcript.find((m) => m.author === 'visitor')?.body ?? '网页咨询';
    const tier = defaultTier(category.key, undefined, category.defaultTier);
    const number = await nextTicketNumber(tx, now, settings.timeZone);
    const id = randomUUID();
    const sla = await planNewTicketSla(
      tx,
      {
        id,
        channel: 'chat',
        number,
        customerLocale: null,
        facts: {
          channel: 'chat',
          category: category.key,
          tier,
          priority: 'general',
          customerTier: 'regular',
          receivedAt: now.getTime(),
        },
      },
      now,
    );
    const [row] = await tx
      .insert(tickets)
      .values({
        id,
        number,
        channel: 'chat',
        category: category.key,
        tier,
        priority: 'general',
        subject: firstQuestion.slice(0, 80),
        description: firstQuestion,
        customerId,
        receivedAt: now,
        registeredAt: now,
        registeredBy: intake,
        receivingAgentId: intake,
        ownerId: intake,
        greenChannel: isGreenChannel(tier),
        tags: ['web-chat'],
        slaDueAt: sla.slaDueAt,
        slaWarnAt: sla.slaWarnAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await writeNewTicketSla(tx, id, sla, now);
    const created = eventValues(id, ctx, CUSTOMER, {
      kind: 'created',
      data: {
        number,
        channel: 'chat',
        category: category.key,
        tier,
        priority: 'general',
        greenChannel: row!.greenChannel,
        receivedAt: now.toISOString(),
        chat: { conversationId: conv.id },
      },
    });
    await tx.insert(ticketEvents).values(sla.ack ? [created, sla.ack.event] : [created]);
    if (sla.ack) {
      await recordAudit(tx, systemContext(now), sla.ack.audit);
      await this.addMessage(
        tx,
        conv.id,
        { author: 'system', body: sla.ack.event.body ?? '', data: { kind: 'off_hours_ack' } },
        now,
        [],
      );
    }
    if (transcript.length > 0)
      await appendEvent(tx, id, ctx, SYSTEM, {
        kind: 'note',
        body: transcriptText(transcript),
        data: { chat: { conversationId: conv.id, transcript: true } },
      });
    await tx
      .update(chatConversations)
      .set({ customerId, ticketId: id })
      .where(eq(chatConversations.id, conv.id));
    await recordAudit(tx, ctx, {
      action: 'ticket.create',
      targetType: 'ticket',
      targetId: id,
      before: null,
      after: { ...ticketSnapshot(row!), via: 'chat' },
    });
    return id;
  }

  /** Outside working hours: the visitor leaves a message; it becomes a ticket and is acknowledged. */
  async leaveMessage(
    conversationId: string,
    input: { name: string; contact: string; body: string },
    now: Date,
  ) {
    const out: Outbox = [];
    const ticket = await this.db.transaction(async (tx) => {
      const conv = await this.lockConversation(tx, conversationId);
      if (conv.ticketId && conv.state === 'offline')
        throw problems.conflict('message_taken', 'Your message has already been taken.');
      if (conv.state !== 'offline' && conv.state !== 'bot')
        throw problems.conflict('conversation_busy', 'A person is handling this conversation.');
      await this.addMessage(tx, conv.id, { author: 'visitor', body: input.body }, now, out);
      const ticketId = await this.registerTicket(tx, conv, input, now);
      await tx
        .update(chatConversations)
        .set({ state: 'offline', updatedAt: now })
        .where(eq(chatConversations.id, conv.id));
      const [t] = await tx
        .select({ number: tickets.number })
        .from(tickets)
        .where(eq(tickets.id, ticketId));
      await this.addMessage(
        tx,
        conv.id,
        { author: 'system', body: t!.number, data: { kind: 'message_taken', number: t!.number } },
        now,
        out,
      );
      return { id: ticketId, number: t!.number };
    });
    // The acknowledgement message written inside registerTicket is announced too.
    out.push([convTopic(conversationId), { t: 'sync', conversationId }]);
    await this.flush(out);
    return ticket;
  }

  /** Post-chat rating (1–5): kept on the conversation and counted as the ticket's survey answer. */
  async rate(conversationId: string, score: number, now: Date) {
    await this.db.transaction(async (tx) => {
      const conv = await this.lockConversation(tx, conversationId);
      if (conv.rating !== null || !conv.ticketId || !conv.customerId) return;
      await tx
        .update(chatConversations)
        .set({ rating: score, updatedAt: now })
        .where(eq(chatConversations.id, conv.id));
      await tx.execute(sql`
        INSERT INTO survey_responses
          (kind, ticket_id, customer_id, agent_id, period_month, sent_at, answered_at, score100,
           answered_via, created_at, updated_at)
        VALUES ('ticket', ${conv.ticketId}, ${conv.customerId}, ${conv.agentId},
          date_trunc('month', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
          ${now}, ${now}, ${(score - 1) * 25}, 'link', ${now}, ${now})
        ON CONFLICT DO NOTHING`);
      await recordAudit(tx, systemContext(now, 'customer:portal'), {
        action: 'chat.rate',
        targetType: 'chat_conversation',
        targetId: conv.id,
        after: { score },
      });
    });
  }

  async markRead(conversationId: string, who: 'visitor' | 'agent', seq: number) {
    const col =
      who === 'visitor' ? chatConversations.visitorReadSeq : chatConversations.agentReadSeq;
    await this.db
      .update(chatConversations)
      .set(who === 'visitor' ? { visitorReadSeq: seq } : { agentReadSeq: seq })
      .where(and(eq(chatConversations.id, conversationId), sql`${col} < ${seq}`));
    await this.bus.publish(convTopic(conversationId), { t: 'read', conversationId, who, seq });
  }

  // --- Agents ------------------------------------------------------------------------------

  /** Waiting conversations (oldest first) and the agent's own; stats for supervisors. */
  async queue(actor: Actor, now: Date, withStats: boolean) {
    const settings = await getChatSettings(this.db);
    const rows = await this.db
      .select({
        c: chatConversations,
        customerName: customers.name,
        ticketNumber: tickets.number,
        teamName: teams.name,
      })
      .from(chatConversations)
      .leftJoin(customers, eq(customers.id, chatConversations.customerId))
      .leftJoin(tickets, eq(tickets.id, chatConversations.ticketId))
      .leftJoin(teams, eq(teams.id, chatConversations.teamId))
      .where(
        sql`${chatConversations.state} = 'waiting' OR (${chatConversations.state} = 'active' AND ${chatConversations.agentId} = ${actor.userId})`,
      )
      .orderBy(asc(chatConversations.queuedAt))
      .limit(500);
    const view = (r: (typeof rows)[number]) => ({
      id: r.c.id,
      state: r.c.state as ConversationState,
      customerName: r.customerName ?? '',
      ticketId: r.c.ticketId,
      ticketNumber: r.ticketNumber,
      team: r.c.teamId ? { id: r.c.teamId, name: r.teamName ?? '' } : null,
      queuedAt: r.c.queuedAt?.toISOString() ?? null,
      waitSeconds: r.c.queuedAt ? waitSeconds(r.c.queuedAt, now) : 0,
      lastSeq: r.c.lastSeq,
      visitorReadSeq: r.c.visitorReadSeq,
      agentReadSeq: r.c.agentReadSeq,
    });
    const waiting = rows.filter((r) => r.c.state === 'waiting').map(view);
    const mine = rows.filter((r) => r.c.state === 'active').map(view);
    let stats = null;
    if (withStats) {
      const [s] = rowsOf<{ waiting: number; active: number; oldest: Date | string | null }>(
        await this.db.execute(sql`
          SELECT count(*) FILTER (WHERE state = 'waiting')::int AS waiting,
                 count(*) FILTER (WHERE state = 'active')::int AS active,
                 min(queued_at) FILTER (WHERE state = 'waiting') AS oldest
          FROM chat_conversations WHERE state IN ('waiting', 'active')`),
      );
      stats = {
        queueLength: s?.waiting ?? 0,
        activeCount: s?.active ?? 0,
        longestWaitSeconds: s?.oldest ? waitSeconds(new Date(s.oldest), now) : 0,
      };
    }
    return { waiting, mine, stats, concurrencyLimit: settings.agentConcurrency };
  }

  async conversation(actor: Actor, id: string) {
    const [conv] = await this.db
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.id, id));
    if (!conv) throw problems.notFound('Conversation', 'id');
    const messages = await this.messagesAfter(this.db, id, 0);
    return {
      id: conv.id,
      state: conv.state as ConversationState,
      ticketId: conv.ticketId,
      agentId: conv.agentId,
      mine: conv.agentId === actor.userId,
      rating: conv.rating,
      visitorReadSeq: conv.visitorReadSeq,
      messages,
    };
  }

  private async activeCount(tx: Executor, agentId: string) {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(chatConversations)
      .where(and(eq(chatConversations.agentId, agentId), eq(chatConversations.state, 'active')));
    return row?.n ?? 0;
  }

  private async takeOn(
    tx: Executor,
    ctx: AuditContext,
    actor: Actor,
    conv: ConversationRow,
    agent: { id: string; name: string },
    out: Outbox,
  ) {
    const settings = await getChatSettings(tx);
    // One agent at a time: concurrent accepts by the same agent serialise on the user row.
    await tx.execute(sql`SELECT 1 FROM users WHERE id = ${agent.id} FOR UPDATE`);
    if (!hasCapacity(await this.activeCount(tx, agent.id), settings.agentConcurrency))
      throw problems.conflict(
        'concurrency_limit',
        `${agent.name} already has ${settings.agentConcurrency} conversations.`,
      );
    await tx
      .update(chatConversations)
      .set({ state: 'active', agentId: agent.id, acceptedAt: ctx.at, updatedAt: ctx.at })
      .where(eq(chatConversations.id, conv.id));
    if (conv.ticketId) {
      const row = await lockTicket(tx, conv.ticketId, staff(actor));
      const saved = await saveTicket(tx, row, { handlerId: agent.id, ownerId: agent.id }, ctx.at);
      await appendEvent(tx, conv.ticketId, ctx, staff(actor), {
        kind: 'assignment',
        data: {
          handler: { from: null, to: agent },
          owner: { from: row.ownerId, to: agent },
          chat: { conversationId: conv.id },
        },
      });
      await recordAudit(tx, ctx, {
        action: 'ticket.assign',
        targetType: 'ticket',
        targetId: saved.id,
        before: { handlerId: row.handlerId, ownerId: row.ownerId },
        after: { handlerId: saved.handlerId, ownerId: saved.ownerId },
      });
    }
    await this.addMessage(
      tx,
      conv.id,
      { author: 'system', body: agent.name, data: { kind: 'accepted', agentName: agent.name } },
      ctx.at,
      out,
    );
    out.push([convTopic(conv.id), { t: 'state', conversationId: conv.id, state: 'active' }]);
    out.push([AGENTS_TOPIC, { t: 'queue', conversationId: conv.id }]);
  }

  async accept(ctx: AuditContext, actor: Actor, id: string) {
    const out: Outbox = [];
    await this.db.transaction(async (tx) => {
      const conv = await this.lockConversation(tx, id);
      if (conv.state !== 'waiting')
        throw problems.conflict('not_waiting', 'This conversation is no longer waiting.');
      await this.takeOn(tx, ctx, actor, conv, { id: actor.userId, name: actor.name }, out);
      await recordAudit(tx, ctx, {
        action: 'chat.accept',
        targetType: 'chat_conversation',
        targetId: id,
        before: { state: conv.state },
        after: { state: 'active', agentId: actor.userId },
      });
    });
    await this.flush(out);
    return this.conversation(actor, id);
  }

  private async requireMine(tx: Executor, actor: Actor, id: string) {
    const conv = await this.lockConversation(tx, id);
    if (conv.state !== 'active' || conv.agentId !== actor.userId)
      throw problems.conflict('not_your_conversation', 'You are not handling this conversation.');
    return conv;
  }

  /** The agent's reply: on the chat and, as a public reply, on the ticket (meets first response). */
  async agentMessage(
    ctx: AuditContext,
    actor: Actor,
    id: string,
    input: { clientId: string; body: string },
  ) {
    const out: Outbox = [];
    const m = await this.db.transaction(async (tx) => {
      const conv = await this.requireMine(tx, actor, id);
      const [dup] = await tx
        .select()
        .from(chatMessages)
        .where(and(eq(chatMessages.conversationId, id), eq(chatMessages.clientId, input.clientId)));
      if (dup) return (await this.present(tx, [dup]))[0]!;
      const msg = await this.addMessage(
        tx,
        id,
        { author: 'agent', agentId: actor.userId, clientId: input.clientId, body: input.body },
        ctx.at,
        out,
      );
      if (!conv.firstResponseAt)
        await tx
          .update(chatConversations)
          .set({ firstResponseAt: ctx.at })
          .where(eq(chatConversations.id, id));
      if (conv.ticketId)
        await appendEvent(tx, conv.ticketId, ctx, staff(actor), {
          kind: 'reply',
          visibility: 'public',
          body: input.body,
          data: { chat: { conversationId: id, seq: msg.seq } },
        });
      await recordAudit(tx, ctx, {
        action: 'chat.message',
        targetType: 'chat_conversation',
        targetId: id,
        after: { seq: msg.seq },
      });
      return msg;
    });
    await this.flush(out);
    return m;
  }

  async transfer(
    ctx: AuditContext,
    actor: Actor,
    id: string,
    to: { agentId?: string; teamId?: string },
  ) {
    const out: Outbox = [];
    await this.db.transaction(async (tx) => {
      const conv = await this.requireMine(tx, actor, id);
      if (to.agentId) {
        const [u] = await tx
          .select({ id: users.id, name: users.name, roles: users.roles, active: users.active })
          .from(users)
          .where(eq(users.id, to.agentId));
        if (!u || !u.active || !u.roles.some((r) => r === 'agent' || r === 'supervisor'))
          throw problems.notFound('Agent', 'agentId');
        await this.takeOn(tx, ctx, actor, conv, { id: u.id, name: u.name }, out);
      } else if (to.teamId) {
        const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, to.teamId));
        if (!t) throw problems.notFound('Team', 'teamId');
        await tx
          .update(chatConversations)
          .set({ state: 'waiting', agentId: null, teamId: t.id, updatedAt: ctx.at })
          .where(eq(chatConversations.id, id));
        await this.addMessage(
          tx,
          id,
          { author: 'system', body: 'transferred', data: { kind: 'transferred' } },
          ctx.at,
          out,
        );
        out.push([convTopic(id), { t: 'state', conversationId: id, state: 'waiting' }]);
        out.push([AGENTS_TOPIC, { t: 'queue', conversationId: id }]);
      } else {
        throw problems.invalid([{ path: 'agentId', message: 'name an agent or a team' }]);
      }
      await recordAudit(tx, ctx, {
        action: 'chat.transfer',
        targetType: 'chat_conversation',
        targetId: id,
        before: { agentId: conv.agentId, teamId: conv.teamId },
        after: { agentId: to.agentId ?? null, teamId: to.teamId ?? null },
      });
    });
    await this.flush(out);
  }

  async close(ctx: AuditContext, actor: Actor | null, id: string) {
    const out: Outbox = [];
    await this.db.transaction(async (tx) => {
      const conv = actor
        ? await this.requireMine(tx, actor, id)
        : await this.lockConversation(tx, id);
      if (conv.state === 'closed' || conv.state === 'offline') return;
      await tx
        .update(chatConversations)
        .set({ state: 'closed', closedAt: ctx.at, updatedAt: ctx.at })
        .where(eq(chatConversations.id, id));
      await this.addMessage(
        tx,
        id,
        { author: 'system', body: 'closed', data: { kind: 'closed', askRating: !!conv.ticketId } },
        ctx.at,
        out,
      );
      out.push([convTopic(id), { t: 'state', conversationId: id, state: 'closed' }]);
      out.push([AGENTS_TOPIC, { t: 'queue', conversationId: id }]);
      await recordAudit(tx, ctx, {
        action: 'chat.close',
        targetType: 'chat_conversation',
        targetId: id,
        before: { state: conv.state },
        after: { state: 'closed' },
      });
    });
    await this.flush(out);
  }

  /**
   * Closes the conversations the visitor has left: open (with the FAQ assistant or a person)
   * and the last message not the visitor's — the visitor is the one who owes an answer — for
   * at least `idleCloseMinutes` (0: never). A conversation waiting in the queue is never closed
   * here: the service owes that answer. The visitor is told, the ticket gets a note. Safe to run
   * on several instances at once (each conversation is re-checked under its lock).
   */
  async closeIdle(now: Date): Promise<number> {
    const settings = await getChatSettings(this.db);
    if (settings.idleCloseMinutes <= 0) return 0;
    const cutoff = new Date(now.getTime() - settings.idleCloseMinutes * 60_000).toISOString();
    const idleSql = sql`SELECT c.id FROM chat_conversations c
        LEFT JOIN chat_messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
        WHERE c.state IN ('bot', 'active')
          AND coalesce(m.author, '') <> 'visitor'
          AND coalesce(m.created_at, c.created_at) < ${cutoff}::timestamptz`;
    const ids = rowsOf<{ id: string }>(await this.db.execute(sql`${idleSql} LIMIT 500`));
    let closed = 0;
    for (const { id } of ids) {
      const out: Outbox = [];
      const ctx = { ...systemContext(now), actorName: 'chat idle close' };
      const done = await this.db.transaction(async (tx) => {
        const conv = await this.lockConversation(tx, id);
        const [still] = rowsOf(
          await tx.execute(sql`SELECT 1 FROM (${idleSql}) idle WHERE idle.id = ${id}::uuid`),
        );
        if (!still) return false;
        await tx
          .update(chatConversations)
          .set({ state: 'closed', closedAt: now, updatedAt: now })
          .where(eq(chatConversations.id, id));
        await this.addMessage(
          tx,
          id,
          {
            author: 'system',
            body: 'idle_closed',
            data: {
              kind: 'closed',
              idle: true,
              minutes: settings.idleCloseMinutes,
              askRating: !!conv.ticketId,
            },
          },
          now,
          out,
        );
        if (conv.ticketId)
          await appendEvent(tx, conv.ticketId, ctx, SYSTEM, {
            kind: 'note',
            body: `在线会话因访客 ${settings.idleCloseMinutes} 分钟未回复已自动结束 / The chat was closed after ${settings.idleCloseMinutes} minutes of visitor silence.`,
            data: { chat: { conversationId: id, idleClosed: true } },
          });
        out.push([convTopic(id), { t: 'state', conversationId: id, state: 'closed' }]);
        out.push([AGENTS_TOPIC, { t: 'queue', conversationId: id }]);
        await recordAudit(tx, ctx, {
          action: 'chat.close',
          targetType: 'chat_conversation',
          targetId: id,
          before: { state: conv.state },
          after: { state: 'closed', idle: true },
        });
        return true;
      });
      await this.flush(out);
      if (done) closed += 1;
    }
    return closed;
  }

  // --- Sites (administrators) ----------------------------------------------------------------

  async listSites() {
    const rows = await this.db.select().from(chatSites).orderBy(asc(chatSites.createdAt));
    return rows.map(presentSite);
  }

  async createSite(ctx: AuditContext, input: { name: string }) {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(chatSites)
        .values({
          name: input.name,
          publicKey: `site_${randomBytes(9).toString('base64url')}`,
          secret: randomBytes(24).toString('base64url'),
          createdAt: ctx.at,
          updatedAt: ctx.at,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'chat_site.create',
        targetType: 'chat_site',
        targetId: row!.id,
        after: { name: row!.name, publicKey: row!.publicKey },
      });
      return presentSite(row!);
    });
  }
}

const presentSite = (s: typeof chatSites.$inferSelect) => ({
  id: s.id,
  name: s.name,
  publicKey: s.publicKey,
  secret: s.secret,
  active: s.active,
  createdAt: s.createdAt.toISOString(),
});

/** The transcript as plain lines for the ticket's timeline. */
export function transcriptText(messages: MessageView[]): string {
  const who = { visitor: '访客', bot: '智能助手', agent: '客服', system: '系统' } as const;
  return messages
    .map((m) => `[${m.at.slice(11, 19)}] ${m.agentName ?? who[m.author]}: ${m.body}`)
    .join('\n');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Web chat: conversations, the FAQ assistant, the human queue (modules/chat). */
    chat: ChatService;
  }
}
