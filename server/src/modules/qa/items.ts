/**
 * Sampled items: the inspector's queue, one item with its ticket timeline and automatic checks,
 * items added by hand (complaints, breached, low CSAT), and scoring (save a draft, come back,
 * submit). Submitting pins the scorecard version, computes the total, sets the appeal deadline
 * and records repeated failures of a criterion as a training need.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, textArray, type Db, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { livePhrases } from '../kb/phrase-check.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { defaultCalendarId, loadCalendar } from '../sla/calendar-store.js';
import { alwaysOpen, localDateOf, type BusinessCalendar } from '../sla/rules/calendar.js';
import { canSeeItem, isAdmin, isSupervisor } from './policy.js';
import { appealDeadline } from './rules/appeal.js';
import { checkCitations, type CitationFinding } from './rules/citations.js';
import { checkReplies, type CheckFinding } from './rules/checks.js';
import { scoreErrors, scoreTotal, spreadOf } from './rules/scorecard.js';
import { mondayOf } from './rules/week.js';
import {
  currentScorecard,
  getQaSettings,
  getScorecard,
  type ScorecardVersion,
} from './settings.js';

export type ItemReason = 'random' | 'complaint' | 'breached' | 'low_csat';

export interface ItemSummary {
  id: string;
  ticketId: string;
  ticketNumber: string;
  subject: string;
  agent: { id: string; name: string };
  inspector: { id: string; name: string } | null;
  channel: string;
  category: string;
  reason: ItemReason;
  weekStart: string;
  calibration: boolean;
  status: 'open' | 'scored';
  myEvaluation: 'draft' | 'submitted' | null;
  createdAt: string;
}

interface ItemRow {
  id: string;
  ticket_id: string;
  number: string;
  subject: string;
  agent_id: string;
  agent_name: string;
  inspector_id: string | null;
  inspector_name: string | null;
  channel: string;
  category: string;
  reason: ItemReason;
  week_start: string | Date;
  calibration: boolean;
  status: 'open' | 'scored';
  my_status: 'draft' | 'submitted' | null;
  created_at: string | Date;
}

const dateOnly = (d: string | Date) =>
  typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

const presentItem = (r: ItemRow): ItemSummary => ({
  id: r.id,
  ticketId: r.ticket_id,
  ticketNumber: r.number,
  subject: r.subject,
  agent: { id: r.agent_id, name: r.agent_name },
  inspector: r.inspector_id ? { id: r.inspector_id, name: r.inspector_name ?? '' } : null,
  channel: r.channel,
  category: r.category,
  reason: r.reason,
  weekStart: dateOnly(r.week_start),
  calibration: r.calibration,
  status: r.status,
  myEvaluation: r.my_status,
  createdAt: new Date(r.created_at).toISOString(),
});

const itemSelect = (actorId: string) => sql`
  SELECT q.id, q.ticket_id, t.number, t.subject, q.agent_id, a.name AS agent_name,
    q.inspector_id, i.name AS inspector_name, q.channel, q.category, q.reason, q.week_start,
    q.calibration, q.status, q.created_at,
    (SELECT e.status FROM qa_evaluations e WHERE e.item_id = q.id AND e.inspector_id = ${actorId}::uuid) AS my_status
  FROM qa_items q
  JOIN tickets t ON t.id = q.ticket_id
  JOIN users a ON a.id = q.agent_id
  LEFT JOIN users i ON i.id = q.inspector_id`;

/**
 * The queue: an inspector's assigned items, calibration items and unassigned ones (never their
 * own work); supervisors and administrators see all. Open items first, oldest first.
 */
export async function listItems(
  ex: Executor,
  actor: Actor,
  q: { status?: 'open' | 'scored' | undefined; week?: string | undefined },
): Promise<ItemSummary[]> {
  const all = isAdmin(actor) || isSupervisor(actor);
  const rows = rowsOf<ItemRow>(
    await ex.execute(sql`${itemSelect(actor.userId)}
      WHERE q.agent_id <> ${actor.userId}::uuid
        AND (${all} OR q.inspector_id = ${actor.userId}::uuid OR q.calibration OR q.inspector_id IS NULL)
        AND (${q.status ?? null}::text IS NULL OR q.status = ${q.status ?? null}::text)
        AND (${q.week ?? null}::date IS NULL OR q.week_start = ${q.week ?? null}::date)
      ORDER BY (q.status = 'scored'), q.week_start DESC, q.created_at, q.id
      LIMIT 500`),
  );
  return rows.map(presentItem);
}

