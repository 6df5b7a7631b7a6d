import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { portalSettings, users } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { ACTIVE_STATUSES_SQL } from '../tickets/rules/vocabulary.js';
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

/** Who receives a portal request, chat or mail: enough to act as them. */
export interface IntakeUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
}

/**
 * The front line's pick for one role: the active holder owning the fewest open tickets, counted
 * on the partial index of active tickets by owner (0008), not every ticket they ever owned.
 */
const leastBusy = (role: 'agent' | 'supervisor') =>
  sql`(SELECT a.id FROM users a WHERE a.active AND ${role} = ANY(a.roles)
        ORDER BY (SELECT count(*) FROM tickets t WHERE t.owner_id = a.id
                    AND t.status IN ${sql.raw(ACTIVE_STATUSES_SQL)}),
                 a.created_at, a.id
        LIMIT 1)`;

/**
 * The receiving agent (and first-contact owner) of a portal request: the configured intake
 * user while active; while none is set, the front line picks it up — the active agent owning
 * the fewest open tickets (longest-standing first on a tie), else such a supervisor. Never an
 * administrator just for being one; null when nobody works tickets. One statement: COALESCE
 * evaluates only the arms it needs, so the busy-count runs only without an active intake user.
 */
export async function portalIntakeUser(ex: Executor): Promise<IntakeUser | null> {
  const [u] = await ex
    .select({ id: users.id, name: users.name, email: users.email, roles: users.roles })
    .from(users)
    .where(
      sql`${users.id} = coalesce(
        (SELECT iu.id FROM portal_settings s JOIN users iu ON iu.id = s.intake_user_id
          WHERE s.id AND iu.active),
        ${leastBusy('agent')},
        ${leastBusy('supervisor')})`,
    );
  return u ?? null;
}
