import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { portalAccounts } from '../../db/schema/index.js';
import { enqueueMail } from './outbox.js';
import { asMailLocale, type MailLocale } from './rules/templates.js';

/** The customer's language for mail: their portal account's, else zh-CN. */
export async function customerLocale(ex: Executor, email: string): Promise<MailLocale> {
  const [account] = await ex
    .select({ locale: portalAccounts.locale })
    .from(portalAccounts)
    .where(eq(portalAccounts.email, email.toLowerCase()));
  return asMailLocale(account?.locale);
}

/**
 * Queues the "is it solved?" mail with the one-time confirmation link, in the transaction that
 * resolved the ticket (or re-issued its link). Returns the outbox id.
 */
export async function mailConfirmation(
  tx: Executor,
  at: Date,
  ticket: { id: string; number: string; subject: string },
  email: string,
  link: { token: string; expiresAt: Date },
  timeZone: string,
): Promise<string> {
  const row = await enqueueMail(tx, at, {
    to: email,
    template: 'ticket.confirmation',
    locale: await customerLocale(tx, email),
    ticketId: ticket.id,
    params: {
      number: ticket.number,
      subject: ticket.subject,
      linkPath: `/portal/confirm/${link.token}`,
      expiresAt: link.expiresAt,
      timeZone,
    },
  });
  return row.id;
}
