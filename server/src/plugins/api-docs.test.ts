import { describe, expect, it } from 'vitest';
import { acceptedEncoding, keyOf, withoutUnusedSchemas } from './api-docs.js';

describe('acceptedEncoding', () => {
  it('prefers brotli, then gzip; honours q=0; nothing else', () => {
    expect(acceptedEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(acceptedEncoding('gzip')).toBe('gzip');
    expect(acceptedEncoding('BR;q=0.5')).toBe('br');
    expect(acceptedEncoding('br;q=0, gzip;q=1')).toBe('gzip');
    expect(acceptedEncoding('br;q=0.0, gzip;q=0')).toBeNull();
    expect(acceptedEncoding(['deflate', 'gzip'])).toBe('gzip');
    expect(acceptedEncoding('identity')).toBeNull();
    expect(acceptedEncoding('')).toBeNull();
    expect(acceptedEncoding(undefined)).toBeNull();
  });
});

describe('keyOf', () => {
  it('gives one key per file however its path is spelled', () => {
    const file = '/api/docs/static/swagger-ui.css';
    for (const spelling of [
      file,
      `${file}?v=2`,
      '/api/docs/static/./swagger-ui.css',
      '/api/docs/static/%2e/swagger-ui.css',
      '/api/docs//static/swagger-ui.css',
      '/api/docs/x/../static/swagger-ui.css',
    ])
      expect(keyOf(spelling), spelling).toBe(file);
    expect(keyOf('/api/docs/%E0%A4%A')).toBe('/api/docs/%E0%A4%A');
  });
});

describe('withoutUnusedSchemas', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  it('keeps what the operations reach, through other schemas and pointers into them', () => {
    const doc = {
      openapi: '3.1.0',
      paths: {
        '/a': {
          get: { responses: { 200: { content: { 'application/json': { schema: ref('A') } } } } },
        },
        '/b': {
          post: {
            requestBody: { content: { 'application/json': { schema: ref('B/properties/x') } } },
          },
        },
      },
      components: {
        securitySchemes: { session: { type: 'apiKey' } },
        schemas: {
          A: { type: 'object', properties: { c: ref('C'), self: ref('A') } },
          AInput: { type: 'object', properties: { c: ref('C') } },
          B: { type: 'object', properties: { x: { type: 'string' } } },
          C: { type: 'array', items: ref('D~1E') },
          'D/E': { type: 'string' },
          Unused: { type: 'object', properties: { d: ref('A') } },
        },
      },
    };
    const pruned = withoutUnusedSchemas(doc);
    expect(Object.keys(pruned.components.schemas).sort()).toEqual(['A', 'B', 'C', 'D/E']);
    expect(pruned.components.securitySchemes).toEqual(doc.components.securitySchemes);
    expect(pruned.paths).toBe(doc.paths);
    // The input is left as it was.
    expect(Object.keys(doc.components.schemas)).toHaveLength(6);
  });

  it('leaves a document without component schemas alone', () => {
    const doc = { openapi: '3.1.0', paths: {} };
    expect(withoutUnusedSchemas(doc)).toBe(doc);
  });
});
