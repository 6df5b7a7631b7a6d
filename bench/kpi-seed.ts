/**
 * The KPI data set shared by the kpi-assessment and reports benches: 500 agents in 20 teams,
 * tickets spread over `months` months ending with `lastMonth` (owner = one of 500 agents, 1 in 4
 * handed to another, 3 % complaints, 80 % resolved, 5 % closed unresolved, 1 % merged), a
 * first-response clock per ticket (8 % breached) and a resolution clock per resolved one, 2 %
 * reopened, and survey answers counted in their ticket's month.
 *
 * With DATABASE_URL the seeded database is kept under a name that says what it holds
 * (`kefu_bench_kpi_<tickets>_<months>m`) and reused while its recorded seed version — this
 * file's SEED_VERSION, the sizes and the newest migration — is unchanged; anything else drops and
 * reseeds it. BENCH_FRESH_DB=1 seeds a throwaway database instead (dropped at the end).
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { listMigrations, migrate } from '../server/src/db/migrate.js';
import { monthRange } from '../server/src/modules/kpi/rules/schedule.js';
import { addMonths } from '../server/src/modules/kpi/rules/assessment.js';
import { currentVersionOrSeed } from '../server/src/modules/sla/policies.js';
import { openBenchDatabase } from './lib.js';

/** Bump when the generated data changes: kept bench databases are then reseeded. */
export const SEED_VERSION = 1;

export interface KpiSeed {
  tickets: number;
  surveys: number;
  /** How many months the tickets are spread over, ending with `lastMonth`. */
  months: number;
  lastMonth: string;
  timeZone: string;
}

export interface SeededDatabase {
  database: Database;
  /** Milliseconds spent seeding now; null when a kept database was reused. */
  seedMs: number | null;
  close(): Promise<void>;
}

/**
 * A migrated database holding `seed`: reused when kept and current, else seeded now. `name`
 * overrides the kept database's name (a bench that must not share it with the others).
 */