async function itemRow(ex: Executor, actor: Actor, id: string): Promise<ItemSummary> {
  const [row] = rowsOf<ItemRow>(
    await ex.execute(sql`${itemSelect(actor.userId)} WHERE q.id = ${id}::uuid`),
  );
  const item = row ? presentItem(row) : null;
  if (
    !item ||
    !canSeeItem(actor, {
      inspectorId: item.inspector?.id ?? null,
      agentId: item.agent.id,
      calibration: item.calibration,
    })
  )
    throw problems.notFound('QA item');
  return item;
}

export interface Evaluation {
  id: string;
  itemId: string;
  inspector: { id: string; name: string };
  scorecardVersion: number;
  scores: Record<string, number>;
  comments: Record<string, string>;
  summary: string;
  total: number | null;
  criticalFailed: boolean;
  failedCriteria: string[];
  status: 'draft' | 'submitted';
  submittedAt: string | null;
  appealDeadline: string | null;
  official: boolean;
}

interface EvalRow {
  id: string;
  item_id: string;
  inspector_id: string;
  inspector_name: string;
  scorecard_version: number;
  scores: Record<string, number>;
  comments: Record<string, string>;
  summary: string;
  total: string | null;
  critical_failed: boolean;
  failed_criteria: string[];
  status: 'draft' | 'submitted';
  submitted_at: string | Date | null;
  appeal_deadline: string | Date | null;
  official: boolean;
}

export const presentEvaluation = (r: EvalRow): Evaluation => ({
  id: r.id,
  itemId: r.item_id,
  inspector: { id: r.inspector_id, name: r.inspector_name },
  scorecardVersion: Number(r.scorecard_version),
  scores: r.scores,
  comments: r.comments,
  summary: r.summary,
  total: r.total === null ? null : Number(r.total),
  criticalFailed: r.critical_failed,
  failedCriteria: r.failed_criteria,
  status: r.status,
  submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
  appealDeadline: r.appeal_deadline ? new Date(r.appeal_deadline).toISOString() : null,
  official: r.official,
});

export const evalSelect = sql`
  SELECT e.*, u.name AS inspector_name,
    (q.inspector_id IS NULL OR q.inspector_id = e.inspector_id) AS official
  FROM qa_evaluations e JOIN users u ON u.id = e.inspector_id JOIN qa_items q ON q.id = e.item_id`;

export interface TimelineEntry {
  id: string;
  kind: string;
  at: string;
  actorName: string | null;
  visibility: string;
  body: string | null;
}

/**
 * A ticket's replies and the SLA clock records, checked (forbidden/courtesy phrases, SLA missed),
 * and the replies against the current version of the articles cited on it (rules/citations.ts).
 */
export async function ticketChecks(
  ex: Executor,
  ticketId: string,
): Promise<(CheckFinding | CitationFinding)[]> {
  const replies = rowsOf<{ id: string; at: string | Date; body: string | null }>(
    await ex.execute(sql`SELECT id, at, body FROM ticket_events
      WHERE ticket_id = ${ticketId}::uuid AND kind = 'reply' AND visibility = 'public'
        AND actor_id IS NOT NULL AND body IS NOT NULL
      ORDER BY seq`),
  );
  const clocks = rowsOf<{
    kind: string;
    occurrence: number;
    due_at: string | Date;
    breached_at: string | Date | null;
  }>(
    await ex.execute(sql`SELECT kind, occurrence, due_at, breached_at FROM sla_clocks
      WHERE ticket_id = ${ticketId}::uuid AND breached ORDER BY started_at, kind`),
  );
  // Articles cited on the ticket (first citation of each), the cited and the live version.
  const cited = rowsOf<{
    article_id: string;
    title: string;
    cited_version: number;
    cited_body: string;
    current_version: number;
    current_body: string;
    at: string | Date;
  }>(
    await ex.execute(sql`SELECT DISTINCT ON (c.article_id) c.article_id, cur.title,
        c.version_number AS cited_version, v.body AS cited_body,
        cur.number AS current_version, cur.body AS current_body, c.at
      FROM ticket_article_citations c
      JOIN kb_versions v ON v.id = c.version_id
      JOIN kb_articles a ON a.id = c.article_id
      JOIN kb_versions cur ON cur.id = a.live_version_id
      WHERE c.ticket_id = ${ticketId}::uuid
      ORDER BY c.article_id, c.at, c.id`),
  );
  const rules = await livePhrases(ex);
  const texts = replies.map((r) => ({
    eventId: r.id,
    at: new Date(r.at).toISOString(),
    text: r.body ?? '',
  }));
  const contradictions = checkCitations(
    texts,
    cited.map((c) => ({
      articleId: c.article_id,
      title: c.title,
      citedVersion: Number(c.cited_version),
      citedText: c.cited_body,
      currentVersion: Number(c.current_version),
      currentText: c.current_body,
      citedAt: new Date(c.at).toISOString(),
    })),
  );
  return [
    ...checkReplies(
      texts,
      rules,
      clocks.map((c) => ({
        kind: c.kind,
        occurrence: Number(c.occurrence),
        dueAt: new Date(c.due_at).toISOString(),
        breachedAt: c.breached_at ? new Date(c.breached_at).toISOString() : null,
      })),
    ),
    ...contradictions,
  ];
}

