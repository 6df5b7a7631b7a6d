/**
 * A fuzz pass over every operation of the OpenAPI document: NUL bytes, lone surrogates, forged
 * cursors, huge and malformed values and wrong types, as a signed-in staff member holding every
 * staff role and anonymously. No answer may be a 5xx, every 4xx is problem+json, and a refused
 * write changes no row of the main tables. Variations are sampled deterministically (a fixed
 * rotation per operation) so the pass stays well under a minute per engine.
 */
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTicket } from '../modules/tickets/test-support.js';
import { createTestContext, TestClient, type TestContext } from '../test/harness.js';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
};
interface Operation {
  method: string;
  path: string;
  public: boolean;
  query: string[];
  body?: Schema;
}

let t: TestContext;
let staff: TestClient;
let doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, Schema> };
};
const ids: Record<string, string> = {};
const DUMMY = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestContext();
  staff = await t.as('admin', 'supervisor', 'agent', 'knowledge_editor');
  doc = (await t.anonymous.get('/api/openapi.json')).json();
  const a = await registerTicket(staff);
  const b = await registerTicket(staff);
  ids.ticket = a.id;
  ids.otherTicket = b.id;
  ids.customer = a.customer.id;
  ids.user = (await t.buildUser({ roles: ['agent'] })).id;
  ids.team = (await t.buildTeam()).id;
  const cat = await staff.post('/api/v1/kb/categories', { name: 'Fuzz' });
  ids.kbCategory = cat.json().data?.id ?? DUMMY;
  const art = await staff.post('/api/v1/kb/articles', {
    type: 'faq',
    categoryId: ids.kbCategory,
    title: 'Fuzz article',
    body: 'Body',
    audience: 'all_customers',
  });
  ids.article = art.json().data?.id ?? DUMMY;
  ids.version = art.json().data?.workingVersion?.id ?? DUMMY;
}, 120_000);
afterAll(() => t?.close());

/** A real id for a path's `{param}`, so requests reach the handlers, not just a 404. */
function idFor(path: string, param: string): string {
  if (param === 'version') return '1';
  if (param === 'date') return '2026-05-01';
  if (param === 'key') return 'consultation';
  if (param === 'token') return 'x'.repeat(43);
  if (path.startsWith('/api/v1/tickets/')) return ids.ticket!;
  if (path.startsWith('/api/v1/customers/')) return ids.customer!;
  if (path.startsWith('/api/v1/users/')) return ids.user!;
  if (path.startsWith('/api/v1/teams/')) return ids.team!;
  if (path.startsWith('/api/v1/kb/versions/')) return ids.version!;
  if (path.startsWith('/api/v1/kb/categories/')) return ids.kbCategory!;
  if (path.startsWith('/api/v1/kb/articles/') || path.startsWith('/api/v1/help/articles/'))
    return ids.article!;
  return DUMMY;
}

function resolve(s: Schema | undefined): Schema {
  let out = s ?? {};
  for (let i = 0; i < 10 && out.$ref; i++)
    out = doc.components?.schemas?.[out.$ref.split('/').pop()!] ?? {};
  return out;
}

/** A plausible value for a schema (valid often enough to reach the handler). */
function sample(raw: Schema | undefined, depth = 0): unknown {
  const s = resolve(raw);
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((x) => resolve(x).type !== 'null') ?? alt[0], depth + 1);
  if (s.allOf?.[0]) return sample(s.allOf[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) o[k] = sample(v, depth + 1);
      return o;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items, depth + 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') return ids.otherTicket;
      if (s.format === 'email') return 'fuzz@example.com';
      if (s.format === 'date-time') return '2026-03-02T02:00:00Z';
      if (s.format === 'date') return '2026-03-02';
      return 'fuzz'.padEnd(s.minLength ?? 4, 'z');
    default:
      return 'fuzz';
  }
}

/** Every string in a value replaced by `f(string)`. */
function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const params = (op.parameters ?? []) as { in: string; name: string }[];
      const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> })
        ?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        public: Array.isArray(op.security),
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

const forgedCursors = [
  'not a cursor!',
  Buffer.from('["x","y"]').toString('base64url'),
  Buffer.from(`["2026-01-01T00:00:00.000Z","nope"]`).toString('base64url'),
  Buffer.from(`["0000-01-01T00:00:00.000Z","${DUMMY}"]`).toString('base64url'),
  Buffer.from(`["2026-01-01T00:00:00.000Z","99999999999999999999"]`).toString('base64url'),
  Buffer.from('{"__proto__":1}').toString('base64url'),
];
const queryValues = ['a\u0000b', '9'.repeat(400), '-1', '0000-01-01T00:00:00Z', '1e400', '[]'];
const valueVariants: ((v: unknown, self: string) => unknown)[] = [
  (v) => (typeof v === 'string' ? `${v}\u0000` : '\u0000'),
  (v) => (typeof v === 'string' ? `${v}\ud800` : '\udfff'),
  (v) => (typeof v === 'number' ? 'seven' : typeof v === 'string' ? 12345 : 'text'),
  () => 'x'.repeat(100_000),
  () => 1e308,
  () => -2147483649,
  () => '0000-01-01T00:00:00Z',
  () => ({ nested: [{ deeper: '\u0000' }] }),
  (_v, self) => self.toUpperCase(),
  () => [null, 1, 'a'],
];

interface Variation {
  label: string;
  url: string;
  payload?: unknown;
  rawJson?: string;
}

