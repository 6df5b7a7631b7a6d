/**
 * The daily facts (migration 0030, facts.ts refreshMonthFacts) give exactly the numbers of the
 * direct count (loadMonthFactsDirect), on a randomized fixture: reassigned, reopened, merged and
 * re-scoped tickets, clocks met after a breach or deleted, surveys answered after month end —
 * built whole, then kept up to date through the dirty log after every round of changes, and
 * rebuilt when the time zone changes. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../db/client.js';
import { startKpiFactsJob } from '../../jobs/kpi-facts.js';
import { createTestDatabase } from '../../test/harness.js';
import {
  loadMonthFacts,
  loadMonthFactsDirect,
  refreshMonthFacts,
  type FactsScope,
  type MonthFacts,
} from './facts.js';
import { kpiFixtures } from './test/fixtures.js';

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const t = await createTestDatabase();
  db = t.database.db;
  drop = t.drop;
});
afterAll(async () => drop());

/** mulberry32: a small seeded generator, so a failure can be replayed with its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['2026-02', '2026-03', '2026-04'];
const SCOPES: FactsScope[] = [{}, { tier: 'L1' }, { channel: 'email' }, { category: 'complaint' }];
const START = Date.parse('2026-01-25T00:00:00Z');
const SPAN = Date.parse('2026-05-05T00:00:00Z') - START;
// Instants on the month boundaries of Asia/Shanghai and of UTC, where off-by-one days hide.
const EDGES = [
  '2026-02-28T16:00:00Z',
  '2026-02-28T15:59:59.999Z',
  '2026-03-31T16:00:00Z',
  '2026-03-31T23:59:59Z',
  '2026-04-01T00:00:00Z',
  '2026-03-01T00:00:00Z',
];

const plain = (f: MonthFacts) => ({
  agents: Object.fromEntries([...f.agents].sort(([a], [b]) => a.localeCompare(b))),
  teams: Object.fromEntries([...f.teams].sort(([a], [b]) => a.localeCompare(b))),
  total: f.total,
});

async function expectSame(timeZone: string, label: string) {
  for (const month of MONTHS) {
    for (const scope of SCOPES) {
      const [daily, direct] = await db.transaction(async (tx) => [
        plain(await loadMonthFacts(tx, month, timeZone, scope)),
        plain(await loadMonthFactsDirect(tx, month, timeZone, scope)),
      ]);
      expect(daily, `${label} ${month} ${timeZone} ${JSON.stringify(scope)}`).toEqual(direct);
    }
  }
}

describe('daily facts equal the direct count', () => {
  it('on a randomized month of reassigned, reopened, merged tickets and late surveys', async () => {
    const seed = Number(process.env.KPI_FACTS_SEED ?? 20260301);
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const at = () =>
      rand() < 0.08 ? pick(EDGES) : new Date(START + Math.floor(rand() * SPAN)).toISOString();
    const later = (from: string, maxDays = 12) =>
      new Date(Date.parse(from) + Math.floor(rand() * maxDays * 86_400_000)).toISOString();

    const agents = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO users (email, name, roles, created_at, updated_at)
        SELECT 'facts' || g || '@kpi.test', '坐席 ' || g, '{agent}', now(), now()
        FROM generate_series(1, 6) g RETURNING id`),
    ).map((r) => r.id);
    const teams = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO teams (name, created_at, updated_at)
        SELECT 'Facts team ' || g, now(), now() FROM generate_series(1, 3) g RETURNING id`),
    ).map((r) => r.id);
    const fx = kpiFixtures(db);

    const tickets: string[] = [];
    for (let i = 0; i < 160; i++) {
      const owner = pick(agents);
      const receivedAt = at();
      const outcome = pick(['open', 'resolved', 'resolved', 'confirmed', 'auto', 'unresolved']);
      const resolvedAt =
        outcome === 'resolved' || outcome === 'confirmed' || (outcome === 'auto' && rand() < 0.7)
          ? later(receivedAt)
          : null;
      const closedAt =
        outcome === 'confirmed' || outcome === 'auto' || outcome === 'unresolved'
          ? later(resolvedAt ?? receivedAt)
          : null;
      const id = await fx.ticket({
        owner,
        handler: rand() < 0.3 ? pick(agents) : rand() < 0.2 ? owner : null,
        team: rand() < 0.9 ? pick(teams) : null,
        tier: pick(['L1', 'L1', 'L2', 'L3'] as const),
        category: rand() < 0.2 ? 'complaint' : 'consultation',
        receivedAt,
        resolvedAt,
        closedAt,
        closeKind:
          outcome === 'confirmed'
            ? 'confirmed'
            : outcome === 'auto'
              ? 'auto_no_reply'
              : outcome === 'unresolved'
                ? 'unresolved'
                : null,
      });
      tickets.push(id);
      if (rand() < 0.5)
        await db.execute(sql`UPDATE tickets SET channel = ${pick(['email', 'chat', 'phone'])}
          WHERE id = ${id}::uuid`);
      const fr = rand();
      if (fr < 0.85) {
        const breached = rand() < 0.25;
        const breachedAt = breached ? later(receivedAt, 2) : undefined;
        const met = !breached || rand() < 0.6;
        await fx.clock(id, 'first_response', {
          startedAt: receivedAt,
          breachedAt,
          metAt: met ? later(breachedAt ?? receivedAt, 2) : undefined,
          ms: met ? Math.floor(rand() * 7_200_000) : undefined,
          pausedSince: !met && !breached ? later(receivedAt, 1) : undefined,
        });
      }
      if (resolvedAt && rand() < 0.8)
        await fx.clock(id, 'resolution', {
          startedAt: receivedAt,
          breachedAt: rand() < 0.2 ? later(receivedAt, 3) : undefined,
          metAt: resolvedAt,
          ms: rand() < 0.9 ? Math.floor(rand() * 86_400_000) : undefined,
        });
      if (rand() < 0.15) await fx.reopen(id, later(receivedAt, 20));
      if (rand() < 0.05) await fx.reopen(id, later(receivedAt, 20));
      if (rand() < 0.35) {
        const month = pick(MONTHS);
        await fx.survey({
          agent: owner,
          team: pick(teams),
          month,
          ticketId: id,
          sentAt: `${month}-10T02:00:00Z`,
          ...(rand() < 0.6
            ? { answeredAt: `${month}-12T02:00:00Z`, score: pick([0, 60, 100]) }
            : {}),
        });
      }
    }
    // Campaign answers (no ticket) and a few merged tickets from the start.
    for (const month of MONTHS)
      await fx.survey({
        agent: pick(agents),
        team: pick(teams),
        month,
        sentAt: '2026-03-05T02:00:00Z',
        answeredAt: '2026-03-06T02:00:00Z',
        score: 80,
      });

    await expectSame('Asia/Shanghai', 'built');
    const builtAt = async () =>
      rowsOf<{ month: string; at: string }>(
        await db.execute(sql`SELECT to_char(month, 'YYYY-MM') AS month, built_at::text AS at
          FROM kpi_fact_months ORDER BY month`),
      );
    const built = await builtAt();
    expect(built.map((b) => b.month)).toEqual(MONTHS);

    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 25; i++) {
        const id = pick(tickets);
        const change = pick([
          'owner',
          'handler',
          'team',
          'scope',
          'reopen',
          'resolve',
          'merge',
          'unresolved',
          'received',
          'clock',
          'clock-delete',
          'late-survey',
        ]);
        switch (change) {
          case 'owner':
            await db.execute(
              sql`UPDATE tickets SET owner_id = ${pick(agents)}::uuid WHERE id = ${id}::uuid`,
            );
            break;
          case 'handler':
            await db.execute(
              sql`UPDATE tickets SET handler_id = ${pick([...agents, null])}::uuid WHERE id = ${id}::uuid`,
            );
            break;
          case 'team':
            await db.execute(
              sql`UPDATE tickets SET team_id = ${pick([...teams, null])}::uuid WHERE id = ${id}::uuid`,
            );
            break;
          case 'scope':
            await db.execute(sql`UPDATE tickets SET tier = ${pick(['L1', 'L2', 'L3'])},
                category = ${pick(['complaint', 'consultation'])}, channel = ${pick(['email', 'phone'])}
              WHERE id = ${id}::uuid`);
            break;
          case 'reopen': {
            // Reopening clears the resolution; a later resolution sets it again.
            const when = at();
            await fx.reopen(id, when);
            await db.execute(sql`UPDATE tickets SET status = 'reopened', resolved_at = NULL
              WHERE id = ${id}::uuid AND close_kind IS NULL`);
            break;
          }
          case 'resolve':
            await db.execute(sql`UPDATE tickets SET status = 'resolved', resolved_at = ${at()}::timestamptz
              WHERE id = ${id}::uuid AND close_kind IS NULL`);
            break;
          case 'merge': {
            const into = pick(tickets);
            if (into !== id)
              await db.execute(sql`UPDATE tickets SET status = 'closed', close_kind = 'merged',
                  closed_at = coalesce(closed_at, ${at()}::timestamptz), merged_into_id = ${into}::uuid
                WHERE id = ${id}::uuid AND NOT EXISTS (SELECT 1 FROM tickets m WHERE m.merged_into_id = ${id}::uuid)
                  AND NOT EXISTS (SELECT 1 FROM tickets m WHERE m.id = ${into}::uuid AND m.merged_into_id IS NOT NULL)`);
            break;
          }
          case 'unresolved':
            await db.execute(sql`UPDATE tickets SET status = 'closed', close_kind = 'unresolved',
                closed_at = ${at()}::timestamptz
              WHERE id = ${id}::uuid AND close_kind IS NULL`);
            break;
          case 'received':
            await db.execute(
              sql`UPDATE tickets SET received_at = ${at()}::timestamptz WHERE id = ${id}::uuid`,
            );
            break;
          case 'clock':
            await db.execute(sql`UPDATE sla_clocks SET state = 'met', met_at = ${at()}::timestamptz,
                business_ms_used = ${Math.floor(rand() * 3_600_000)}
              WHERE ticket_id = ${id}::uuid AND kind = ${pick(['first_response', 'resolution'])}`);
            break;
          case 'clock-delete':
            await db.execute(
              sql`DELETE FROM sla_clocks WHERE ticket_id = ${id}::uuid AND kind = 'first_response'`,
            );
            break;
          case 'late-survey':
            // Answered after its month ended: counts in its period_month all the same.
            await db.execute(sql`UPDATE survey_responses SET answered_at = period_month + interval '40 days',
                solved = true, score100 = 40
              WHERE ticket_id = ${id}::uuid AND answered_at IS NULL`);
            break;
        }
      }
      // Bulk writes go through the same statement-level triggers.
      await db.execute(sql`UPDATE tickets SET handler_id = owner_id
        WHERE id = ANY (${`{${tickets.slice(round * 5, round * 5 + 5).join(',')}}`}::uuid[])`);
      await expectSame('Asia/Shanghai', `round ${round} (seed ${seed})`);
    }

    // Kept up to date day by day (never rebuilt whole), and everything logged was consumed.
    expect(await builtAt()).toEqual(built);
    for (const month of MONTHS) await refreshMonthFacts(db, month, 'Asia/Shanghai');
    const left = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM kpi_facts_dirty
        WHERE at >= '2026-01-31T16:00:00Z' AND at < '2026-04-30T16:00:00Z'`),
    );
    expect(left[0]!.n).toBe(0);

    // The job consumes the rest of the log: built months refreshed, others' instants dropped.
    await db.execute(sql`UPDATE tickets SET team_id = NULL WHERE id = ${tickets[0]}::uuid`);
    await db.execute(sql`UPDATE tickets SET team_id = NULL WHERE id = ${tickets[1]}::uuid`);
    await db.execute(sql`INSERT INTO kpi_facts_dirty (at) VALUES ('2025-06-01T00:00:00Z')`);
    const job = startKpiFactsJob({ db, clock: { now: () => new Date() } as never, intervalMs: 0 });
    await job.runOnce();
    const rest = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM kpi_facts_dirty`),
    );
    expect(rest[0]!.n).toBe(0);
    await expectSame('Asia/Shanghai', 'after the job');

    // Another time zone cuts other days: the months are rebuilt, and back again.
    await expectSame('UTC', 'UTC');
    await expectSame('Asia/Shanghai', 'back to Shanghai');
  }, 120_000);
});
