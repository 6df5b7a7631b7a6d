import { sql } from 'drizzle-orm';
import type { Database } from '../server/src/db/client.js';
import { loadMonthFacts } from '../server/src/modules/kpi/facts.js';
import { DEFAULT_TARGETS } from '../server/src/modules/kpi/rules/kpis.js';
import { computeResults } from '../server/src/modules/kpi/snapshots.js';
import { currentVersionOrSeed } from '../server/src/modules/sla/policies.js';
import { openBenchDatabase, type BenchResult } from './lib.js';

const MONTH = '2026-03';
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-04-01T02:00:00Z');

/**
 * The monthly assessment over 1,000,000 tickets and 300,000 survey answers on PostgreSQL (a
 * tenth of that on PGlite, no goal): the facts query (three GROUP BY GROUPING SETS statements,
 * modules/kpi/facts.ts) and the whole assessment (facts of the month and of the quarter's
 * earlier months, outcomes of 500 agents and 20 teams). Worst case: every ticket of the data set
 * counts in the month assessed — received in it, and most of them answered and resolved in it.
 * Goal on PostgreSQL: the assessment ≤ 3 s (median of three runs after a warm-up).
 */
export default async function kpiAssessmentBench(): Promise<BenchResult[]> {
  const { database, close } = await openBenchDatabase();
  try {
    return await measure(database);
  } finally {
    await close();
  }
}

