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
 * user while active, else the longest-standing active administrator; null if neither exists.
 */
export async function portalIntakeUser(ex: Executor, s: PortalSettings): Promise<string | null> {
  if (s.intakeUserId) {
    const [u] = await ex
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, s.intakeUserId), eq(users.active, true)));
    if (u) return u.id;
  }
  const [admin] = await ex
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.active, true), sql`'admin' = ANY(${users.roles})`))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  return admin?.id ?? null;
}
