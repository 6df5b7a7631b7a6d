import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Response schemas whose answers are written by a serializer compiled from their JSON schema
 * (fast-json-stringify) instead of a Zod parse of the whole answer followed by JSON.stringify.
 * For big, hot answers that the server builds itself from typed code (a page of 50 ticket views:
 * the Zod parse checked ≈ 500 uuids, timestamps and enums a request). The OpenAPI document is
 * unchanged: it is still generated from the Zod schema.
 */
const compiled = new WeakSet<z.ZodType>();

export function servedCompiled<T extends z.ZodType>(schema: T): T {
  compiled.add(schema);
  return schema;
}

type Json = Record<string, unknown>;

/**
 * The JSON schema fast-json-stringify needs to write the same bytes the Zod path writes: types,
 * properties (in order), required, items and additionalProperties. `anyOf [X, null]` (Zod's
 * nullable) becomes X with a `null` type; formats, patterns and enums are dropped (they
 * validate, they do not change the output). Anything else throws: such a schema keeps the Zod
 * serializer.
 */
function shapeOf(node: Json, defs: Json): Json {
  if (typeof node.$ref === 'string') {
    const name = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(node.$ref)?.[1];
    const target = name ? (defs[name] as Json | undefined) : undefined;
    if (!target) throw new Error(`unresolved ${node.$ref}`);
    return shapeOf(target, defs);
  }
  if (Array.isArray(node.anyOf)) {
    const arms = node.anyOf as Json[];
    const rest = arms.filter((a) => a.type !== 'null');
    if (arms.length !== 2 || rest.length !== 1) throw new Error('union');
    const inner = shapeOf(rest[0]!, defs);
    if (typeof inner.type !== 'string') throw new Error('nullable without a single type');
    return { ...inner, type: [inner.type, 'null'] };
  }
  if (node.oneOf || node.allOf || node.not || node.if || 'const' in node)
    throw new Error('unsupported keyword');
  const types = [node.type].flat();
  if (types.length === 0 || types.some((t) => typeof t !== 'string')) throw new Error('no type');
  const out: Json = { type: node.type };
  if (types.includes('object')) {
    const props = (node.properties ?? {}) as Record<string, Json>;
    out.properties = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, shapeOf(v, defs)]),
    );
    if (node.required) out.required = node.required;
    const extra = node.additionalProperties;
    // `{}` (a record of unknown values): written as JSON.stringify would.
    if (extra && typeof extra === 'object' && Object.keys(extra).length === 0)
      out.additionalProperties = true;
    else if (extra === undefined || extra === false) out.additionalProperties = false;
    // A record of one scalar type (`z.record(z.string(), z.boolean())`): every key written.
    else if (
      typeof extra === 'object' &&
      ['boolean', 'string', 'number', 'integer'].includes((extra as Json).type as string)
    )
      out.additionalProperties = shapeOf(extra as Json, defs);
    else throw new Error('typed additionalProperties');
  }
  if (types.includes('array')) {
    if (!node.items || Array.isArray(node.items)) throw new Error('tuple');
    out.items = shapeOf(node.items as Json, defs);
  }
  return out;
}

export interface SerializerOptions {
  /**
   * Tests: answers of compiled schemas are also checked by the Zod schema and written both
   * ways; a refusal or a difference is an error (500), so a view that drifts from its schema
   * still fails a test.
   */
  verify?: boolean;
}

export function serializerCompiler(
  opts: SerializerOptions = {},
): FastifySerializerCompiler<z.ZodType> {
  return (route) => {
    const fallback = zodSerializerCompiler(route);
    const schema = route.schema;
    if (!compiled.has(schema)) return fallback;
    const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7' }) as Json;
    const write = fastJson(shapeOf(json, (json.definitions ?? {}) as Json) as never);
    if (!opts.verify) return (data: unknown) => write(data);
    return (data: unknown) => {
      const expected = fallback(data);
      const got = write(data);
      if (got !== expected)
        throw new Error(
          `${route.method} ${route.url}: the compiled serializer wrote other bytes than Zod`,
        );
      return got;
    };
  };
}