export async function checksForTicket(ex: Executor, ticketId: string) {
  const [t] = rowsOf(await ex.execute(sql`SELECT 1 FROM tickets WHERE id = ${ticketId}::uuid`));
  if (!t) throw problems.notFound('Ticket');
  return ticketChecks(ex, ticketId);
}

export async function getItem(ex: Executor, actor: Actor, id: string, now: Date) {
  const item = await itemRow(ex, actor, id);
  const [ticket] = rowsOf<{
    description: string;
    status: string;
    priority: string;
    received_at: string | Date;
  }>(
    await ex.execute(sql`SELECT description, status, priority, received_at FROM tickets
      WHERE id = ${item.ticketId}::uuid`),
  );
  // Only what scoring needs: the conversation and its status changes — no customer details.
  const timeline = rowsOf<{
    id: string;
    kind: string;
    at: string | Date;
    actor_name: string | null;
    visibility: string;
    body: string | null;
  }>(
    await ex.execute(sql`SELECT id, kind, at, actor_name, visibility, body FROM ticket_events
      WHERE ticket_id = ${item.ticketId}::uuid AND kind IN ('created', 'reply', 'note', 'status')
      ORDER BY seq LIMIT 500`),
  ).map((e): TimelineEntry => ({
    id: e.id,
    kind: e.kind,
    at: new Date(e.at).toISOString(),
    actorName: e.actor_name,
    visibility: e.visibility,
    body: e.body,
  }));
  const all = isAdmin(actor) || isSupervisor(actor);
  const evaluations = rowsOf<EvalRow>(
    await ex.execute(sql`${evalSelect} WHERE e.item_id = ${id}::uuid
      AND (${all} OR e.inspector_id = ${actor.userId}::uuid) ORDER BY e.created_at`),
  ).map(presentEvaluation);
  const mine = evaluations.find((e) => e.inspector.id === actor.userId) ?? null;
  const scorecard: ScorecardVersion = mine
    ? ((await getScorecard(ex, mine.scorecardVersion)) ?? (await currentScorecard(ex, now)))
    : await currentScorecard(ex, now);
  const totals = evaluations.filter((e) => e.total !== null).map((e) => e.total!);
  return {
    item,
    ticket: {
      description: ticket?.description ?? '',
      status: ticket?.status ?? '',
      priority: ticket?.priority ?? '',
      receivedAt: ticket ? new Date(ticket.received_at).toISOString() : '',
    },
    timeline,
    checks: await ticketChecks(ex, item.ticketId),
    scorecard,
    evaluations,
    spread: all ? spreadOf(totals) : null,
  };
}

