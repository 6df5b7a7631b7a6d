import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { startMetricsServer } from './metrics-server.js';

let t: TestContext;

/**
 * No metrics at `/metrics` on the public port: a 404, or the web app's page when a web build is
 * present (the SPA answers unknown paths; CI builds the web before the PostgreSQL pass).
 */
function expectNoMetrics(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}) {
  expect(res.body).not.toMatch(/process_cpu_user_seconds_total|http_request_duration_seconds/);
  if (res.statusCode !== 404) expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
}
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('operations endpoints', () => {
  it('answers health and readiness', async () => {
    expect((await t.anonymous.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.anonymous.get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
  });

  it('keeps metrics off the public port by default (KEFU_METRICS=off)', async () => {
    expectNoMetrics(await t.anonymous.get('/metrics'));
  });

  it('exposes Prometheus metrics at /metrics with KEFU_METRICS=on', async () => {
    const on = await createTestContext({ KEFU_METRICS: 'on' });
    try {
      await on.anonymous.get('/healthz');
      const res = await on.anonymous.get('/metrics');
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/http_request_duration_seconds/);
      expect(res.body).toMatch(/process_cpu_user_seconds_total/);
    } finally {
      await on.close();
    }
  });

  it('with KEFU_METRICS=<port> serves metrics only on that separate listener', async () => {
    const priv = await createTestContext({ KEFU_METRICS: '9464' });
    const server = await startMetricsServer(priv.app, 0, '127.0.0.1');
    try {
      await priv.anonymous.get('/healthz');
      expectNoMetrics(await priv.anonymous.get('/metrics'));
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/http_request_duration_seconds/);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
      await priv.close();
    }
  });

  it('serves an OpenAPI 3.1 document covering every /api/v1 route, and the docs UI', async () => {
    const res = await t.anonymous.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const r of t.app.apiRoutes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined();
    }
    expect(
      doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.properties
        .email,
    ).toBeDefined();
    const docs = await t.anonymous.get('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('sends the OpenAPI document and Swagger UI compressed', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const plain = await fetch(`${base}/api/openapi.json`, { headers: { 'accept-encoding': '' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(100_000);
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
    ] as const) {
      // fetch decodes the body; the header says how it travelled.
      const res = await fetch(`${base}/api/openapi.json`, {
        headers: { 'accept-encoding': accept },
      });
      expect(res.headers.get('content-encoding'), accept).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(await res.text()).toBe(text);
    }
    // The same document at the UI's own address, and the UI's 1.5 MB script.
    const json = await fetch(`${base}/api/docs/json?x=1`, { headers: { 'accept-encoding': 'br' } });
    expect(json.headers.get('content-encoding')).toBe('br');
    expect(await json.json()).toEqual(JSON.parse(text));
    const script = `${base}/api/docs/static/swagger-ui-bundle.js`;
    const unzipped = await (await fetch(script, { headers: { 'accept-encoding': '' } })).text();
    for (let i = 0; i < 2; i += 1) {
      const res = await fetch(script, { headers: { 'accept-encoding': 'br' } });
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(await res.text()).toBe(unzipped);
    }
    // Not found stays a plain 404; a revalidation stays a 304 without a body.
    const missing = await fetch(`${base}/api/docs/static/nope.js`, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-encoding')).toBeNull();
    // (inject: fetch adds `cache-control: no-cache` to a conditional request.)
    const path = '/api/docs/static/swagger-ui-bundle.js';
    const etag = (await t.app.inject({ url: path })).headers.etag;
    expect(etag).toBeTruthy();
    const again = await t.app.inject({
      url: path,
      headers: { 'accept-encoding': 'br', 'if-none-match': String(etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.headers['content-encoding']).toBeUndefined();
    expect(again.rawPayload.length).toBe(0);
  });

  it('sets security headers and echoes a request id', async () => {
    const res = await t.anonymous.get('/healthz', { 'x-request-id': 'trace-me-1' });
    expect(res.headers['x-request-id']).toBe('trace-me-1');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    // Refusals too: a request the auth hook stops, and a URL Fastify cannot route.
    const refused = await t.anonymous.get('/api/v1/me', { 'x-request-id': 'trace-me-2' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['x-request-id']).toBe('trace-me-2');
    expect(refused.headers['x-frame-options']).toBe('SAMEORIGIN');
    const malformed = await t.anonymous.get('/api/v1/tickets/%E0%A4%A', {
      'x-request-id': 'trace-me-3',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['x-request-id']).toBe('trace-me-3');
  });
});

describe('web app', () => {
  it('serves index.html for client routes, files by path, and 404 problems under /api', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'kefu-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Kefu</title>');
    const web = await createTestContext({ KEFU_WEB_DIR: dir });
    try {
      expect((await web.anonymous.get('/admin/users')).body).toContain('<title>Kefu</title>');
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'late.js'), 'console.log(1)'); // built after start-up
      const late = await web.anonymous.get('/assets/late.js');
      expect(late.statusCode).toBe(200);
      expect(late.body).toBe('console.log(1)');
      expect((await web.anonymous.get('/assets/missing.js')).statusCode).toBe(404);
      expect((await web.anonymous.get('/assets/..%2F..%2Fetc%2Fpasswd.js')).statusCode).not.toBe(
        200,
      );
      const api = await web.anonymous.get('/api/v2/nothing');
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toMatch(/problem\+json/);
    } finally {
      await web.close();
    }
  });
});
