/**
 * An agent's public reply goes to the customer by mail (issue 13) when the ticket came by mail,
 * the customer has written to it by mail, or the customer prefers email (`prefers_email`, set on
 * the customer record; migration 0040) and has an address: queued in the outbox in the reply's transaction,
 * threaded under the customer's last message (In-Reply-To / References), the subject carrying
 * `[KF-…]`, sent from the team's mailbox (From and Reply-To) with the reply's files. Kefu's
 * Message-ID `kefu.<ticket>.<mail>@<domain>` is what inbound threading recognises, so the
 * customer's answer lands on the same ticket.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { customers, mailInbound, mailMailboxes, mailOutbox, teams } from '../../db/schema/index.js';
import type { AttachmentRef } from '../attachments/schemas.js';
import { enqueueMail } from './outbox.js';
import { customerLocale } from './ticket-mail.js';
import type { TemplateParams } from './rules/templates.js';

const THREAD_OUTCOMES = ['ticket', 'appended', 'accepted'];
const MAX_REFERENCES = 20;

export const domainOf = (address: string) => {
  const m = /@([^>\s]+)>?\s*$/.exec(address);
  return (m?.[1] ?? 'kefu.invalid').toLowerCase();
};

/** Kefu's Message-ID of a reply (rules/inbound.ts recognises `kefu.<ticket>.<mail>@`). */
export const replyMessageId = (ticketId: string, mailId: string, domain: string) =>
  `kefu.${ticketId}.${mailId}@${domain}`;

/** `"Team" <box@x>` with the name stripped of what could break the header. */
export const fromHeaderOf = (name: string, address: string) =>
  `"${name.replace(/["\\\r\n<>]/g, '').slice(0, 100)}" <${address}>`;

export interface ReplyTicket {
  id: string;
  number: string;
  subject: string;
  channel: string;
  teamId: string | null;
  customerId: string;
}

/** Queues the reply mail if the ticket is one answered by mail; returns the outbox id or null. */
export function mailAgentReply(
  tx: Executor,
  at: Date,
  t: ReplyTicket,
  event: { id: string; body: string | null },
  files: readonly AttachmentRef[],
  agentName: string,
): Promise<string | null> {
  return queueTicketMail(tx, at, t, event.id, files, null, (team) => ({
    template: 'ticket.reply',
    params: {
      number: t.number,
      subject: t.subject,
      body: event.body ?? '',
      agent: agentName,
      team,
    },
  }));
}

/**
 * The off-hours acknowledgement of a ticket registered from a mail (inside the message's
 * transaction, before the message's row exists: `thread` is that message).
 */
export function mailOffHoursAck(
  tx: Executor,
  at: Date,
  t: ReplyTicket,
  event: { id: string; body: string | null },
  thread: { messageId: string; keys: string[]; mailboxId: string | null },
): Promise<string | null> {
  return queueTicketMail(tx, at, t, event.id, [], thread, () => ({
    template: 'ticket.off_hours_ack',
    params: { number: t.number, subject: t.subject, message: event.body ?? '' },
  }));
}

type Made =
  | { template: 'ticket.reply'; params: TemplateParams['ticket.reply'] }
  | { template: 'ticket.off_hours_ack'; params: TemplateParams['ticket.off_hours_ack'] };

async function queueTicketMail(
  tx: Executor,
  at: Date,
  t: ReplyTicket,
  eventId: string,
  files: readonly AttachmentRef[],
  thread: { messageId: string; keys: string[]; mailboxId: string | null } | null,
  make: (teamName: string) => Made,
): Promise<string | null> {
  const [c] = await tx
    .select({ email: customers.email, prefersEmail: customers.prefersEmail })
    .from(customers)
    .where(eq(customers.id, t.customerId));
  const email = c?.email?.trim().toLowerCase();
  if (!email) return null;
  const [found] = thread
    ? [thread]
    : await tx
        .select({
          messageId: mailInbound.messageId,
          keys: mailInbound.inReplyTo,
          mailboxId: mailInbound.mailboxId,
        })
        .from(mailInbound)
        .where(and(eq(mailInbound.ticketId, t.id), inArray(mailInbound.outcome, THREAD_OUTCOMES)))
        .orderBy(desc(mailInbound.arrivedAt), desc(mailInbound.createdAt))
        .limit(1);
  const last = found;
  if (t.channel !== 'email' && !last && !c?.prefersEmail) return null;

  const [lastOut] = await tx
    .select({ messageId: mailOutbox.messageId })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.ticketId, t.id),
        inArray(mailOutbox.template, ['ticket.reply', 'ticket.off_hours_ack']),
        isNotNull(mailOutbox.messageId),
      ),
    )
    .orderBy(desc(mailOutbox.createdAt))
    .limit(1);
  const inReplyTo = last?.messageId ?? lastOut?.messageId ?? null;
  const refs = [
    ...(last ? [...last.keys].reverse() : []),
    ...(lastOut?.messageId ? [lastOut.messageId] : []),
    ...(inReplyTo ? [inReplyTo] : []),
  ];
  const referenceIds = [...new Set(refs.reverse())].reverse().slice(-MAX_REFERENCES);

  // The team's mailbox sends (and takes the answers); else the one the mail came in by.
  const team = t.teamId
    ? (await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, t.teamId)))[0]
    : undefined;
  // Active mailboxes first; a paused one (not polled) still names the team's address.
  const boxes = await tx
    .select()
    .from(mailMailboxes)
    .orderBy(desc(mailMailboxes.active), asc(mailMailboxes.name));
  const box =
    (t.teamId ? boxes.find((b) => b.teamId === t.teamId) : undefined) ??
    (last?.mailboxId ? boxes.find((b) => b.id === last.mailboxId) : undefined);

  const id = randomUUID();
  const locale = await customerLocale(tx, email);
  const made = make(team?.name ?? '');
  await enqueueMail(tx, at, {
    to: email,
    ...made,
    locale,
    ticketId: t.id,
    reply: {
      id,
      messageId: box ? replyMessageId(t.id, id, domainOf(box.address)) : null,
      inReplyTo,
      referenceIds,
      fromHeader: box ? fromHeaderOf(team?.name ?? box.name, box.address) : null,
      replyTo: box?.address ?? null,
      eventId,
      attachmentIds: files.map((f) => f.id),
    },
  });
  return id;
}
