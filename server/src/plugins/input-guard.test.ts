import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTicket } from '../modules/tickets/test-support.js';
import { createTestContext, type TestClient, type TestContext } from '../test/harness.js';
import { findBadInput } from './input-guard.js';
import { serializeError } from './log-redaction.js';

let t: TestContext;
let agent: TestClient;
beforeAll(async () => {
  t = await createTestContext();
  agent = await t.as('agent', 'admin');
});
afterAll(() => t.close());

const isProblem = (res: { headers: Record<string, unknown> }) =>
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);

describe('text PostgreSQL cannot store', () => {
  it('finds NUL, lone surrogates and year-0 dates anywhere, and accepts real text', () => {
    expect(findBadInput({ a: ['ok', { b: 'x\u0000' }] })?.path).toBe('a.1.b');
    expect(findBadInput({ a: 'x\ud800' })?.code).toBe('invalid_characters');
    expect(findBadInput({ a: '\udc00' })?.code).toBe('invalid_characters');
    expect(findBadInput({ '\u0000': 1 })?.code).toBe('invalid_characters');
    expect(findBadInput({ at: '0000-01-01T00:00:00Z' })?.code).toBe('date_out_of_range');
    expect(findBadInput({ a: '客服 😀 emoji', at: '2026-03-02T02:00:00Z', n: 1 })).toBeUndefined();
  });

  it('public and staff operations answer 400 problem+json, never 500', async () => {
    const lookup = await t.anonymous.post('/api/v1/portal/lookup', {
      number: 'KF-2026-000001\u0000',
      phone: '13900001234',
    });
    expect(lookup.statusCode).toBe(400);
    isProblem(lookup);
    expect(lookup.json().errors[0]).toMatchObject({ code: 'invalid_characters' });

    const search = await agent.get('/api/v1/customers?q=%00');
    expect(search.statusCode).toBe(400);
    const surrogate = await agent.request('POST', '/api/v1/customers', '{"name":"\\ud800"}', {
      'content-type': 'application/json',
    });
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().errors[0].path).toBe('name');
    const path = await agent.get('/api/v1/tickets/%00');
    expect(path.statusCode).toBe(400);
    const year0 = await agent.get('/api/v1/audit-events?from=0000-01-01T00:00:00Z');
    expect(year0.statusCode).toBe(400);
    expect(year0.json().errors[0].code).toBe('date_out_of_range');
  });

  it('a forged cursor is 400 invalid_cursor on every kind of list', async () => {
    const forged = [
      'garbage!',
      Buffer.from('["2026-01-01T00:00:00.000Z","not-a-uuid"]').toString('base64url'),
      Buffer.from('["0000-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]').toString(
        'base64url',
      ),
      Buffer.from('["2026-01-01T00:00:00.000Z","99999999999999999999"]').toString('base64url'),
    ];
    for (const url of [
      '/api/v1/users',
      '/api/v1/tickets',
      '/api/v1/customers',
      '/api/v1/audit-events',
      '/api/v1/sla/policies/versions',
    ]) {
      for (const cursor of forged) {
        const res = await agent.get(`${url}?cursor=${cursor}`);
        expect(res.statusCode, `${url} ${cursor}`).toBe(400);
        expect(res.json().code).toBe('invalid_cursor');
      }
    }
  });

  it('an upper-case id is the same id: no merging or linking a ticket with itself', async () => {
    const ticket = await registerTicket(agent);
    const merge = await agent.post(`/api/v1/tickets/${ticket.id}/merge`, {
      intoId: ticket.id.toUpperCase(),
    });
    expect(merge.statusCode).toBe(422);
    const link = await agent.post(`/api/v1/tickets/${ticket.id.toUpperCase()}/links`, {
      otherId: ticket.id,
    });
    expect(link.statusCode).toBe(422);
    const read = await agent.get(`/api/v1/tickets/${ticket.id.toUpperCase()}`);
    expect(read.statusCode).toBe(200);
  });
});

describe("the framework's own refusals are problem+json", () => {
  it('a malformed URL and an over-long path parameter', async () => {
    const bad = await agent.get('/api/v1/tickets/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    isProblem(bad);
    const long = await agent.get(`/api/v1/tickets/${'9'.repeat(600)}`);
    expect(long.statusCode).toBeLessThan(500);
    isProblem(long);
  });

  it('oversized headers and a broken request line, straight from the HTTP parser', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        let out = '';
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
        socket.on('data', (d) => (out += String(d)));
        socket.on('close', () => resolve(out));
        socket.on('error', () => resolve(out));
      });
    const big = await raw(
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(big).toMatch(/^HTTP\/1.1 431/);
    expect(big).toMatch(/content-type: application\/problem\+json/i);
    expect(big).toContain('"code":"headers_too_large"');
    const broken = await raw('NOT A REQUEST\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1.1 400/);
    expect(broken).toMatch(/content-type: application\/problem\+json/i);
  });
});

describe('logged errors', () => {
  it('carry no SQL parameters or quoted values', () => {
    const cause = Object.assign(new Error('duplicate key value'), {
      code: '23505',
      detail: 'Key (phone)=(13900001234) already exists.',
    });
    const err = Object.assign(
      new Error('Failed query: insert into customers values ($1)\nparams: 13900001234,a@b.cn'),
      { query: 'insert into customers values ($1)', params: ['13900001234', 'a@b.cn'], cause },
    );
    const logged = JSON.stringify(serializeError(err));
    expect(logged).toContain('insert into customers');
    expect(logged).toContain('23505');
    expect(logged).not.toContain('13900001234');
    expect(logged).not.toContain('a@b.cn');
  });
});

describe('knowledge-base bodies', () => {
  it('are saved without style, forms or external images', async () => {
    const editor = await t.as('knowledge_editor');
    const category = (await editor.post('/api/v1/kb/categories', { name: '安全' })).json().data;
    const created = await editor.post('/api/v1/kb/articles', {
      type: 'faq',
      categoryId: category.id,
      title: '覆盖层',
      body: '<div style="position:fixed;inset:0">中奖了</div>\n<form action="https://evil.example"><input name="pw"></form>\n![x](https://evil.example/t.gif)',
      audience: 'all_customers',
    });
    expect(created.statusCode, created.body).toBe(201);
    const version = created.json().data.workingVersion.id as string;
    const body = (await editor.get(`/api/v1/kb/versions/${version}`)).json().data.body as string;
    expect(body).toContain('<div>中奖了</div>');
    expect(body).not.toMatch(/style=|<form|<input|evil\.example/);
    const patched = await editor.patch(`/api/v1/kb/versions/${version}`, {
      body: '<span style="font-size:999px">big</span>',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().data.body).toBe('<span>big</span>');
  });
});
