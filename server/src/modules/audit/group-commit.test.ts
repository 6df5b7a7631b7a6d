import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { recordReadAudit } from './group-commit.js';
import type { AuditContext } from './service.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const ctx = (requestId: string): AuditContext => ({
  actorId: null,
  actorName: 'group commit test',
  ip: null,
  userAgent: null,
  requestId,
  at: new Date('2026-03-02T02:00:00Z'),
});

async function rowsFor(requestId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await t.database.db.execute(
      sql`SELECT count(*)::int AS n FROM audit_events WHERE request_id = ${requestId}`,
    ),
  );
  return row!.n;
}

describe('read audit group commit', () => {
  it('writes concurrent reads in fewer statements, each committed before it resolves', async () => {
    const { db } = t.database;
    const insert = vi.spyOn(db, 'insert');
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordReadAudit(db, ctx(`gc-${i}`), {
          action: 'ticket.list',
          targetType: 'ticket',
          targetId: null,
        })
          // Read back at once: the row must already be committed (visible to other sessions).
          .then(() => rowsFor(`gc-${i}`)),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 20 }, () => 1));
    expect(insert.mock.calls.length).toBeLessThan(20);
    insert.mockRestore();
  });

  it('fails only the request whose row the database refuses', async () => {
    const { db } = t.database;
    const results = await Promise.allSettled(
      ['gc-ok-1', 'gc-bad', 'gc-ok-2'].map((id) =>
        recordReadAudit(db, ctx(id), {
          action: 'ticket.read',
          targetType: 'ticket',
          // PostgreSQL text cannot hold a NUL character.
          targetId: id === 'gc-bad' ? 'bad\u0000id' : id,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await rowsFor('gc-ok-1')).toBe(1);
    expect(await rowsFor('gc-ok-2')).toBe(1);
    expect(await rowsFor('gc-bad')).toBe(0);
  });
});
