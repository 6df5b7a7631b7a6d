/**
 * Results and appeals: an agent reads their submitted evaluations and may appeal one until its
 * deadline (N working days); a supervisor of the agent's team (or an administrator) upholds it
 * with a revised total or rejects it. The evaluation itself is never changed: both are kept.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { evalSelect, presentEvaluation, type Evaluation } from './items.js';
import { canSeeAgent, isAdmin } from './policy.js';
import { canAppeal } from './rules/appeal.js';

export interface Appeal {
  id: string;
  evaluationId: string;
  agent: { id: string; name: string };
  reason: string;
  status: 'pending' | 'upheld' | 'rejected';
  revisedTotal: number | null;
  decisionNote: string | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  createdAt: string;
}

interface AppealRow {
  id: string;
  evaluation_id: string;
  agent_id: string;
  agent_name: string;
  reason: string;
  status: Appeal['status'];
  revised_total: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | Date | null;
  created_at: string | Date;
}

const presentAppeal = (r: AppealRow): Appeal => ({
  id: r.id,
  evaluationId: r.evaluation_id,
  agent: { id: r.agent_id, name: r.agent_name },
  reason: r.reason,
  status: r.status,
  revisedTotal: r.revised_total === null ? null : Number(r.revised_total),
  decisionNote: r.decision_note,
  decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});

const appealSelect = sql`SELECT a.*, u.name AS agent_name FROM qa_appeals a JOIN users u ON u.id = a.agent_id`;

export interface Result {
  evaluation: Evaluation;
  ticketNumber: string;
  subject: string;
  weekStart: string;
  criteria: {
    key: string;
    label: string;
    labelEn?: string;
    weight: number;
    scale: number;
    critical: boolean;
  }[];
  appeal: Appeal | null;
  canAppeal: boolean;
  finalTotal: number;
}

/** The signed-in agent's submitted (official) evaluations, newest first. */
export async function myResults(ex: Executor, actor: Actor, now: Date): Promise<Result[]> {
  const rows = rowsOf<
    Parameters<typeof presentEvaluation>[0] & {
      number: string;
      subject: string;
      week_start: string | Date;
      criteria: Result['criteria'];
    }
  >(
    await ex.execute(sql`SELECT x.*, t.number, t.subject, qi.week_start, v.criteria FROM (${evalSelect}
        WHERE q.agent_id = ${actor.userId}::uuid AND e.status = 'submitted'
          AND (q.inspector_id IS NULL OR q.inspector_id = e.inspector_id)) x
      JOIN qa_items qi ON qi.id = x.item_id
      JOIN tickets t ON t.id = qi.ticket_id
      JOIN qa_scorecard_versions v ON v.version = x.scorecard_version
      ORDER BY x.submitted_at DESC LIMIT 200`),
  );
  const appeals = rowsOf<AppealRow>(
    await ex.execute(sql`${appealSelect} WHERE a.agent_id = ${actor.userId}::uuid`),
  ).map(presentAppeal);
  return rows.map((r) => {
    const evaluation = presentEvaluation(r);
    const appeal = appeals.find((a) => a.evaluationId === evaluation.id) ?? null;
    return {
      evaluation,
      ticketNumber: r.number,
      subject: r.subject,
      weekStart:
        typeof r.week_start === 'string'
          ? r.week_start.slice(0, 10)
          : r.week_start.toISOString().slice(0, 10),
      criteria: r.criteria,
      appeal,
      canAppeal:
        !appeal &&
        evaluation.appealDeadline !== null &&
        canAppeal(now.getTime(), Date.parse(evaluation.appealDeadline)),
      finalTotal:
        appeal?.status === 'upheld' && appeal.revisedTotal !== null
          ? appeal.revisedTotal
          : (evaluation.total ?? 0),
    };
  });
}