async function measure(database: Database): Promise<BenchResult[]> {
  const { db } = database;
  const pg = database.engine !== 'pglite';
  const engine = pg ? 'PostgreSQL' : 'PGlite';
  const tickets = pg ? 1_000_000 : 100_000;
  const surveys = pg ? 300_000 : 30_000;
  const version = (await currentVersionOrSeed(db, NOW)).version;

  const seedStart = performance.now();
  await db.execute(sql`INSERT INTO teams (name, created_at, updated_at)
    SELECT 'Bench team ' || g, now(), now() FROM generate_series(1, 20) g`);
  await db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
    SELECT 'agent' || g || '@kpi.bench', '坐席 ' || g, '{agent}', now(), now()
    FROM generate_series(1, 500) g`);
  await db.execute(sql`INSERT INTO team_members (team_id, user_id)
    SELECT t.id, u.id FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users) u
    JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM teams) t ON t.n = (u.n % 20) + 1`);
  await db.execute(sql`INSERT INTO customers (name, created_at, updated_at)
    VALUES ('Bench customer', now(), now())`);
  // Tickets received across March (Shanghai), owner = one of 500 agents, 1 in 4 handed to
  // another, 3 % complaints, 80 % resolved, 5 % closed unresolved, 1 % merged.
  await db.execute(sql`
    WITH u AS (SELECT array_agg(id ORDER BY email) AS ids FROM users),
         tm AS (SELECT array_agg(team_id ORDER BY u.email) AS teams
                FROM team_members m JOIN users u ON u.id = m.user_id),
         c AS (SELECT id FROM customers LIMIT 1)
    INSERT INTO tickets (number, channel, category, tier, priority, subject, customer_id,
      received_at, registered_at, registered_by, receiving_agent_id, owner_id, team_id,
      handler_id, status, resolved_at, closed_at, close_kind, created_at, updated_at)
    SELECT 'B-' || g, 'phone',
      CASE WHEN g % 33 = 0 THEN 'complaint' ELSE 'consultation' END,
      CASE WHEN g % 33 = 0 THEN 'L3' WHEN g % 7 = 0 THEN 'L2' ELSE 'L1' END,
      'general', 'bench', c.id, r.at, r.at, u.ids[1 + g % 500], u.ids[1 + g % 500],
      u.ids[1 + g % 500], tm.teams[1 + g % 500],
      CASE WHEN g % 4 = 0 THEN u.ids[1 + (g / 4) % 500] END,
      CASE WHEN g % 100 = 0 THEN 'closed' WHEN g % 20 < 16 THEN 'resolved'
           WHEN g % 20 = 16 THEN 'closed' ELSE 'in_progress' END,
      CASE WHEN g % 100 <> 0 AND g % 20 < 16 THEN r.at + interval '3 hours' END,
      CASE WHEN g % 100 = 0 OR g % 20 = 16 THEN r.at + interval '1 day' END,
      CASE WHEN g % 100 = 0 THEN 'merged' WHEN g % 20 = 16 THEN 'unresolved' END,
      r.at, r.at
    FROM generate_series(1, ${tickets}) g, u, tm, c,
      LATERAL (SELECT timestamptz '2026-02-28T16:00:00Z'
        + (g::double precision / ${tickets}) * interval '30 days' AS at) r`);
  // Point merged tickets at another ticket.
  await db.execute(sql`UPDATE tickets SET merged_into_id = (SELECT id FROM tickets WHERE number = 'B-1')
    WHERE close_kind = 'merged'`);
  // A first-response clock per ticket (8 % breached) and a resolution clock per resolved one.
  await db.execute(sql`INSERT INTO sla_clocks (ticket_id, policy_version, policy_key, kind,
      limit_ms, warn_after_ms, pauses, repeats, state, started_at, warn_at, due_at, breached,
      breached_at, met_at, business_ms_used, created_at, updated_at)
    SELECT id, ${version}, 'default', 'first_response', 7200000, 5760000, false, false, 'met',
      received_at, received_at, received_at + interval '2 hours',
      (hashtext(number) % 100) < 8,
      CASE WHEN (hashtext(number) % 100) < 8 THEN received_at + interval '2 hours' END,
      received_at + interval '30 minutes', 1800000, received_at, received_at
    FROM tickets`);
  await db.execute(sql`INSERT INTO sla_clocks (ticket_id, policy_version, policy_key, kind,
      limit_ms, warn_after_ms, pauses, repeats, state, started_at, warn_at, due_at, breached,
      met_at, business_ms_used, created_at, updated_at)
    SELECT id, ${version}, 'default', 'resolution', 86400000, 69120000, true, false, 'met',
      received_at, received_at, received_at + interval '1 day', false, resolved_at, 10800000,
      received_at, received_at
    FROM tickets WHERE resolved_at IS NOT NULL`);
  // 2 % reopened during the month.
  await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, visibility, data)
    SELECT id, 'status', received_at + interval '2 hours', 'internal',
      '{"from":"resolved","to":"reopened"}'::jsonb
    FROM tickets WHERE hashtext(number || 'r') % 50 = 0`);
  await db.execute(sql`
    WITH t AS (SELECT id, owner_id, team_id, received_at, row_number() OVER () AS n
               FROM tickets WHERE resolved_at IS NOT NULL LIMIT ${surveys}),
         c AS (SELECT id FROM customers LIMIT 1)
    INSERT INTO survey_responses (kind, ticket_id, customer_id, agent_id, team_id, period_month,
      sent_at, answered_at, solved, score100, created_at, updated_at)
    SELECT 'ticket', t.id, c.id, t.owner_id, t.team_id, ${`${MONTH}-01`}::date, t.received_at,
      CASE WHEN n % 5 <> 0 THEN t.received_at + interval '1 day' END,
      CASE WHEN n % 5 <> 0 THEN n % 10 <> 1 END,
      CASE WHEN n % 5 <> 0 THEN 60 + (n % 41) END,
      t.received_at, t.received_at
    FROM t, c`);
  await db.execute(sql`ANALYZE`);
  const seedMs = performance.now() - seedStart;

  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // In a transaction, as the assessment always runs (runAssessment, the job).
  const assess = () => db.transaction((tx) => computeResults(tx, MONTH, DEFAULT_TARGETS, TZ));
  const onlyFacts = () => db.transaction((tx) => loadMonthFacts(tx, MONTH, TZ));
  await assess(); // warm-up
  const facts: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 3; i++) {
    facts.push(await time(onlyFacts));
    whole.push(await time(assess));
  }
  const check = await onlyFacts();
  const received = [...check.agents.values()].reduce((s, f) => s + f.received, 0);
  const expected = tickets - Math.floor(tickets / 100);

  return [
    {
      name: 'kpi-assessment',
      metric: `seed ${tickets.toLocaleString('en')} tickets + ${surveys.toLocaleString('en')} surveys (${engine})`,
      value: seedMs,
      unit: 'ms',
    },
    {
      name: 'kpi-assessment',
      metric: `facts query, median of 3 (${engine})`,
      value: median(facts),
      unit: 'ms',
    },
    {
      name: 'kpi-assessment',
      metric: `whole assessment, 500 agents, median of 3 (${engine})`,
      value: median(whole),
      unit: 'ms',
      ...(pg ? { goal: { atMost: 3000 } } : {}),
      ...(received === expected
        ? {}
        : { invalid: `counted ${received} tickets received, expected ${expected}` }),
    },
  ];
}
