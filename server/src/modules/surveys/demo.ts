/**
 * Demo survey answers, so reports and KPIs have data in a fresh demo workspace: the ticket
 * surveys the demo's resolutions sent are partly answered, and last month has a finished
 * campaign. Idempotent: nothing happens once a campaign exists.
 */
import { asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import {
  surveyCampaigns,
  surveyInvitations,
  surveySettings,
  surveyTemplates,
  tickets,
  users,
} from '../../db/schema/index.js';
import { inviteForTicket } from './delivery.js';
import { periodMonthOf } from './rules/scoring.js';

const HOUR = 3_600_000;
/** (solved, attitude, overall) of the demo answers, in turn. */
const ANSWERS: [boolean, number, number][] = [
  [true, 5, 5],
  [true, 4, 4],
  [true, 5, 4],
  [false, 3, 2],
  [true, 5, 5],
];

export async function seedDemoSurveys(
  tx: Executor,
  now: Date,
): Promise<{ answered: number; campaign: number }> {
  // Only in the demo workspace (its admin exists), and only once.
  const [demo] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, 'admin@kefu.demo'));
  const [existing] = await tx.select({ id: surveyCampaigns.id }).from(surveyCampaigns).limit(1);
  if (!demo || existing) return { answered: 0, campaign: 0 };
  // The demo's history: every resolved or closed ticket had its survey sent then.
  const done = await tx
    .select({ id: tickets.id, at: tickets.resolvedAt, closedAt: tickets.closedAt })
    .from(tickets)
    .where(
      sql`${tickets.status} IN ('resolved', 'closed', 'archived') AND ${tickets.closeKind} IS DISTINCT FROM 'merged'`,
    )
    .orderBy(asc(tickets.receivedAt));
  for (const d of done) await inviteForTicket(tx, d.at ?? d.closedAt ?? now, d.id);
  const [settings] = await tx.select().from(surveySettings);
  const [tpl] = await tx
    .select()
    .from(surveyTemplates)
    .where(eq(surveyTemplates.id, settings!.templateId));
  const open = await tx
    .select()
    .from(surveyInvitations)
    .where(isNull(surveyInvitations.answeredAt))
    .orderBy(asc(surveyInvitations.sentAt));
  let answered = 0;
  // Leave the newest one open, so the ticket page shows a survey waiting for its answer.
  for (const [i, inv] of open.slice(0, -1).entries()) {
    const [solved, attitude, overall] = ANSWERS[i % ANSWERS.length]!;
    if (solved === false) continue; // the low score is shown through the real path in tests
    await tx
      .update(surveyInvitations)
      .set({
        answeredAt: new Date(inv.sentAt.getTime() + 2 * HOUR),
        solved,
        score100: overall * 20,
        answers: { solved, attitude, overall },
        comment: overall === 5 ? '客服很耐心，解决得很快' : null,
        answeredVia: 'email',
        updatedAt: now,
      })
      .where(eq(surveyInvitations.id, inv.id));
    answered += 1;
  }

  // Last month's campaign: customers with demo tickets, agents as their owners.
  const lastMonth = periodMonthOf(new Date(now.getTime() - 32 * 24 * HOUR));
  const sentAt = new Date(now.getTime() - 20 * 24 * HOUR);
  const [campaign] = await tx
    .insert(surveyCampaigns)
    .values({
      periodMonth: lastMonth,
      templateId: tpl!.id,
      templateVersion: tpl!.version,
      createdAt: sentAt,
      lastRunAt: sentAt,
    })
    .returning();
  const people = rowsOf<{ customer_id: string; owner_id: string; team_id: string | null }>(
    await tx.execute(sql`
      SELECT DISTINCT ON (customer_id) customer_id, owner_id, team_id
        FROM tickets ORDER BY customer_id, received_at DESC`),
  );
  for (const [i, p] of people.entries()) {
    const answer = i % 3 !== 2 ? ANSWERS[i % ANSWERS.length]! : null;
    await tx.insert(surveyInvitations).values({
      kind: 'campaign',
      customerId: p.customer_id,
      agentId: p.owner_id,
      teamId: p.team_id,
      periodMonth: lastMonth,
      sentAt,
      campaignId: campaign!.id,
      templateId: tpl!.id,
      templateVersion: tpl!.version,
      channels: ['email'],
      expiresAt: new Date(sentAt.getTime() + 7 * 24 * HOUR),
      createdAt: sentAt,
      updatedAt: sentAt,
      ...(answer && {
        answeredAt: new Date(sentAt.getTime() + 5 * HOUR),
        solved: answer[0],
        score100: answer[2] * 20,
        answers: { solved: answer[0], attitude: answer[1], overall: answer[2] },
        answeredVia: 'email',
      }),
    });
  }
  return { answered, campaign: people.length };
}
