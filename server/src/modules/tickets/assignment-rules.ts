import { asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { customers, teams, ticketAssignmentRules } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { saveTicket, SYSTEM, type TicketRow } from './access.js';
import { notifyTicketUsers } from './notifications.js';
import { firstMatchingRule, pickByStrategy, type Strategy } from './rules/assignment-rules.js';
import { ACTIVE_STATUSES_SQL } from './rules/vocabulary.js';
import { appendEvent } from './timeline.js';

type Row = typeof ticketAssignmentRules.$inferSelect;

export interface AssignmentRuleView {
  id: string;
  name: string;
  position: number;
  active: boolean;
  categories: string[];
  channels: string[];
  customerTiers: string[];
  keywords: string[];
  team: { id: string; name: string };
  strategy: Strategy;
}

export interface AssignmentRuleInput {
  name: string;
  active: boolean;
  categories: string[];
  channels: string[];
  customerTiers: string[];
  keywords: string[];
  teamId: string;
  strategy: Strategy;
}

const uniq = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];

async function presentRules(ex: Executor, rows: Row[]): Promise<AssignmentRuleView[]> {
  const teamIds = [...new Set(rows.map((r) => r.teamId))];
  const names = teamIds.length
    ? await ex
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(inArray(teams.id, teamIds))
    : [];
  const teamName = new Map(names.map((t) => [t.id, t.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    position: r.position,
    active: r.active,
    categories: r.categories,
    channels: r.channels,
    customerTiers: r.customerTiers,
    keywords: r.keywords,
    team: { id: r.teamId, name: teamName.get(r.teamId) ?? '' },
    strategy: r.strategy as Strategy,
  }));
}

const ordered = (ex: Executor) =>
  ex
    .select()
    .from(ticketAssignmentRules)
    .orderBy(asc(ticketAssignmentRules.position), asc(ticketAssignmentRules.createdAt));

export async function listAssignmentRules(ex: Executor) {
  return presentRules(ex, await ordered(ex));
}

async function requireTeam(ex: Executor, id: string) {
  const [t] = await ex.select({ id: teams.id }).from(teams).where(eq(teams.id, id));
  if (!t) throw problems.notFound('Team', 'teamId');
}

const snapshot = (v: AssignmentRuleView) => ({ ...v, team: v.team.id });

export function createAssignmentRule(db: Db, ctx: AuditContext, input: AssignmentRuleInput) {
  return db.transaction(async (tx) => {
    await requireTeam(tx, input.teamId);
    const [last] = await tx
      .select({ max: sql<number | null>`max(${ticketAssignmentRules.position})` })
      .from(ticketAssignmentRules);
    const [row] = await tx
      .insert(ticketAssignmentRules)
      .values({
        ...input,
        categories: uniq(input.categories),
        channels: uniq(input.channels),
        customerTiers: uniq(input.customerTiers),
        keywords: uniq(input.keywords),
        position: (last?.max ?? -1) + 1,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning();
    const [view] = await presentRules(tx, [row!]);
    await recordAudit(tx, ctx, {
      action: 'ticket_assignment_rule.create',
      targetType: 'ticket_assignment_rule',
      targetId: row!.id,
      before: null,
      after: snapshot(view!),
    });
    return view!;
  });
}

async function lockRule(tx: Executor, id: string) {
  const [row] = await tx
    .select()
    .from(ticketAssignmentRules)
    .where(eq(ticketAssignmentRules.id, id))
    .for('update');
  if (!row) throw problems.notFound('Assignment rule', 'id');
  return row;
}

export function updateAssignmentRule(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: Partial<AssignmentRuleInput>,
) {
  return db.transaction(async (tx) => {
    const before = await lockRule(tx, id);
    if (patch.teamId) await requireTeam(tx, patch.teamId);
    const [row] = await tx
      .update(ticketAssignmentRules)
      .set({
        ...patch,
        ...(patch.categories && { categories: uniq(patch.categories) }),
        ...(patch.channels && { channels: uniq(patch.channels) }),
        ...(patch.customerTiers && { customerTiers: uniq(patch.customerTiers) }),
        ...(patch.keywords && { keywords: uniq(patch.keywords) }),
        updatedAt: ctx.at,
      })
      .where(eq(ticketAssignmentRules.id, id))
      .returning();
    const [was, view] = await presentRules(tx, [before, row!]);
    await recordAudit(tx, ctx, {
      action: 'ticket_assignment_rule.update',
      targetType: 'ticket_assignment_rule',
      targetId: id,
      before: snapshot(was!),
      after: snapshot(view!),
    });
    return view!;
  });
}

export function deleteAssignmentRule(db: Db, ctx: AuditContext, id: string) {
  return db.transaction(async (tx) => {
    const before = await lockRule(tx, id);
    await tx.delete(ticketAssignmentRules).where(eq(ticketAssignmentRules.id, id));
    const [was] = await presentRules(tx, [before]);
    await recordAudit(tx, ctx, {
      action: 'ticket_assignment_rule.delete',
      targetType: 'ticket_assignment_rule',
      targetId: id,
      before: snapshot(was!),
      after: null,
    });
  });
}

/** Re-orders the whole list: `ids` must name every rule exactly once. */
export function reorderAssignmentRules(db: Db, ctx: AuditContext, ids: string[]) {
  return db.transaction(async (tx) => {
    // Lock the list so two concurrent re-orderings apply one after the other.
    const rows = await tx
      .select()
      .from(ticketAssignmentRules)
      .orderBy(asc(ticketAssignmentRules.position), asc(ticketAssignmentRules.createdAt))
      .for('update');
    const known = new Set(rows.map((r) => r.id));
    const given = new Set(ids);
    if (given.size !== ids.length || given.size !== known.size || ids.some((i) => !known.has(i)))
      throw problems.invalid([
        {
          path: 'ids',
          code: 'not_a_permutation',
          message: 'name every assignment rule exactly once',
        },
      ]);
    for (const [position, id] of ids.entries())
      await tx
        .update(ticketAssignmentRules)
        .set({ position, updatedAt: ctx.at })
        .where(eq(ticketAssignmentRules.id, id));
    await recordAudit(tx, ctx, {
      action: 'ticket_assignment_rule.reorder',
      targetType: 'ticket_assignment_rule',
      targetId: null,
      before: { order: rows.map((r) => r.id) },
      after: { order: ids },
    });
    return listAssignmentRules(tx);
  });
}

/** Active members of a team who work tickets, with their load and last assignment. */
async function teamCandidates(tx: Executor, teamId: string) {
  const rows = rowsOf<{
    id: string;
    name: string;
    load: number;
    last_assigned_at: Date | string | null;
  }>(
    await tx.execute(sql`
      SELECT u.id, u.name,
             (SELECT count(*)::int FROM tickets t
               WHERE t.handler_id = u.id AND t.status IN ${sql.raw(ACTIVE_STATUSES_SQL)}) AS load,
             (SELECT max(e.at) FROM ticket_events e
               WHERE e.kind = 'assignment' AND e.data->'handler'->'to'->>'id' = u.id::text)
               AS last_assigned_at
        FROM team_members m JOIN users u ON u.id = m.user_id
       WHERE m.team_id = ${teamId} AND u.active
         AND u.roles && ARRAY['agent', 'supervisor', 'specialist', 'admin']::text[]`),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    load: Number(r.load),
    lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
  }));
}