/** The deterministic sample of variations for one operation. */
function variations(op: Operation, index: number, full: boolean): Variation[] {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const realPath = (override?: string) =>
    op.path.replace(/\{(\w+)\}/g, (_m, p: string) => override ?? idFor(op.path, p));
  const self = params.length ? idFor(op.path, params[0]!) : ids.ticket!;
  const base = realPath();
  const body = op.body ? sample(op.body) : undefined;
  const out: Variation[] = [{ label: 'baseline', url: base, payload: body }];
  if (params.length) {
    out.push(
      { label: 'path NUL', url: realPath('%00') },
      { label: 'path bad utf-8', url: realPath('%ED%A0%80') },
      { label: 'path bad percent', url: realPath('%E0%A4%A') },
      { label: 'path huge', url: realPath('9'.repeat(600)) },
      { label: 'path upper-case id', url: realPath(self.toUpperCase()), payload: body },
      { label: 'path year 0', url: realPath('0000-01-01') },
    );
  }
  if (op.query.includes('cursor')) {
    for (const c of forgedCursors) out.push({ label: `cursor ${c}`, url: `${base}?cursor=${c}` });
  }
  const qs = full ? op.query : op.query.slice(0, 1);
  qs.forEach((q, i) => {
    for (const k of [0, 1]) {
      const v = queryValues[(index + i + k * 3) % queryValues.length]!;
      out.push({
        label: `query ${q}=${v.slice(0, 20)}`,
        url: `${base}?${q}=${encodeURIComponent(v)}`,
      });
    }
  });
  if (op.body) {
    out.push(
      { label: 'body all NUL', url: base, payload: mapStrings(body, (s) => `${s}\u0000`) },
      {
        label: 'body all lone surrogates',
        url: base,
        payload: mapStrings(body, (s) => `\ud800${s}`),
      },
      {
        label: 'raw JSON surrogate escape',
        url: base,
        rawJson: '{"name":"\\ud800","subject":"\\udc00x"}',
      },
      { label: 'raw JSON array', url: base, rawJson: '[1,2]' },
      { label: 'raw JSON broken', url: base, rawJson: '{"a":' },
      { label: 'raw JSON NUL key', url: base, rawJson: '{"\\u0000":1}' },
    );
    if (full && body && typeof body === 'object' && !Array.isArray(body)) {
      const keys = Object.keys(body);
      keys.slice(0, 6).forEach((key, i) => {
        for (const k of [0, 1]) {
          const variant = (index + i * 2 + k * 5) % valueVariants.length;
          out.push({
            label: `body ${key} variant ${variant}`,
            url: base,
            payload: {
              ...body,
              [key]: valueVariants[variant]!(body[key as keyof typeof body], self),
            },
          });
        }
      });
    }
  }
  return out;
}

async function counts(): Promise<string> {
  const tables = [
    'users',
    'teams',
    'customers',
    'tickets',
    'ticket_events',
    'kb_articles',
    'kb_versions',
    'kb_feedback',
    'attachments',
    'mail_outbox',
    'api_tokens',
    'portal_accounts',
    'notifications',
  ];
  const res = await t.database.db.execute(
    sql.raw(`SELECT ${tables.map((n) => `(SELECT count(*) FROM ${n}) AS ${n}`).join(', ')}`),
  );
  return JSON.stringify((res as unknown as { rows: unknown[] }).rows[0]);
}

/** Writes that end or alter the fuzzing session itself. */
const SKIP = /\/auth\/sign-out$|\/me\/password$|\/notifications\/stream$/;

/** Row counts as of the last refused write, or null once a write may have changed them. */
let known: string | null = null;

async function run(client: TestClient, op: Operation, v: Variation, failures: string[]) {
  const write = op.method !== 'GET';
  const before = write ? (known ??= await counts()) : '';
  const req: InjectOptions = { method: op.method as InjectOptions['method'], url: v.url };
  const headers: Record<string, string> = {};
  if (v.rawJson !== undefined) {
    headers['content-type'] = 'application/json';
    req.payload = v.rawJson;
  } else if (v.payload !== undefined && write) {
    req.payload = v.payload as InjectOptions['payload'];
  }
  const res = await client.request(req.method, req.url as string, req.payload, headers);
  const where = `${op.method} ${op.path} [${v.label}] → ${res.statusCode}`;
  if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 300)}`);
  if (
    res.statusCode >= 400 &&
    !/^application\/problem\+json/.test(String(res.headers['content-type']))
  )
    failures.push(`${where}: content-type ${String(res.headers['content-type'])}`);
  if (write && res.statusCode >= 400) {
    const after = await counts();
    if (after !== before) failures.push(`${where}: rows changed ${before} → ${after}`);
    known = after;
  } else if (write) {
    known = null;
  }
  return res.statusCode === 401 && res.body.includes('session_expired');
}

describe('fuzz pass over the OpenAPI document', () => {
  it('answers every bad input with 4xx problem+json and writes nothing', async () => {
    const started = Date.now();
    const failures: string[] = [];
    const ops = operations().filter((op) => !SKIP.test(op.path));
    expect(ops.length).toBeGreaterThan(100);
    let sent = 0;
    for (const [index, op] of ops.entries()) {
      for (const v of variations(op, index, true)) {
        const signedOut = await run(staff, op, v, failures);
        sent += 1;
        if (signedOut) failures.push(`${op.method} ${op.path} [${v.label}] signed the fuzzer out`);
      }
      // Anonymous: the public operations get everything, the others the shape checks.
      for (const v of variations(op, index, op.public)) {
        if (!op.public && !/baseline|NUL|cursor not/.test(v.label)) continue;
        await run(t.anonymous, op, v, failures);
        sent += 1;
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    console.log(
      `fuzz: ${sent} requests over ${ops.length} operations in ${Date.now() - started} ms`,
    );
  }, 300_000);
});
