import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { portalSettings, users } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';

/** The portal's settings row (defaults from the brief, changed by an administrator). */
export interface PortalSettings {
  codeTtlMinutes: number;
  codeMaxAttempts: number;
  sessionTtlHours: number;
  intakeUserId: string | null;
}

export async function getPortalSettings(ex: Executor): Promise<PortalSettings> {
  const [row] = await ex.select().from(portalSettings).where(eq(portalSettings.id, true));
  if (!row) throw new Error('portal_settings row missing (migration 0006 seeds it)');
  return {
    codeTtlMinutes: row.codeTtlMinutes,
    codeMaxAttempts: row.codeMaxAttempts,
    sessionTtlHours: row.sessionTtlHours,
    intakeUserId: row.intakeUserId,
  };
}

const INTAKE_ROLES = ['agent', 'supervisor', 'admin'];

async function requireIntakeUser(ex: Executor, id: string) {
  const [u] = await ex
    .select({ id: users.id, active: users.active, roles: users.roles })
    .from(users)
    .where(eq(users.id, id));
  if (!u) throw problems.notFound('User', 'intakeUserId');
  if (!u.active || !u.roles.some((r) => INTAKE_ROLES.includes(r)))
    throw problems.invalid([
      {
        path: 'intakeUserId',
        message: 'must be an active agent, supervisor or administrator',
        code: 'unsuitable_user',
      },
    ]);
}

export async function updatePortalSettings(
  ex: Executor,
  ctx: AuditContext,
  patch: Partial<PortalSettings>,
): Promise<PortalSettings> {
  if (patch.intakeUserId) await requireIntakeUser(ex, patch.intakeUserId);
  const before = await getPortalSettings(ex);
  await ex
    .update(portalSettings)
    .set({ ...patch, updatedAt: ctx.at })
    .where(eq(portalSettings.id, true));
  const after = { ...before, ...patch };
  await recordAudit(ex, ctx, {
    action: 'portal_settings.update',
    targetType: 'portal_settings',
    targetId: 'workspace',
    before: { ...before },
    after: { ...after },
  });
  return after;
}

/**
 * The receiving agent (and first-contact owner) of a portal request: the configured intake
 * user while active; while none is set, the front line picks it up — the active agent owning
 * the fewest open tickets (longest-standing first on a tie), else such a supervisor. Never an
 * administrator just for being one; null when nobody works tickets.
 */
export async function portalIntakeUser(ex: Executor, s: PortalSettings): Promise<string | null> {
  if (s.intakeUserId) {
    const [u] = await ex
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, s.intakeUserId), eq(users.active, true)));
    if (u) return u.id;
  }
  for (const role of ['agent', 'supervisor'] as const) {
    const [u] = await ex
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.active, true), sql`${role} = ANY(${users.roles})`))
      .orderBy(
        sql`(SELECT count(*) FROM tickets t WHERE t.owner_id = ${users.id}
              AND t.status NOT IN ('resolved', 'closed', 'archived'))`,
        asc(users.createdAt),
        asc(users.id),
      )
      .limit(1);
    if (u) return u.id;
  }
  return null;
}
