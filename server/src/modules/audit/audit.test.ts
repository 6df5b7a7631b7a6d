import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { diffOf } from './service.js';

let t: TestContext;
let admin: TestClient & { user: { id: string } };
beforeAll(async () => {
  t = await createTestContext();
  admin = await t.as('admin');
});
afterAll(() => t.close());

describe('diffOf', () => {
  it('keeps only changed fields', () => {
    expect(diffOf({ a: 1, b: [1], c: 'x' }, { a: 1, b: [1, 2], d: true })).toEqual({
      b: { from: [1], to: [1, 2] },
      c: { from: 'x', to: null },
      d: { from: null, to: true },
    });
    expect(diffOf(null, null)).toEqual({});
  });
});

describe('audit log', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await admin.post('/api/v1/teams', { name: 'Append Only' });
    const { db } = t.database;
    await expect(db.execute(sql`UPDATE audit_events SET action = 'forged'`)).rejects.toThrow();
    await expect(db.execute(sql`DELETE FROM audit_events`)).rejects.toThrow();
    await expect(db.execute(sql`TRUNCATE audit_events`)).rejects.toThrow();
    const res = await admin.get('/api/v1/audit-events?action=team.create');
    expect(res.json().data[0].action).toBe('team.create');
  });

  it('records who, what, where and when, and filters by time', async () => {
    t.clock.set('2026-04-01T08:00:00Z');
    admin = await t.as('admin'); // the earlier session expired when the clock jumped a month
    await admin.request(
      'POST',
      '/api/v1/teams',
      { name: '售后' },
      { 'user-agent': 'KefuTest/1.0', 'x-request-id': 'req-abc-123' },
    );
    const [event] = (
      await admin.get('/api/v1/audit-events?action=team.create&from=2026-04-01T00:00:00Z')
    ).json().data;
    expect(event).toMatchObject({
      actorId: admin.user.id,
      action: 'team.create',
      targetType: 'team',
      userAgent: 'KefuTest/1.0',
      requestId: 'req-abc-123',
      at: '2026-04-01T08:00:00.000Z',
    });
    expect(event.ip).toBeTruthy();
    const none = (
      await admin.get('/api/v1/audit-events?action=team.create&to=2026-03-01T00:00:00Z')
    ).json().data;
    expect(none).toHaveLength(0);
  });

  it('exports CSV (UTF-8 with BOM, formulas neutralised) and audits the export', async () => {
    const sly = await t.buildUser({ roles: ['admin'], name: '=SUM(1+1)' });
    const slyClient = await t.signIn(sly.email);
    await slyClient.post('/api/v1/teams', { name: 'Formula' });
    const res = await admin.get('/api/v1/audit-events.csv?action=team.');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toContain('id,at,actorId');
    expect(lines.length).toBeGreaterThan(2);
    expect(res.body).toContain(",'=SUM(1+1),");
    expect(res.body).not.toMatch(/(^|,)=SUM/m);
    const exported = (await admin.get('/api/v1/audit-events?action=audit.export')).json().data;
    expect(exported).toHaveLength(1);
  });

  it('names its targets: ticket number and subject, user and team names', async () => {
    const agent = await t.as('agent');
    const team = (await admin.post('/api/v1/teams', { name: '售后二组' })).json().data;
    const ticket = (
      await agent.post('/api/v1/tickets', {
        channel: 'phone',
        category: 'consultation',
        subject: '审计可读性',
        description: '来电咨询',
        customer: { name: '审计客户', phone: '13712340000' },
      })
    ).json().data;
    const page = (await admin.get('/api/v1/audit-events?limit=100')).json().data as {
      targetType: string;
      targetId: string;
      targetLabel: string | null;
    }[];
    const labelOf = (type: string, id: string) =>
      page.find((e) => e.targetType === type && e.targetId === id)?.targetLabel;
    expect(labelOf('ticket', ticket.id)).toBe(`${ticket.number} 审计可读性`);
    expect(labelOf('team', team.id)).toBe('售后二组');
    expect(labelOf('customer', ticket.customer.id)).toBe('审计客户');
    expect(page.find((e) => e.targetType === 'user')?.targetLabel).toEqual(expect.any(String));
  });

  it('is for administrators only', async () => {
    const agent = await t.as('agent');
    expect((await agent.get('/api/v1/audit-events')).statusCode).toBe(403);
    expect((await agent.get('/api/v1/audit-events.csv')).statusCode).toBe(403);
  });
});
