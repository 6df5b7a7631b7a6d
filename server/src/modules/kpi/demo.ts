/**
 * Demo data of the KPI page (KEFU_DEMO): the monthly satisfaction campaign (SPEC chapter 6) of
 * the month two months before the current one (the surveys demo holds last month's), answered by
 * the demo customers — one answer per customer and month, as a real campaign asks. Half of them
 * count for 李小红 with 100 points (five stars) — with every KPI that has a value met and the best
 * CSAT, a Service Star; half for Chen Wei with 80 (four stars) — below the 90-point target (and
 * below any CSAT floor an administrator sets above 80: a written warning). Campaign answers name
 * no ticket, so the demo queues are unchanged. Written once per workspace.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { localDateOf } from '../sla/rules/calendar.js';
import { addMonths } from './rules/assessment.js';
import { monthRange } from './rules/schedule.js';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

export async function seedDemoKpi(ex: Executor, now: Date): Promise<void> {
  const month = addMonths(localDateOf(now.getTime(), TZ).slice(0, 7), -2);
  const periodMonth = `${month}-01`;
  const [done] = rowsOf(
    await ex.execute(
      sql`SELECT 1 FROM survey_campaigns WHERE period_month = ${periodMonth}::date LIMIT 1`,
    ),
  );
  if (done) return;
  const people = rowsOf<{ id: string; email: string; team_id: string | null }>(
    await ex.execute(sql`SELECT u.id, u.email, min(tm.team_id::text) AS team_id
      FROM users u LEFT JOIN team_members tm ON tm.user_id = u.id
      WHERE u.email IN ('agent@kefu.demo', 'agent2@kefu.demo') GROUP BY u.id, u.email
      ORDER BY u.email`),
  );
  const customers = rowsOf<{ id: string }>(
    await ex.execute(sql`SELECT id FROM customers ORDER BY created_at, id LIMIT 8`),
  );
  const [template] = rowsOf<{ id: string; version: number }>(
    await ex.execute(sql`SELECT t.id, t.version FROM survey_settings s
      JOIN survey_templates t ON t.id = s.template_id`),
  );
  if (people.length < 2 || customers.length < 2 || !template) return;
  const start = monthRange(month, TZ).from.getTime() + 3 * DAY;
  const [campaign] = rowsOf<{ id: string }>(
    await ex.execute(sql`INSERT INTO survey_campaigns (period_month, template_id,
        template_version, created_at, last_run_at)
      VALUES (${periodMonth}::date, ${template.id}::uuid, ${template.version},
        ${new Date(start).toISOString()}::timestamptz, ${new Date(start).toISOString()}::timestamptz)
      RETURNING id`),
  );
  for (const [i, customer] of customers.entries()) {
    const p = people[i % people.length]!;
    const stars = p.email === 'agent@kefu.demo' ? 5 : 4;
    const score = stars * 20;
    const sent = new Date(start + i * DAY).toISOString();
    const answered = new Date(start + i * DAY + 3_600_000).toISOString();
    const answers = JSON.stringify({ solved: true, attitude: stars, overall: stars });
    await ex.execute(sql`INSERT INTO survey_responses (kind, customer_id, agent_id, team_id,
        period_month, sent_at, answered_at, solved, score100, campaign_id, template_id,
        template_version, channels, answers, answered_via, created_at, updated_at)
      VALUES ('campaign', ${customer.id}::uuid, ${p.id}::uuid, ${p.team_id}::uuid,
        ${periodMonth}::date, ${sent}::timestamptz, ${answered}::timestamptz, true, ${score},
        ${campaign!.id}::uuid, ${template.id}::uuid, ${template.version}, '{email}',
        ${answers}::jsonb, 'email', ${sent}::timestamptz, ${answered}::timestamptz)`);
  }
}