export async function openSeededDatabase(
  seed: KpiSeed,
  now: Date,
  name = `kefu_bench_kpi_${seed.tickets}_${seed.months}m`,
): Promise<SeededDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl || process.env.BENCH_FRESH_DB === '1') {
    const { database, close } = await openBenchDatabase();
    const start = performance.now();
    await seedKpiData(database, seed, now);
    return { database, seedMs: performance.now() - start, close };
  }
  const migrations = listMigrations();
  const version = `${SEED_VERSION}:${seed.tickets}:${seed.surveys}:${seed.months}:${seed.lastMonth}:${seed.timeZone}:${migrations[migrations.length - 1]?.name ?? ''}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) {
      const database = await openDatabase({ url: url.toString() });
      const [row] = await database.db
        .execute(sql`SELECT to_regclass('bench_seed') IS NOT NULL AS has`)
        .then((r) => (r as unknown as { rows: { has: boolean }[] }).rows);
      const recorded = row?.has
        ? (
            (await database.db.execute(sql`SELECT version FROM bench_seed`)) as unknown as {
              rows: { version: string }[];
            }
          ).rows[0]?.version
        : undefined;
      if (recorded === version) {
        console.error(`  reusing ${name} (seed ${version})`);
        return { database, seedMs: null, close: () => database.close() };
      }
      await database.close();
      console.error(`  ${name} holds seed ${recorded ?? 'none'}, want ${version}: reseeding`);
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ url: url.toString() });
  await migrate(database);
  const start = performance.now();
  await seedKpiData(database, seed, now);
  await database.db.execute(sql`CREATE TABLE bench_seed (version text NOT NULL)`);
  await database.db.execute(sql`INSERT INTO bench_seed VALUES (${version})`);
  return { database, seedMs: performance.now() - start, close: () => database.close() };
}

/**
 * Writes the data set into a migrated database. Only its own tickets (numbers `B-…`) get clocks,
 * events and answers, so it can also be added to a workspace that has tickets already
 * (agent-pages adds it to the demo's).
 */
export async function seedKpiData(database: Database, seed: KpiSeed, now: Date): Promise<void> {
  const { db } = database;
  const { tickets, surveys } = seed;
  const version = (await currentVersionOrSeed(db, now)).version;
  const first = addMonths(seed.lastMonth, -(seed.months - 1));
  const from = monthRange(first, seed.timeZone).from;
  const to = monthRange(seed.lastMonth, seed.timeZone).to;
  // Receptions end a day before the last month does, so closings (+1 day) stay inside it.
  const spanMs = to.getTime() - from.getTime() - 86_400_000;
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
      LATERAL (SELECT ${from.toISOString()}::timestamptz
        + (g::double precision / ${tickets}) * (${spanMs} * interval '1 millisecond') AS at) r`);
  // Point merged tickets at another ticket.
  await db.execute(sql`UPDATE tickets SET merged_into_id = (SELECT id FROM tickets WHERE number = 'B-1')
    WHERE close_kind = 'merged' AND number LIKE 'B-%'`);
  await db.execute(sql`INSERT INTO sla_clocks (ticket_id, policy_version, policy_key, kind,
      limit_ms, warn_after_ms, pauses, repeats, state, started_at, warn_at, due_at, breached,
      breached_at, met_at, business_ms_used, created_at, updated_at)
    SELECT id, ${version}, 'default', 'first_response', 7200000, 5760000, false, false, 'met',
      received_at, received_at, received_at + interval '2 hours',
      (hashtext(number) % 100) < 8,
      CASE WHEN (hashtext(number) % 100) < 8 THEN received_at + interval '2 hours' END,
      received_at + interval '30 minutes', 1800000, received_at, received_at
    FROM tickets WHERE number LIKE 'B-%'`);
  await db.execute(sql`INSERT INTO sla_clocks (ticket_id, policy_version, policy_key, kind,
      limit_ms, warn_after_ms, pauses, repeats, state, started_at, warn_at, due_at, breached,
      met_at, business_ms_used, created_at, updated_at)
    SELECT id, ${version}, 'default', 'resolution', 86400000, 69120000, true, false, 'met',
      received_at, received_at, received_at + interval '1 day', false, resolved_at, 10800000,
      received_at, received_at
    FROM tickets WHERE resolved_at IS NOT NULL AND number LIKE 'B-%'`);
  // 2 % reopened.
  await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, visibility, data)
    SELECT id, 'status', received_at + interval '2 hours', 'internal',
      '{"from":"resolved","to":"reopened"}'::jsonb
    FROM tickets WHERE hashtext(number || 'r') % 50 = 0 AND number LIKE 'B-%'`);
  // Survey answers of resolved tickets, evenly over the period, in their ticket's month.
  const resolved = Math.floor(tickets * 0.79);
  const every = Math.max(1, Math.floor(resolved / surveys));
  await db.execute(sql`
    WITH t AS (SELECT id, owner_id, team_id, received_at, row_number() OVER () AS n
               FROM tickets WHERE resolved_at IS NOT NULL AND number LIKE 'B-%'),
         c AS (SELECT id FROM customers LIMIT 1)
    INSERT INTO survey_responses (kind, ticket_id, customer_id, agent_id, team_id, period_month,
      sent_at, answered_at, solved, score100, created_at, updated_at)
    SELECT 'ticket', t.id, c.id, t.owner_id, t.team_id,
      date_trunc('month', t.received_at AT TIME ZONE ${seed.timeZone})::date, t.received_at,
      CASE WHEN n % 5 <> 0 THEN t.received_at + interval '1 day' END,
      CASE WHEN n % 5 <> 0 THEN n % 10 <> 1 END,
      CASE WHEN n % 5 <> 0 THEN 60 + (n % 41) END,
      t.received_at, t.received_at
    FROM t, c WHERE n % ${every} = 0 AND n / ${every} <= ${surveys}`);
  await db.execute(sql`ANALYZE`);
}
