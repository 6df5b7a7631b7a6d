/**
 * Demo data of the KPI page (KEFU_DEMO): the monthly satisfaction campaign (SPEC chapter 6) of
 * the two months before the current one, answered by customers of the demo agents. 李小红 gets
 * 96 points — with every KPI that has a value met and the best CSAT, a Service Star; Chen Wei
 * gets 85 — below the 90-point target (and below any CSAT floor an administrator sets above 85:
 * a written warning). Campaign answers name no ticket, so the demo queues are unchanged. Written
 * once per workspace.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { localDateOf } from '../sla/rules/calendar.js';
import { addMonths } from './rules/assessment.js';
import { monthRange } from './rules/schedule.js';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

export async function seedDemoKpi(ex: Executor, now: Date): Promise<void> {
  const [done] = rowsOf(
    await ex.execute(sql`SELECT 1 FROM survey_responses WHERE kind = 'campaign' LIMIT 1`),
  );
  if (done) return;
  const people = rowsOf<{ id: string; email: string; team_id: string | null }>(
    await ex.execute(sql`SELECT u.id, u.email, min(tm.team_id::text) AS team_id
      FROM users u LEFT JOIN team_members tm ON tm.user_id = u.id
      WHERE u.email IN ('agent@kefu.demo', 'agent2@kefu.demo') GROUP BY u.id, u.email`),
  );
  const customers = rowsOf<{ id: string }>(
    await ex.execute(sql`SELECT id FROM customers ORDER BY created_at, id LIMIT 8`),
  );
  if (people.length < 2 || customers.length === 0) return;
  const current = localDateOf(now.getTime(), TZ).slice(0, 7);
  for (const month of [addMonths(current, -2), addMonths(current, -1)]) {
    const start = monthRange(month, TZ).from.getTime() + 3 * DAY;
    for (const p of people) {
      const score = p.email === 'agent@kefu.demo' ? 96 : 85;
      for (let i = 0; i < 8; i++) {
        const sent = new Date(start + i * DAY).toISOString();
        const answered = new Date(start + i * DAY + 3_600_000).toISOString();
        await ex.execute(sql`INSERT INTO survey_responses (kind, customer_id, agent_id, team_id,
            period_month, sent_at, answered_at, solved, score100, created_at, updated_at)
          VALUES ('campaign', ${customers[i % customers.length]!.id}::uuid, ${p.id}::uuid,
            ${p.team_id}::uuid, ${`${month}-01`}::date, ${sent}::timestamptz,
            ${answered}::timestamptz, true, ${score}, ${sent}::timestamptz,
            ${answered}::timestamptz)`);
      }
    }
  }
}
