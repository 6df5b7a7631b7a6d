import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { HttpProblem } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { createSession } from '../auth/sessions.js';
import { insertUser } from '../users/service.js';

const SETUP_LOCK = 4_200_018;

export async function needsSetup(ex: Executor): Promise<boolean> {
  const [row] = await ex.select({ n: sql<number>`count(*)::int` }).from(users);
  return (row?.n ?? 0) === 0;
}

/** First run: creates the first administrator, once, even if two browsers race. */
export async function setUpFirstAdmin(
  db: Db,
  config: Config,
  ctx: AuditContext,
  input: { name: string; email: string; password: string; locale: 'zh-CN' | 'en-US' },
) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`);
    if (!(await needsSetup(tx))) {
      throw new HttpProblem({
        status: 409,
        code: 'setup_done',
        detail: 'Kefu is already set up; sign in instead.',
      });
    }
    const user = await insertUser(tx, ctx, { ...input, roles: ['admin'], teamIds: [] });
    const session = await createSession(tx, user.id, ctx.at, config.KEFU_SESSION_TTL_HOURS, ctx);
    return { user, session };
  });
}
