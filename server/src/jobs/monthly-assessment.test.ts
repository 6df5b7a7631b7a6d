import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/client.js';
import { seedSlaDefaults } from '../modules/sla/seed.js';
import { createTestContext, type TestContext } from '../test/harness.js';
import { MONTHLY_ASSESSMENT_LEASE, startMonthlyAssessment } from './monthly-assessment.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedSlaDefaults(t.database.db, t.clock.now());
  await t.buildUser({ roles: ['agent'], name: '坐席' });
});
afterAll(() => t.close());

const snapshots = async () =>
  rowsOf<{ month: string; source: string }>(
    await t.database.db.execute(
      sql`SELECT to_char(period_month, 'YYYY-MM') AS month, source FROM kpi_snapshots ORDER BY 1`,
    ),
  );
const job = (holder: string, leaseMs?: number) =>
  startMonthlyAssessment({
    db: t.database.db,
    clock: t.clock,
    intervalMs: 0,
    holder,
    ...(leaseMs ? { leaseMs } : {}),
  });

describe('monthly assessment job', () => {
  it('waits for the first working day (China calendar: after the National Day holiday)', async () => {
    const a = job('a');
    t.clock.set('2026-10-07T04:00:00Z'); // 7 October, a holiday in Shanghai
    expect(await a.runOnce()).toEqual({ ran: true, month: null, snapshotId: null });
    t.clock.set('2026-10-07T16:30:00Z'); // 8 October 00:30 in Shanghai: the first working day
    const first = await a.runOnce();
    expect(first).toMatchObject({ ran: true, month: '2026-09' });
    expect(first.snapshotId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await snapshots()).toEqual([{ month: '2026-09', source: 'job' }]);
    // Later the same month: already done, nothing more.
    t.clock.set('2026-10-20T04:00:00Z');
    expect(await a.runOnce()).toEqual({ ran: true, month: '2026-09', snapshotId: null });
    await a.stop();
    expect(rowsOf(await t.database.db.execute(sql`SELECT * FROM job_leases`))).toEqual([]);
  });

  it('exactly once across processes: a held lease blocks, concurrent runs write one snapshot', async () => {
    t.clock.set('2026-11-02T02:00:00Z'); // Monday 2 November
    const a = job('a', 60_000);
    const b = job('b');
    await t.database.db.execute(
      sql`INSERT INTO job_leases (name, holder, expires_at)
          VALUES (${MONTHLY_ASSESSMENT_LEASE}, 'a', ${new Date(t.clock.now().getTime() + 60_000).toISOString()}::timestamptz)`,
    );
    expect(await b.runOnce()).toEqual({ ran: false, month: null, snapshotId: null });
    t.clock.advance(60_000); // a's lease expired (its process died)
    const results = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    expect(results.filter((r) => r.snapshotId).length).toBe(1);
    expect((await snapshots()).filter((s) => s.month === '2026-10')).toHaveLength(1);
    const runs = rowsOf<{ month: string }>(
      await t.database.db.execute(
        sql`SELECT to_char(period_month, 'YYYY-MM') AS month FROM kpi_job_runs ORDER BY 1`,
      ),
    );
    expect(runs.map((r) => r.month)).toEqual(['2026-09', '2026-10']);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('runs on its interval and stops cleanly', async () => {
    t.clock.set('2026-12-01T02:00:00Z'); // Tuesday 1 December
    const c = startMonthlyAssessment({ db: t.database.db, clock: t.clock, intervalMs: 20 });
    for (let i = 0; i < 200 && !(await snapshots()).some((s) => s.month === '2026-11'); i++)
      await new Promise((r) => setTimeout(r, 25));
    await c.stop();
    expect((await snapshots()).map((s) => s.month)).toEqual(['2026-09', '2026-10', '2026-11']);
  });
});