export async function fileAppeal(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  evaluationId: string,
  reason: string,
): Promise<Appeal> {
  try {
    return await db.transaction(async (tx) => {
      const [e] = rowsOf<{
        agent_id: string;
        status: string;
        appeal_deadline: string | Date | null;
        official: boolean;
      }>(
        await tx.execute(sql`SELECT q.agent_id, e.status, e.appeal_deadline,
            (q.inspector_id IS NULL OR q.inspector_id = e.inspector_id) AS official
          FROM qa_evaluations e JOIN qa_items q ON q.id = e.item_id WHERE e.id = ${evaluationId}::uuid`),
      );
      if (!e || e.agent_id !== actor.userId || e.status !== 'submitted' || !e.official)
        throw problems.notFound('Evaluation');
      if (!e.appeal_deadline || !canAppeal(ctx.at.getTime(), new Date(e.appeal_deadline).getTime()))
        throw new HttpProblem({
          status: 422,
          code: 'appeal_window_closed',
          detail: 'The appeal window of this evaluation has closed.',
          errors: [
            {
              path: 'evaluationId',
              message: 'the appeal deadline has passed',
              code: 'appeal_window_closed',
            },
          ],
        });
      const [row] = rowsOf<{ id: string }>(
        await tx.execute(sql`INSERT INTO qa_appeals (evaluation_id, agent_id, reason, created_at)
          VALUES (${evaluationId}::uuid, ${actor.userId}::uuid, ${reason}, ${ctx.at.toISOString()}::timestamptz)
          RETURNING id`),
      );
      await recordAudit(tx, ctx, {
        action: 'qa_appeal.file',
        targetType: 'qa_appeal',
        targetId: row!.id,
        after: { evaluationId },
      });
      return (await appealById(tx, row!.id))!;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.conflict('already_appealed', 'This evaluation was already appealed.');
    throw err;
  }
}

async function appealById(ex: Executor, id: string): Promise<Appeal | null> {
  const [row] = rowsOf<AppealRow>(await ex.execute(sql`${appealSelect} WHERE a.id = ${id}::uuid`));
  return row ? presentAppeal(row) : null;
}

async function teamsOf(ex: Executor, userId: string): Promise<string[]> {
  return rowsOf<{ team_id: string }>(
    await ex.execute(sql`SELECT team_id FROM team_members WHERE user_id = ${userId}::uuid`),
  ).map((r) => r.team_id);
}

export interface AppealView extends Appeal {
  evaluation: Evaluation;
  ticketNumber: string;
}

/** Appeals a supervisor (their teams' agents) or an administrator may decide, pending first. */
export async function listAppeals(
  ex: Executor,
  actor: Actor,
  status?: Appeal['status'],
): Promise<AppealView[]> {
  const rows = rowsOf<AppealRow & { team_ids: string[] | null }>(
    await ex.execute(sql`${appealSelect}
      WHERE (${status ?? null}::text IS NULL OR a.status = ${status ?? null}::text)
      ORDER BY (a.status <> 'pending'), a.created_at LIMIT 500`),
  );
  const out: AppealView[] = [];
  for (const r of rows) {
    if (r.agent_id === actor.userId) continue;
    if (
      !isAdmin(actor) &&
      !canSeeAgent({ ...actor, roles: ['supervisor'] }, r.agent_id, await teamsOf(ex, r.agent_id))
    )
      continue;
    const [e] = rowsOf<Parameters<typeof presentEvaluation>[0] & { number: string }>(
      await ex.execute(sql`SELECT x.*, t.number FROM (${evalSelect} WHERE e.id = ${r.evaluation_id}::uuid) x
        JOIN qa_items qi ON qi.id = x.item_id JOIN tickets t ON t.id = qi.ticket_id`),
    );
    out.push({ ...presentAppeal(r), evaluation: presentEvaluation(e!), ticketNumber: e!.number });
  }
  return out;
}

export async function decideAppeal(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  input: { decision: 'upheld' | 'rejected'; revisedTotal?: number | undefined; note: string },
): Promise<Appeal> {
  if (input.decision === 'upheld' && input.revisedTotal === undefined)
    throw problems.invalid([
      { path: 'revisedTotal', message: 'is required when the appeal is upheld' },
    ]);
  return db.transaction(async (tx) => {
    const [row] = rowsOf<AppealRow>(
      await tx.execute(sql`${appealSelect} WHERE a.id = ${id}::uuid FOR UPDATE OF a`),
    );
    if (
      !row ||
      row.agent_id === actor.userId ||
      (!isAdmin(actor) &&
        !canSeeAgent(
          { ...actor, roles: ['supervisor'] },
          row.agent_id,
          await teamsOf(tx, row.agent_id),
        ))
    )
      throw problems.notFound('Appeal');
    if (row.status !== 'pending')
      throw problems.conflict('appeal_decided', 'This appeal was already decided.');
    const revised = input.decision === 'upheld' ? (input.revisedTotal ?? null) : null;
    await tx.execute(sql`UPDATE qa_appeals SET status = ${input.decision}, revised_total = ${revised},
        decision_note = ${input.note}, decided_by = ${actor.userId}::uuid, decided_by_name = ${actor.name},
        decided_at = ${ctx.at.toISOString()}::timestamptz
      WHERE id = ${id}::uuid`);
    await recordAudit(tx, ctx, {
      action: 'qa_appeal.decide',
      targetType: 'qa_appeal',
      targetId: id,
      before: { status: 'pending' },
      after: { status: input.decision, revisedTotal: revised, note: input.note },
    });
    return (await appealById(tx, id))!;
  });
}