/**
 * SPEC 2: an L2 ticket without a team goes to the team of the first matching assignment rule,
 * and to a member picked by the rule's strategy (team only when nobody there works tickets).
 * The timeline names the rule. Runs in the caller's transaction on a locked or new row.
 */
export async function assignByRules(
  tx: Executor,
  ctx: AuditContext,
  row: TicketRow,
): Promise<TicketRow> {
  if (row.tier !== 'L2' || row.teamId) return row;
  const rules = await ordered(tx);
  if (!rules.some((r) => r.active)) return row;
  const [customer] = await tx
    .select({ tier: customers.tier })
    .from(customers)
    .where(eq(customers.id, row.customerId));
  const rule = firstMatchingRule(rules, {
    category: row.category,
    channel: row.channel,
    customerTier: customer?.tier ?? 'regular',
    subject: row.subject,
    description: row.description,
  });
  if (!rule) return row;
  const [team] = await tx
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.id, rule.teamId));
  if (!team) return row;
  const candidates = await teamCandidates(tx, team.id);
  const picked = row.handlerId
    ? null
    : (pickByStrategy(rule.strategy as Strategy, candidates)?.id ?? null);
  const handler = picked ? candidates.find((c) => c.id === picked)! : null;
  const saved = await saveTicket(
    tx,
    row,
    { teamId: team.id, ...(handler && { handlerId: handler.id }) },
    ctx.at,
  );
  await appendEvent(tx, row.id, ctx, SYSTEM, {
    kind: 'assignment',
    data: {
      team: { from: null, to: team },
      ...(handler && { handler: { from: null, to: { id: handler.id, name: handler.name } } }),
      rule: { id: rule.id, name: rule.name, strategy: rule.strategy },
    },
  });
  if (handler) await notifyTicketUsers(tx, ctx, 'ticket.assigned', saved, [handler.id]);
  await recordAudit(tx, ctx, {
    action: 'ticket.assign',
    targetType: 'ticket',
    targetId: row.id,
    before: { teamId: row.teamId, handlerId: row.handlerId },
    after: { teamId: saved.teamId, handlerId: saved.handlerId, ruleId: rule.id },
  });
  return saved;
}

/** GET /teams/:id/members: who in a team can take tickets (ids and names only). */
export async function listTeamWorkers(ex: Executor, teamId: string) {
  const [team] = await ex.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw problems.notFound('Team', 'id');
  const rows = await teamCandidates(ex, teamId);
  return rows
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
}
