/**
 * Breach notifications by e-mail (SPEC 3, docs/sla.md): besides the in-app notification the
 * sweeper writes, each notified user with an e-mail address gets a mail in their language,
 * queued in the mail outbox (modules/mail) inside the sweep's transaction — so a batch that rolls
 * back queues nothing, and one that commits cannot lose its mails. Switched off by the
 * `emailOnBreach` SLA setting. Warnings stay in-app only.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ticketSettings, tickets, users } from '../../db/schema/index.js';
import { enqueueMail } from '../mail/outbox.js';
import { asMailLocale } from '../mail/rules/templates.js';
import { TARGET_LABELS } from '../sla/rules/escalation.js';
import type { TargetKind } from '../sla/rules/policy.js';
import { getSlaSettings } from '../sla/settings.js';
import type { FiredEvent } from '../sla/sweep.js';

export async function mailBreachNotifications(
  tx: Executor,
  events: readonly FiredEvent[],
  at: Date,
): Promise<number> {
  const breaches = events.filter((e) => e.kind === 'breach' && e.notified.length > 0);
  if (breaches.length === 0) return 0;
  if (!(await getSlaSettings(tx)).emailOnBreach) return 0;
  const userIds = [...new Set(breaches.flatMap((e) => e.notified))];
  const recipients = new Map(
    (
      await tx
        .select({ id: users.id, email: users.email, locale: users.locale })
        .from(users)
        .where(inArray(users.id, userIds))
    )
      .filter((u) => u.email)
      .map((u) => [u.id, u]),
  );
  if (recipients.size === 0) return 0;
  const subjects = new Map(
    (
      await tx
        .select({ id: tickets.id, subject: tickets.subject })
        .from(tickets)
        .where(
          inArray(
            tickets.id,
            breaches.map((e) => e.ticketId),
          ),
        )
    ).map((t) => [t.id, t.subject]),
  );
  const [settings] = await tx
    .select({ timeZone: ticketSettings.timeZone })
    .from(ticketSettings)
    .where(eq(ticketSettings.id, sql`true`));
  let queued = 0;
  for (const e of breaches) {
    for (const userId of e.notified) {
      const u = recipients.get(userId);
      if (!u) continue;
      const locale = asMailLocale(u.locale);
      const label = TARGET_LABELS[e.targetKind as TargetKind];
      await enqueueMail(tx, at, {
        to: u.email,
        template: 'sla.breach',
        locale,
        params: {
          number: e.ticketNumber,
          subject: subjects.get(e.ticketId) ?? '',
          target: label ? label[locale === 'en-US' ? 'en' : 'zh'] : e.targetKind,
          dueAt: e.dueAt,
          timeZone: settings?.timeZone ?? 'Asia/Shanghai',
          ticketPath: `/tickets/${e.ticketId}`,
        },
        ticketId: e.ticketId,
      });
      queued += 1;
    }
  }
  return queued;
}
