import { and, asc, count, eq, inArray, or } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { teamMembers, teams, ticketSavedViews, users } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { isLead } from './policy.js';

/** Per-user cap, so the console's menu stays a menu. */
export const MAX_VIEWS_PER_USER = 50;

type Row = typeof ticketSavedViews.$inferSelect;

export interface SavedViewView {
  id: string;
  name: string;
  search: string;
  owner: { id: string; name: string };
  team: { id: string; name: string } | null;
  mine: boolean;
  updatedAt: string;
}

export interface SavedViewInput {
  name: string;
  search: string;
  teamId?: string | null;
}

async function present(ex: Executor, rows: Row[], actor: Actor): Promise<SavedViewView[]> {
  if (rows.length === 0) return [];
  const ownerIds = [...new Set(rows.map((r) => r.ownerId))];
  const teamIds = [...new Set(rows.map((r) => r.teamId).filter((x): x is string => !!x))];
  // Sequential: `ex` may be a transaction (one connection).
  const owners = await ex
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, ownerIds));
  const teamRows = teamIds.length
    ? await ex
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(inArray(teams.id, teamIds))
    : [];
  const owner = new Map(owners.map((o) => [o.id, o.name]));
  const team = new Map(teamRows.map((t) => [t.id, t.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    search: r.search,
    owner: { id: r.ownerId, name: owner.get(r.ownerId) ?? '' },
    team: r.teamId ? { id: r.teamId, name: team.get(r.teamId) ?? '' } : null,
    mine: r.ownerId === actor.userId,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

const visible = (actor: Actor) =>
  or(
    eq(ticketSavedViews.ownerId, actor.userId),
    actor.teamIds.length ? inArray(ticketSavedViews.teamId, actor.teamIds) : undefined,
  );

/** The caller's own views, then views shared with their teams. */
export async function listSavedViews(ex: Executor, actor: Actor) {
  const rows = await ex
    .select()
    .from(ticketSavedViews)
    .where(visible(actor))
    .orderBy(asc(ticketSavedViews.name), asc(ticketSavedViews.id));
  const views = await present(ex, rows, actor);
  return [...views.filter((v) => v.mine), ...views.filter((v) => !v.mine)];
}

/** Sharing with a team: supervisors of that team (administrators: any team). */
async function checkShare(ex: Executor, actor: Actor, teamId: string) {
  if (!isLead(actor))
    throw problems.forbidden('Only a supervisor shares a saved view with a team.');
  const [team] = await ex.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw problems.notFound('Team', 'teamId');
  if (actor.roles.includes('admin')) return;
  const [member] = await ex
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, actor.userId)));
  if (!member)
    throw problems.invalid([
      { path: 'teamId', code: 'not_member', message: 'share only with a team you belong to' },
    ]);
}

const nameTaken = (err: unknown): never => {
  if (isUniqueViolation(err))
    throw problems.conflict('view_name_taken', 'You already have a view with this name.', [
      { path: 'name', message: 'already in use', code: 'taken' },
    ]);
  throw err;
};

const snapshot = (r: Row) => ({ name: r.name, search: r.search, teamId: r.teamId });

export function createSavedView(db: Db, ctx: AuditContext, actor: Actor, input: SavedViewInput) {
  return db.transaction(async (tx) => {
    if (input.teamId) await checkShare(tx, actor, input.teamId);
    const [mine] = await tx
      .select({ n: count() })
      .from(ticketSavedViews)
      .where(eq(ticketSavedViews.ownerId, actor.userId));
    if ((mine?.n ?? 0) >= MAX_VIEWS_PER_USER)
      throw problems.invalid([
        {
          path: 'name',
          code: 'too_many',
          message: `at most ${MAX_VIEWS_PER_USER} saved views per person`,
        },
      ]);
    const [row] = await tx
      .insert(ticketSavedViews)
      .values({
        ownerId: actor.userId,
        name: input.name,
        search: input.search,
        teamId: input.teamId ?? null,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning()
      .catch(nameTaken);
    await recordAudit(tx, ctx, {
      action: 'ticket_view.create',
      targetType: 'ticket_view',
      targetId: row!.id,
      before: null,
      after: snapshot(row!),
    });
    return (await present(tx, [row!], actor))[0]!;
  });
}

/** A view the caller may change: their own (404 when invisible, 403 when someone else's). */
async function lockOwnView(tx: Executor, actor: Actor, id: string) {
  const [row] = await tx
    .select()
    .from(ticketSavedViews)
    .where(and(eq(ticketSavedViews.id, id), visible(actor)))
    .for('update');
  if (!row) throw problems.notFound('Saved view', 'id');
  if (row.ownerId !== actor.userId)
    throw problems.forbidden('Only the person who saved a view changes or deletes it.');
  return row;
}

export function updateSavedView(
  db: Db,
  ctx: AuditContext,
  actor: Actor,
  id: string,
  patch: Partial<SavedViewInput>,
) {
  return db.transaction(async (tx) => {
    const before = await lockOwnView(tx, actor, id);
    if (patch.teamId && patch.teamId !== before.teamId) await checkShare(tx, actor, patch.teamId);
    const [row] = await tx
      .update(ticketSavedViews)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.search !== undefined && { search: patch.search }),
        ...(patch.teamId !== undefined && { teamId: patch.teamId }),
        updatedAt: ctx.at,
      })
      .where(eq(ticketSavedViews.id, id))
      .returning()
      .catch(nameTaken);
    await recordAudit(tx, ctx, {
      action: 'ticket_view.update',
      targetType: 'ticket_view',
      targetId: id,
      before: snapshot(before),
      after: snapshot(row!),
    });
    return (await present(tx, [row!], actor))[0]!;
  });
}

export function deleteSavedView(db: Db, ctx: AuditContext, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const before = await lockOwnView(tx, actor, id);
    await tx.delete(ticketSavedViews).where(eq(ticketSavedViews.id, id));
    await recordAudit(tx, ctx, {
      action: 'ticket_view.delete',
      targetType: 'ticket_view',
      targetId: id,
      before: snapshot(before),
      after: null,
    });
  });
}