/** Adds a complaint, breached or low-CSAT ticket by hand (checked against the records). */
export async function addItem(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  input: { ticketId: string; reason: Exclude<ItemReason, 'random'> },
): Promise<ItemSummary> {
  try {
    return await db.transaction(async (tx) => {
      const [t] = rowsOf<{
        id: string;
        agent_id: string;
        channel: string;
        category: string;
        received_at: string | Date;
        merged_into_id: string | null;
        breached: boolean;
        low_csat: boolean;
      }>(
        await tx.execute(sql`SELECT t.id, coalesce(t.handler_id, t.owner_id) AS agent_id, t.channel,
            t.category, t.received_at, t.merged_into_id,
            EXISTS (SELECT 1 FROM sla_clocks c WHERE c.ticket_id = t.id AND c.breached) AS breached,
            EXISTS (SELECT 1 FROM survey_responses s WHERE s.ticket_id = t.id
              AND s.score100 < (SELECT low_csat_below FROM qa_settings WHERE id)) AS low_csat
          FROM tickets t WHERE t.id = ${input.ticketId}::uuid`),
      );
      if (!t) throw problems.notFound('Ticket', 'ticketId');
      const fits =
        input.reason === 'complaint'
          ? t.category === 'complaint'
          : input.reason === 'breached'
            ? t.breached
            : t.low_csat;
      if (!fits)
        throw problems.invalid([
          {
            path: 'reason',
            message: `the ticket is not a ${input.reason.replace('_', ' ')} ticket`,
            code: 'reason_not_met',
          },
        ]);
      // The inspector with the fewest open items who did not handle the ticket.
      const [inspector] = rowsOf<{ id: string }>(
        await tx.execute(sql`SELECT u.id FROM users u
          WHERE u.active AND 'qa_inspector' = ANY (u.roles) AND u.id <> ${t.agent_id}::uuid
          ORDER BY (SELECT count(*) FROM qa_items q WHERE q.inspector_id = u.id AND q.status = 'open'), u.id
          LIMIT 1`),
      );
      const tz = await workspaceTimeZone(tx);
      const week = mondayOf(localDateOf(new Date(t.received_at).getTime(), tz));
      const [row] = rowsOf<{ id: string }>(
        await tx.execute(sql`INSERT INTO qa_items (ticket_id, agent_id, inspector_id, channel, category,
            reason, week_start, added_by, created_at)
          VALUES (${t.id}::uuid, ${t.agent_id}::uuid, ${inspector?.id ?? null}::uuid, ${t.channel},
            ${t.category}, ${input.reason}, ${week}::date, ${actor.userId}::uuid,
            ${ctx.at.toISOString()}::timestamptz)
          RETURNING id`),
      );
      await recordAudit(tx, ctx, {
        action: 'qa_item.add',
        targetType: 'qa_item',
        targetId: row!.id,
        after: { ticketId: t.id, reason: input.reason, inspectorId: inspector?.id ?? null },
      });
      return itemRow(tx, { ...actor, roles: ['admin'] }, row!.id);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.conflict('already_sampled', 'This ticket is already in the QA sample.', [
        { path: 'ticketId', message: 'is already sampled' },
      ]);
    throw err;
  }
}

/** Marks an item for calibration: every inspector (not its agent) may score it too. */
export async function setCalibration(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  calibration: boolean,
): Promise<ItemSummary> {
  return db.transaction(async (tx) => {
    const before = await itemRow(tx, actor, id);
    await tx.execute(sql`UPDATE qa_items SET calibration = ${calibration} WHERE id = ${id}::uuid`);
    await recordAudit(tx, ctx, {
      action: 'qa_item.calibration',
      targetType: 'qa_item',
      targetId: id,
      before: { calibration: before.calibration },
      after: { calibration },
    });
    return itemRow(tx, actor, id);
  });
}

export async function workspaceCalendar(ex: Executor): Promise<BusinessCalendar> {
  const id = await defaultCalendarId(ex);
  const loaded = id ? await loadCalendar(ex, id) : null;
  return loaded?.cal ?? alwaysOpen(await workspaceTimeZone(ex));
}

export interface EvaluationInput {
  scores: Record<string, number>;
  comments: Record<string, string>;
  summary?: string | undefined;
  submit: boolean;
}

export async function saveEvaluation(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  itemId: string,
  input: EvaluationInput,
): Promise<Evaluation> {
  return db.transaction(async (tx) => {
    const item = await itemRow(tx, actor, itemId);
    const [existing] = rowsOf<EvalRow>(
      await tx.execute(sql`${evalSelect} WHERE e.item_id = ${itemId}::uuid
        AND e.inspector_id = ${actor.userId}::uuid FOR UPDATE OF e`),
    );
    if (existing?.status === 'submitted')
      throw problems.conflict(
        'evaluation_submitted',
        'This evaluation was submitted; it no longer changes.',
      );
    const scorecard = existing
      ? (await getScorecard(tx, Number(existing.scorecard_version)))!
      : await currentScorecard(tx, ctx.at);
    // A draft may leave criteria unscored; a submission scores every one.
    const errors = scoreErrors(scorecard.criteria, input.scores).filter(
      (e) => input.submit || e.message !== 'is required',
    );
    if (errors.length) throw problems.invalid(errors);
    const settings = await getQaSettings(tx);
    const result = input.submit
      ? scoreTotal(scorecard.criteria, input.scores, settings.failRatio)
      : null;
    const deadline = input.submit
      ? new Date(
          appealDeadline(ctx.at.getTime(), settings.appealWorkingDays, await workspaceCalendar(tx)),
        )
      : null;
    const at = ctx.at.toISOString();
    const values = {
      scores: JSON.stringify(input.scores),
      comments: JSON.stringify(input.comments),
      summary: input.summary ?? '',
    };
    let id: string;
    if (existing) {
      id = existing.id;
      await tx.execute(sql`UPDATE qa_evaluations SET scores = ${values.scores}::jsonb,
          comments = ${values.comments}::jsonb, summary = ${values.summary},
          total = ${result?.total ?? null}, critical_failed = ${result?.criticalFailed ?? false},
          failed_criteria = ${textArray(result?.failed ?? [])}::text[],
          status = ${input.submit ? 'submitted' : 'draft'},
          submitted_at = ${input.submit ? at : null}::timestamptz,
          appeal_deadline = ${deadline?.toISOString() ?? null}::timestamptz,
          updated_at = ${at}::timestamptz
        WHERE id = ${id}::uuid`);
    } else {
      const [row] = rowsOf<{ id: string }>(
        await tx.execute(sql`INSERT INTO qa_evaluations (item_id, inspector_id, scorecard_version,
            scores, comments, summary, total, critical_failed, failed_criteria, status, submitted_at,
            appeal_deadline, created_at, updated_at)
          VALUES (${itemId}::uuid, ${actor.userId}::uuid, ${scorecard.version},
            ${values.scores}::jsonb, ${values.comments}::jsonb, ${values.summary},
            ${result?.total ?? null}, ${result?.criticalFailed ?? false},
            ${textArray(result?.failed ?? [])}::text[], ${input.submit ? 'submitted' : 'draft'},
            ${input.submit ? at : null}::timestamptz, ${deadline?.toISOString() ?? null}::timestamptz,
            ${at}::timestamptz, ${at}::timestamptz)
          RETURNING id`),
      );
      id = row!.id;
    }
    if (input.submit) {
      // An unassigned item: the first inspector to submit becomes its inspector.
      await tx.execute(sql`UPDATE qa_items SET
          inspector_id = coalesce(inspector_id, ${actor.userId}::uuid),
          status = CASE WHEN coalesce(inspector_id, ${actor.userId}::uuid) = ${actor.userId}::uuid
                        THEN 'scored' ELSE status END
        WHERE id = ${itemId}::uuid`);
      await recordTrainingNeeds(tx, ctx, item.agent.id, settings);
    }
    await recordAudit(tx, ctx, {
      action: input.submit ? 'qa_evaluation.submit' : 'qa_evaluation.save',
      targetType: 'qa_evaluation',
      targetId: id,
      after: {
        itemId,
        scorecardVersion: scorecard.version,
        scores: input.scores,
        total: result?.total ?? null,
      },
    });
    const [saved] = rowsOf<EvalRow>(await tx.execute(sql`${evalSelect} WHERE e.id = ${id}::uuid`));
    return presentEvaluation(saved!);
  });
}

/**
 * Repeated failures: an agent's official evaluations submitted in the last `trainingWeeks` weeks
 * that failed a criterion `trainingFailures` times or more open a training need (one open per
 * agent and criterion).
 */
async function recordTrainingNeeds(
  tx: Executor,
  ctx: AuditContext,
  agentId: string,
  settings: { trainingFailures: number; trainingWeeks: number },
) {
  const since = new Date(ctx.at.getTime() - settings.trainingWeeks * 7 * 86_400_000).toISOString();
  const rows = rowsOf<{ key: string; n: string | number }>(
    await tx.execute(sql`SELECT f.key, count(*) AS n
      FROM qa_evaluations e JOIN qa_items q ON q.id = e.item_id
      CROSS JOIN LATERAL unnest(e.failed_criteria) AS f(key)
      WHERE q.agent_id = ${agentId}::uuid AND e.status = 'submitted'
        AND (q.inspector_id IS NULL OR q.inspector_id = e.inspector_id)
        AND e.submitted_at >= ${since}::timestamptz
      GROUP BY f.key HAVING count(*) >= ${settings.trainingFailures}`),
  );
  for (const r of rows) {
    const created = rowsOf<{ id: string }>(
      await tx.execute(sql`INSERT INTO qa_training_needs (agent_id, criterion_key, failures, created_at)
        VALUES (${agentId}::uuid, ${r.key}, ${Number(r.n)}, ${ctx.at.toISOString()}::timestamptz)
        ON CONFLICT (agent_id, criterion_key) WHERE status = 'open' DO NOTHING RETURNING id`),
    );
    if (created[0])
      await recordAudit(tx, ctx, {
        action: 'qa_training_need.open',
        targetType: 'qa_training_need',
        targetId: created[0].id,
        after: { agentId, criterion: r.key, failures: Number(r.n) },
      });
  }
}
