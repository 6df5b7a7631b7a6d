import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

type Encoding = 'br' | 'gzip';

/** Smaller answers go as they are: compressing them saves less than its headers cost. */
const MIN_BYTES = 1024;

/** The browser's preferred encoding among the two we make (q-values are not weighed). */
export function acceptedEncoding(header: string | string[] | undefined): Encoding | null {
  const value = [header ?? ''].flat().join(',').toLowerCase();
  const offered = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => !/;\s*q=0(?:\.0*)?\s*$/.test(part))
    .map((part) => part.split(';')[0]!.trim());
  if (offered.includes('br')) return 'br';
  if (offered.includes('gzip')) return 'gzip';
  return null;
}

async function bytesOf(payload: unknown): Promise<Buffer | null> {
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === 'string') return Buffer.from(payload);
  if (payload instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of payload) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
  return null;
}

function compress(data: Buffer, encoding: Encoding): Promise<Buffer> {
  // Quality 9, not 11: 0.16 s once for the 1.5 MB Swagger UI script instead of 2.9 s, 9 % larger.
  return encoding === 'br'
    ? brotli(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 9,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      })
    : gzipped(data, { level: 9 });
}

/** Swagger UI's files, the document twice, the page: a few dozen answers per encoding at most. */
const MAX_KEPT = 64;

/** One key per file however its path is spelled (`./`, `%2e`, `//`: the static server accepts them). */
export function keyOf(url: string): string {
  const path = url.split('?')[0]!;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes never reach a 200.
  }
  return posix.normalize(decoded);
}

const SCHEMA_REF = /"#\/components\/schemas\/([^"]+)"/g;

/**
 * The document without the component schemas no operation reaches, directly or through other
 * schemas. Every schema registered for the API gets an output and an `…Input` variant; half of
 * them (a third of the document's bytes) were never referenced, and clients, code generators and
 * Swagger UI read them all.
 */
export function withoutUnusedSchemas<T extends object>(doc: T): T {
  const { components, ...rest } = doc as { components?: { schemas?: Record<string, unknown> } };
  const schemas = components?.schemas;
  if (!schemas) return doc;
  const reached = new Set<string>();
  const visit = (json: string) => {
    for (const [, ref] of json.matchAll(SCHEMA_REF)) {
      // A JSON pointer: the schema's name is its first segment (`~1` is an escaped `/`).
      const name = ref!.split('/')[0]!.replace(/~1/g, '/').replace(/~0/g, '~');
      if (reached.has(name) || !(name in schemas)) continue;
      reached.add(name);
      visit(JSON.stringify(schemas[name]));
    }
  };
  visit(JSON.stringify(rest));
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  return { ...doc, components: { ...components, schemas: kept } };
}

/**
 * The API's documentation: the OpenAPI document (`/api/openapi.json`, also `/api/docs/json`)
 * and Swagger UI (`/api/docs`). Nothing here changes while the process runs, and it is large — a
 * 0.5 MB document and a 1.5 MB script, which the server sent uncompressed (issue 10: the page
 * took 6 s). So each 200 answer is compressed the first time an encoding is asked for and kept
 * for the process, by normalised path (a query string changes none of them; past a cap nothing
 * more is kept). Public, as before: the document describes the API, not data.
 */
export async function registerApiDocs(app: FastifyInstance) {
  await app.register(async (docs) => {
    const kept = new Map<string, Promise<{ body: Buffer; encoding: Encoding | null }>>();
    docs.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
      if (reply.getHeader('content-encoding')) return payload;
      const encoding = acceptedEncoding(request.headers['accept-encoding']);
      if (!encoding) return payload;
      const key = `${encoding} ${keyOf(request.url)}`;
      let answer = kept.get(key);
      if (answer) {
        // Kept from an earlier request: the file stream opened for this one is not needed.
        if (payload instanceof Readable) payload.destroy();
      } else if (kept.size >= MAX_KEPT) {
        // Bounded whatever is asked: past the cap, answers go uncompressed rather than
        // compressed per request (CPU) or kept (memory).
        return payload;
      } else {
        answer = bytesOf(payload).then(async (data) => {
          if (!data) throw new Error('unexpected payload');
          return data.length < MIN_BYTES
            ? { body: data, encoding: null }
            : { body: await compress(data, encoding), encoding };
        });
        kept.set(key, answer);
        answer.catch(() => kept.delete(key));
      }
      const { body, encoding: used } = await answer;
      reply.header('vary', 'accept-encoding');
      if (used) reply.header('content-encoding', used);
      reply.removeHeader('content-length');
      return body;
    });
    await docs.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
    docs.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
}
