import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheControlOf } from './app.js';
import { createTestContext, type TestContext } from './test/harness.js';

/** The built web app: precompressed files when accepted, hashed assets cached as immutable. */
let t: TestContext;
const script = `console.log(${JSON.stringify('客服'.repeat(400))})`;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-static-'));
  const html = `<!doctype html><title>Kefu</title>${'<!-- pad -->'.repeat(100)}`;
  writeFileSync(join(dir, 'index.html'), html);
  writeFileSync(join(dir, 'index.html.br'), brotliCompressSync(html));
  writeFileSync(join(dir, 'index.html.gz'), gzipSync(html));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'index-AbCd1234.js'), script);
  writeFileSync(join(dir, 'assets', 'index-AbCd1234.js.br'), brotliCompressSync(script));
  writeFileSync(join(dir, 'assets', 'index-AbCd1234.js.gz'), gzipSync(script));
  t = await createTestContext({ KEFU_WEB_DIR: dir });
});
afterAll(() => t.close());

describe('web app compression and caching', () => {
  it('sends the brotli file to browsers that accept it, gzip to others, plain otherwise', async () => {
    const br = await t.anonymous.get('/assets/index-AbCd1234.js', {
      'accept-encoding': 'gzip, deflate, br',
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.rawPayload.length).toBeLessThan(script.length / 4);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await t.anonymous.get('/assets/index-AbCd1234.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await t.anonymous.get('/assets/index-AbCd1234.js', { 'accept-encoding': '' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('caches hashed assets for a year as immutable, revalidates index.html', async () => {
    const asset = await t.anonymous.get('/assets/index-AbCd1234.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.vary).toMatch(/accept-encoding/i);
    for (const path of ['/', '/help', '/admin/users']) {
      const page = await t.anonymous.get(path, { 'accept-encoding': 'br' });
      expect(page.statusCode, path).toBe(200);
      expect(page.headers['cache-control'], path).toBe('no-cache');
      expect(page.headers['content-encoding'], path).toBe('br');
    }
  });

  it('names as immutable only content-hashed files under assets/', () => {
    expect(cacheControlOf('/srv/web/assets/ArticlePage-QB3DgiJK.js')).toMatch(/immutable/);
    expect(cacheControlOf('/srv/web/assets/Middleware-BUfA2B5V.js.br')).toMatch(/immutable/);
    expect(cacheControlOf('/srv/web/index.html')).toBe('no-cache');
    expect(cacheControlOf('/srv/web/index.html.br')).toBe('no-cache');
    expect(cacheControlOf('/srv/web/favicon.svg')).toBe('no-cache');
    expect(cacheControlOf('/srv/web/assets/logo.svg')).toBe('no-cache');
  });
});
