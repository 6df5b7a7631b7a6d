import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { sweepDueClocks } from '../sla/sweep.js';
import { registerTicket, walk, type TicketJson } from './test-support.js';

type Listed = TicketJson & { slaDueAt: string | null; slaRisk: string | null };

let t: TestContext;
let agent: TestClient;
beforeAll(async () => {
  t = await createTestContext(); // Monday 2026-03-02 10:00 in Shanghai, inside working hours
  agent = await t.as('agent');
});
afterAll(() => t.close());

const list = async (query: string): Promise<{ data: Listed[]; nextCursor: string | null }> => {
  const res = await agent.get(`/api/v1/tickets?${query}`);
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** Every page of `query`, `limit` at a time. */
async function allPages(query: string, limit: number): Promise<Listed[]> {
  const out: Listed[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page = await list(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('pagination does not end');
}

const storedDue = async (id: string) => {
  const [row] = rowsOf<{ due: string | Date | null }>(
    await t.database.db.execute(sql`SELECT sla_due_at AS due FROM tickets WHERE id = ${id}`),
  );
  return row?.due ? new Date(row.due).toISOString() : null;
};

const clocksOf = async (id: string) =>
  (await agent.get(`/api/v1/tickets/${id}/sla`)).json().data as {
    kind: string;
    state: string;
    dueAt: string;
    warnedAt: string | null;
  }[];

describe('sort=due_asc (due soonest)', () => {
  let chat: TicketJson;
  let email: TicketJson;
  let replied: TicketJson;
  const closed: TicketJson[] = [];
  beforeAll(async () => {
    email = await registerTicket(agent, { channel: 'email', subject: '发票抬头修改' });
    t.clock.advance(60_000);
    replied = await registerTicket(agent, { subject: '快递地址变更' });
    await agent.post(`/api/v1/tickets/${replied.id}/replies`, {
      body: '您好，已收到。',
      visibility: 'public',
    });
    for (let i = 0; i < 3; i++) {
      closed.push(
        await walk(
          agent,
          await registerTicket(agent, { channel: 'email' }),
          'accepted',
          'in_progress',
          {
            to: 'closed',
            reason: '客户不再需要',
            followUp: { plan: '下周回访', dueAt: '2026-03-09T02:00:00.000Z' },
          },
        ),
      );
    }
    t.clock.advance(1_000);
    chat = await registerTicket(agent, { channel: 'chat', subject: '会员积分无法兑换' });
  });

  it('orders by the earliest due time of the running clocks, tickets without one last', async () => {
    const { data } = await list('sort=due_asc&limit=200');
    expect(data[0]!.id).toBe(chat.id); // first response within 30 s
    const dues = data.map((x) => x.slaDueAt);
    const withDue = dues.filter((d): d is string => d !== null);
    expect(withDue).toEqual([...withDue].sort());
    expect(dues.slice(withDue.length).every((d) => d === null)).toBe(true);
    for (const c of closed) expect(data.find((x) => x.id === c.id)?.slaDueAt).toBeNull();
    // Met first response: the resolution's due time now leads that ticket.
    const repliedRow = data.find((x) => x.id === replied.id)!;
    const clocks = await clocksOf(replied.id);
    const running = clocks.filter((c) => c.state === 'running').map((c) => c.dueAt);
    expect(repliedRow.slaDueAt).toBe([...running].sort()[0]);
    expect(data.findIndex((x) => x.id === email.id)).toBeGreaterThan(0);
    // What is presented is what is stored (the sort key).
    for (const x of data) expect(await storedDue(x.id)).toBe(x.slaDueAt);
  });

  it('pages through due times and then the tickets without one, each once, in order', async () => {
    const whole = (await list('sort=due_asc&limit=200')).data.map((x) => x.id);
    expect(whole.length).toBeGreaterThanOrEqual(6);
    for (const limit of [1, 2, 4]) {
      expect((await allPages('sort=due_asc', limit)).map((x) => x.id)).toEqual(whole);
    }
    // Filters and queues combine with the order.
    const mine = (await allPages('queue=mine&sort=due_asc', 2)).map((x) => x.id);
    expect(mine).toEqual((await list('queue=mine&sort=due_asc&limit=200')).data.map((x) => x.id));
    expect(mine).not.toContain(closed[0]!.id);
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await agent.get('/api/v1/tickets?sort=due_asc&cursor=bm9wZQ');
    expect(res.statusCode).toBe(400);
  });
});

describe('risk level on list items', () => {
  it('goes ok → warning → breached as the clock passes and the sweeper fires, and back with the reply', async () => {
    const ticket = await registerTicket(agent, { channel: 'phone', subject: '路由器频繁掉线' });
    const row = async () =>
      (await list('sort=due_asc&limit=200')).data.find((x) => x.id === ticket.id)!;
    const first = (await clocksOf(ticket.id)).find((c) => c.kind === 'first_response')!;
    expect(await row()).toMatchObject({ slaRisk: 'ok', slaDueAt: first.dueAt });

    // Past the warning time (80 % of 30 s), before and after the sweeper marks the clock.
    t.clock.advance(25_000);
    expect((await row()).slaRisk).toBe('warning');
    await sweepDueClocks(t.database.db, t.clock.now());
    expect(
      (await clocksOf(ticket.id)).find((c) => c.kind === 'first_response')!.warnedAt,
    ).not.toBeNull();
    expect((await row()).slaRisk).toBe('warning');

    // Past due: breached at once; the sweeper's breach keeps the clock counting.
    t.clock.advance(10_000);
    expect((await row()).slaRisk).toBe('breached');
    const swept = await sweepDueClocks(t.database.db, t.clock.now());
    expect(swept.breaches).toBeGreaterThanOrEqual(1);
    expect((await clocksOf(ticket.id)).find((c) => c.kind === 'first_response')!.state).toBe(
      'breached',
    );
    expect(await row()).toMatchObject({ slaRisk: 'breached', slaDueAt: first.dueAt });
    expect(await storedDue(ticket.id)).toBe(first.dueAt);

    // The late reply meets it: the next running clock leads, not yet at risk.
    await agent.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: '您好，正在处理。',
      visibility: 'public',
    });
    const after = await row();
    expect(after.slaRisk).toBe('ok');
    expect(after.slaDueAt! > first.dueAt).toBe(true);
    expect(await storedDue(ticket.id)).toBe(after.slaDueAt);
  });

  it('is null while every clock is paused or stopped', async () => {
    const ticket = await walk(
      agent,
      await registerTicket(agent, { channel: 'email' }),
      'accepted',
      'in_progress',
      'pending_customer',
    );
    const running = (await clocksOf(ticket.id)).filter((c) => c.state === 'running');
    const got = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().data as Listed;
    if (running.length === 0) expect(got).toMatchObject({ slaDueAt: null, slaRisk: null });
    else expect(got.slaDueAt).toBe(running.map((c) => c.dueAt).sort()[0]);
    expect(await storedDue(ticket.id)).toBe(got.slaDueAt);
  });
});

describe('text search through the index', () => {
  let ticket: TicketJson;
  beforeAll(async () => {
    ticket = await registerTicket(agent, {
      subject: 'iPhone 退款申请',
      description: '客户要求退货，联系电话 13812345678，订单 A1B2。',
      customer: { name: '欧阳娜娜', phone: '13700001111' },
    });
  });
  const found = async (q: string) =>
    (await list(`q=${encodeURIComponent(q)}&limit=200`)).data.map((x) => x.id);

  it.each([
    ['two Chinese characters', '退款'],
    ['one Chinese character at the end of a run', '货'],
    ['a longer Chinese phrase', '款申请'],
    ['mixed Latin and Chinese', 'iPhone 退款'],
    ['a Latin word prefix, any case', 'IPHO'],
    ['a phone number by its start', '1381234'],
    ['the customer name', '阳娜'],
  ])('finds %s', async (_, q) => {
    expect(await found(q)).toContain(ticket.id);
  });

  it('finds by number, whole and by its tail', async () => {
    expect(await found(ticket.number)).toEqual([ticket.id]);
    expect(await found(ticket.number.slice(-4))).toContain(ticket.id);
  });

  it('keeps substring semantics: every term present is not enough', async () => {
    expect(await found('申请退款')).not.toContain(ticket.id);
    expect(await found('%')).toEqual(expect.any(Array));
  });
});
