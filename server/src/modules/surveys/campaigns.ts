/**
 * The monthly satisfaction campaign (SPEC 6): customers served in a month — a ticket received or
 * resolved then — who consented to be contacted and did not opt out get one survey, once: the
 * unique index (customer, month) of migration 0019 makes a second run send only to the new ones.
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import {
  customers,
  surveyCampaigns,
  surveyInvitations,
  surveyTemplates,
} from '../../db/schema/index.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { mailInvitation, reachable } from './delivery.js';
import { monthBounds, periodMonthOf } from './rules/scoring.js';
import { getSurveySettings } from './settings.js';

type CampaignRow = typeof surveyCampaigns.$inferSelect;

async function statsOf(db: Executor, c: CampaignRow) {
  const [s] = await db
    .select({
      sent: sql<number>`count(*)::int`,
      answered: sql<number>`count(${surveyInvitations.answeredAt})::int`,
      avg: sql<string | null>`avg(${surveyInvitations.score100})`,
    })
    .from(surveyInvitations)
    .where(eq(surveyInvitations.campaignId, c.id));
  const sent = Number(s?.sent ?? 0);
  const answered = Number(s?.answered ?? 0);
  return {
    id: c.id,
    month: c.periodMonth.slice(0, 7),
    templateId: c.templateId,
    templateVersion: c.templateVersion,
    createdAt: c.createdAt.toISOString(),
    lastRunAt: c.lastRunAt?.toISOString() ?? null,
    sent,
    answered,
    skipped: c.skipped,
    responseRate: sent ? Math.round((answered / sent) * 1000) / 10 : 0,
    averageScore: s?.avg == null ? null : Math.round(Number(s.avg) * 10) / 10,
  };
}
export type CampaignView = Awaited<ReturnType<typeof statsOf>>;

export async function listCampaigns(db: Db): Promise<CampaignView[]> {
  const rows = await db.select().from(surveyCampaigns).orderBy(desc(surveyCampaigns.periodMonth));
  return Promise.all(rows.map((r) => statsOf(db, r)));
}

export async function createCampaign(
  db: Db,
  ctx: AuditContext,
  input: { month: string; templateId?: string },
): Promise<CampaignView> {
  const periodMonth = `${input.month}-01`;
  if (periodMonth > periodMonthOf(ctx.at))
    throw problems.invalid([{ path: 'month', message: 'must not be in the future' }]);
  const settings = await getSurveySettings(db);
  const [tpl] = await db
    .select()
    .from(surveyTemplates)
    .where(eq(surveyTemplates.id, input.templateId ?? settings.templateId));
  if (!tpl || !tpl.active) throw problems.notFound('Survey template', 'templateId');
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(surveyCampaigns)
        .values({
          periodMonth,
          templateId: tpl.id,
          templateVersion: tpl.version,
          createdBy: ctx.actorId,
          createdAt: ctx.at,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'survey_campaign.create',
        targetType: 'survey_campaign',
        targetId: row!.id,
        after: { month: input.month, templateId: tpl.id, templateVersion: tpl.version },
      });
      return statsOf(tx, row!);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.conflict('campaign_exists', 'There is already a campaign for this month.', [
        { path: 'month', message: 'already has a campaign' },
      ]);
    throw err;
  }
}

/** Sends the campaign to everyone eligible who has not had it yet; safe to run again. */
export async function runCampaign(db: Db, ctx: AuditContext, id: string): Promise<CampaignView> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(surveyCampaigns)
      .where(eq(surveyCampaigns.id, id))
      .for('update');
    if (!c) throw problems.notFound('Survey campaign', 'id');
    const settings = await getSurveySettings(tx);
    const { from, to } = monthBounds(c.periodMonth);
    // Served customers with their latest ticket's owner and team in the month.
    const served = rowsOf<{
      customer_id: string;
      owner_id: string;
      team_id: string | null;
      consent: boolean;
      opted_out: boolean;
    }>(
      await tx.execute(sql`
        SELECT DISTINCT ON (t.customer_id) t.customer_id, t.owner_id, t.team_id,
               cu.consent_contact AS consent,
               EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.customer_id = t.customer_id) AS opted_out
          FROM tickets t JOIN customers cu ON cu.id = t.customer_id
         WHERE (t.received_at >= ${from.toISOString()}::timestamptz AND t.received_at < ${to.toISOString()}::timestamptz)
            OR (t.resolved_at >= ${from.toISOString()}::timestamptz AND t.resolved_at < ${to.toISOString()}::timestamptz)
         ORDER BY t.customer_id, t.received_at DESC`),
    );
    let skipped = 0;
    let sent = 0;
    for (const s of served) {
      if (!s.consent || s.opted_out) {
        skipped += 1;
        continue;
      }
      const [cu] = await tx.select().from(customers).where(eq(customers.id, s.customer_id));
      const channels = reachable(settings.channels, cu!);
      if (channels.length === 0) {
        skipped += 1;
        continue;
      }
      const [inv] = await tx
        .insert(surveyInvitations)
        .values({
          kind: 'campaign',
          customerId: s.customer_id,
          agentId: s.owner_id,
          teamId: s.team_id,
          periodMonth: c.periodMonth,
          sentAt: ctx.at,
          campaignId: c.id,
          templateId: c.templateId,
          templateVersion: c.templateVersion,
          channels,
          expiresAt: new Date(ctx.at.getTime() + settings.linkDays * 86_400_000),
          createdAt: ctx.at,
          updatedAt: ctx.at,
        })
        .onConflictDoNothing()
        .returning();
      if (!inv) continue; // already asked this month
      sent += 1;
      if (channels.includes('email') && cu!.email)
        await mailInvitation(tx, ctx.at, inv, cu!.email, false, null);
    }
    const [saved] = await tx
      .update(surveyCampaigns)
      .set({ lastRunAt: ctx.at, skipped })
      .where(eq(surveyCampaigns.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'survey_campaign.run',
      targetType: 'survey_campaign',
      targetId: id,
      after: { sent, skipped },
    });
    return statsOf(tx, saved!);
  });
}
