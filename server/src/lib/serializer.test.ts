import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { pageOf } from './http.js';
import { serializerCompiler, servedCompiled } from './serializer.js';
import { ticketSchema, type TicketView } from '../modules/tickets/schemas.js';

const ID = '0b6f3f0e-7c1e-4c7a-9d3e-2f1a3b4c5d6e';
const AT = '2026-03-02T02:00:00.000Z';
const ref = { id: ID, name: '王小明 "Ming" \\ \n\t' };

function view(full: boolean): TicketView {
  return {
    id: ID,
    number: 'KF-2026-000001',
    channel: 'chat',
    category: 'after_sales',
    tier: 'L2',
    priority: 'urgent',
    subject: '路由器掉线 </script> \u2028 emoji 😀',
    description: full ? 'x'.repeat(6000) + '"' : '',
    customer: { id: ID, name: '客户', tier: 'vip' },
    receivedAt: AT,
    registeredAt: AT,
    registeredBy: ref,
    receivingAgent: ref,
    owner: ref,
    team: full ? ref : null,
    handler: full ? ref : null,
    status: 'in_progress',
    greenChannel: full,
    tags: full ? ['a', 'b"c'] : [],
    customFields: full ? { model: 'X1', n: 3, ok: true, list: ['a', { b: null }], none: null } : {},
    version: 7,
    slaDueAt: full ? AT : null,
    slaRisk: full ? 'warning' : null,
    registration: { complete: !full, missing: full ? ['customer.phone'] : [] },
    firstResponseAt: full ? AT : null,
    acceptedAt: full ? AT : null,
    resolvedAt: null,
    confirmedAt: null,
    closedAt: full ? AT : null,
    closeKind: full ? 'confirmed' : null,
    archivedAt: null,
    mergedInto: full ? { id: ID, number: 'KF-2026-000002' } : null,
    followUp: full ? { reason: 'r', plan: 'p', dueAt: AT, doneAt: null } : null,
    returnVisit: full ? { visitedAt: AT, by: ref, outcome: 'ok', customerAccepted: false } : null,
    allowedTransitions: full ? ['resolved', 'pending_customer'] : [],
    createdAt: AT,
    updatedAt: AT,
  } as TicketView;
}

const compile = (schema: z.ZodType, verify = false) =>
  serializerCompiler({ verify })({ schema, method: 'GET', url: '/x', httpStatus: '200' }) as (
    data: unknown,
  ) => string;

describe('compiled response serializer', () => {
  const zod = compile(pageOf(ticketSchema));
  const fast = compile(servedCompiled(pageOf(ticketSchema)));

  it('writes a ticket page byte for byte as the Zod serializer does', () => {
    for (const page of [
      { data: [], nextCursor: null },
      { data: [view(true), view(false)], nextCursor: 'abc' },
      { data: [view(false)], nextCursor: null },
    ])
      expect(fast(page)).toBe(zod(page));
  });

  it('leaves out properties the schema does not name, as Zod does', () => {
    const page = { data: [{ ...view(true), secret: 'x' }], nextCursor: null, extra: 1 };
    expect(fast(page)).toBe(zod(page));
    expect(fast(page)).not.toContain('secret');
  });

  it('refuses an answer without a required property', () => {
    const { owner: _, ...partial } = view(false);
    expect(() => fast({ data: [partial], nextCursor: null })).toThrow();
  });

  it('verifies against Zod when asked (tests)', () => {
    const checked = compile(servedCompiled(pageOf(ticketSchema)), true);
    expect(checked({ data: [view(true)], nextCursor: null })).toBe(
      zod({ data: [view(true)], nextCursor: null }),
    );
    expect(() =>
      checked({ data: [{ ...view(true), id: 'not-a-uuid' }], nextCursor: null }),
    ).toThrow();
  });

  it("writes a record of one scalar type (GET /me's abilities) as Zod does", () => {
    const schema = z.object({ abilities: z.record(z.string(), z.boolean()), n: z.number() });
    const answer = { abilities: { 'tickets.read': true, 'kb.write': false, '"q"': true }, n: 1 };
    expect(compile(servedCompiled(schema))(answer)).toBe(compile(schema)(answer));
    expect(compile(servedCompiled(schema))({ abilities: {}, n: 2 })).toBe('{"abilities":{},"n":2}');
  });

  it('keeps the Zod serializer for schemas not marked', () => {
    const plain = compile(z.object({ a: z.string() }));
    expect(() => plain({ a: 1 })).toThrow();
  });
});
