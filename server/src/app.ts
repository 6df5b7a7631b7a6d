import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import helmet from 'helmet';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fastifyMetrics from 'fastify-metrics';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import type { Database } from './db/client.js';
import type { Clock } from './lib/clock.js';
import { HttpProblem } from './lib/problem.js';
import { serializerCompiler } from './lib/serializer.js';
import { attachmentsRoutes } from './modules/attachments/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { principalCache } from './modules/auth/principal-cache.js';
import { authRoutes } from './modules/auth/routes.js';
import { createBus } from './modules/chat/bus.js';
import { chatRoutes } from './modules/chat/routes.js';
import { ChatService } from './modules/chat/service.js';
import { chatSocketRoutes } from './modules/chat/ws.js';
import { callsRoutes } from './modules/calls/routes.js';
import { alertsRoutes } from './modules/alerts/routes.js';
import { customersRoutes } from './modules/customers/routes.js';
import { kbRoutes } from './modules/kb/routes.js';
import { mailRoutes } from './modules/mail/routes.js';
import { metaRoutes, VERSION } from './modules/meta/routes.js';
import { opsRoutes } from './modules/ops/routes.js';
import { portalAccountRoutes } from './modules/portal/routes.js';
import { setupRoutes } from './modules/setup/routes.js';
import { slaRoutes } from './modules/sla/routes.js';
import { surveysRoutes } from './modules/surveys/routes.js';
import { kpiRoutes } from './modules/kpi/routes.js';
import { qaRoutes } from './modules/qa/routes.js';
import { reportsRoutes } from './modules/reports/routes.js';
import { teamsRoutes } from './modules/teams/routes.js';
import { ticketsRoutes } from './modules/tickets/routes/index.js';
import { usersRoutes } from './modules/users/routes.js';
import { registerApiDocs, withoutUnusedSchemas } from './plugins/api-docs.js';
import { registerAuth } from './plugins/auth.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './plugins/errors.js';
import { registerInputGuard } from './plugins/input-guard.js';
import { logSerializers } from './plugins/log-redaction.js';
import { registerIdempotency } from './plugins/idempotency.js';

export interface BuildAppOptions {
  database: Database;
  clock: Clock;
  config: Config;
  /** Overrides the pino logger options (tests pass `false`). */
  logger?: FastifyServerOptions['logger'];
  /** Where the default logger writes (stdout unless given) — tests read what gets logged. */
  logStream?: NodeJS.WritableStream;
  /** Tests: answers written by a compiled serializer are checked against Zod too (lib/serializer.ts). */
  verifyResponses?: boolean;
}

/** One line per request, at debug (errors keep Fastify's level): `info` stays quiet. */
class QuietRequestLog extends LogController {
  override incomingRequest() {}
  override requestCompleted(
    error: Error | null | undefined,
    req: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ) {
    if (error) return super.requestCompleted(error, req, reply, metadata);
    reply.log.debug(
      { req, res: reply, responseTime: Math.round(reply.elapsedTime) },
      'request completed',
    );
  }
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Builds the whole HTTP application without listening — tests use `app.inject`. */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.KEFU_LOG_LEVEL,
      // Never log secrets: session cookies, API tokens, passwords.
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          '*.password',
          '*.newPassword',
          '*.currentPassword',
        ],
        censor: '[redacted]',
      },
      // No SQL parameters, driver details or query strings (phones, emails, hashes) in logs.
      serializers: logSerializers,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    bodyLimit: config.KEFU_BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    // The framework's and the HTTP parser's own refusals answer problem+json too.
    frameworkErrors,
    clientErrorHandler,
    logController: new QuietRequestLog(),
  });
  principalCache.configure(config.KEFU_AUTH_CACHE_SECONDS);
  const deps: AppDeps = {
    database: opts.database,
    db: opts.database.db,
    clock: opts.clock,
    config,
  };
  app.decorate('deps', deps);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ verify: opts.verifyResponses === true }));

  await app.register(fastifyCookie);
  // File uploads. Size limits come per request from the admin-editable attachment settings
  // (modules/attachments/upload.ts); these only bound the shape of a form.
  await app.register(fastifyMultipart, {
    limits: { files: 1, fields: 10, fieldSize: 2000, parts: 12 },
  });
  // Security headers from helmet, and the request id, on every answer (errors included).
  const securityHeaders = staticSecurityHeaders();
  app.addHook('onRequest', (req, reply, done) => {
    const res = reply.raw;
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    res.setHeader('x-request-id', req.id);
    done();
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new HttpProblem({
        status: 429,
        code: 'rate_limited',
        detail: `Too many requests; retry in ${ctx.after}.`,
        headers: { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) },
      }),
  });
  // Metrics are collected unless KEFU_METRICS=off; `on` serves them at /metrics here, a port
  // number serves them on a separate listener (ops/metrics-server.ts, started by main.ts).
  if (config.KEFU_METRICS !== 'off') {
    // fastify-metrics is CommonJS with an `exports.default`.
    await app.register(fastifyMetrics.default, {
      endpoint: config.KEFU_METRICS === 'on' ? '/metrics' : null,
      clearRegisterOnInit: true,
      routeMetrics: { enabled: { histogram: true, summary: false } },
    });
  }
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kefu API',
        version: VERSION,
        description:
          'Errors are RFC 9457 application/problem+json with a stable `code` and per-field `errors`. ' +
          'Lists use cursor pagination (`cursor`, `limit`; answer `nextCursor`). POSTs that create ' +
          'accept `Idempotency-Key`. Authenticate with the session cookie (plus `x-csrf-token` on ' +
          'writes) or `Authorization: Bearer <API token>`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kefu_session' },
          token: { type: 'http', scheme: 'bearer' },
          portal: { type: 'apiKey', in: 'cookie', name: 'kefu_portal' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    // The unreferenced …Input twins out (plugins/api-docs.ts): a third of the document.
    transformObject: (doc) => withoutUnusedSchemas(jsonSchemaTransformObject(doc)),
  });
  await registerApiDocs(app);

  registerErrorHandling(app);
  registerInputGuard(app);
  registerAuth(app);
  registerIdempotency(app);

  // Web chat: the event bus (Redis pub/sub when REDIS_URL is set) and the WebSocket endpoints.
  const chat = new ChatService(deps.db, createBus(config.REDIS_URL));
  app.decorate('chat', chat);
  app.addHook('onClose', () => chat.bus.close());
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(chatSocketRoutes);

  await app.register(opsRoutes);
  await app.register(
    async (api) => {
      await api.register(setupRoutes);
      await api.register(authRoutes);
      await api.register(metaRoutes);
      await api.register(usersRoutes);
      await api.register(teamsRoutes);
      await api.register(auditRoutes);
      await api.register(customersRoutes);
      await api.register(ticketsRoutes);
      await api.register(slaRoutes);
      await api.register(kpiRoutes);
      await api.register(qaRoutes);
      await api.register(reportsRoutes);
      await api.register(kbRoutes);
      await api.register(mailRoutes);
      await api.register(portalAccountRoutes);
      await api.register(attachmentsRoutes);
      await api.register(surveysRoutes);
      await api.register(chatRoutes);
      await api.register(callsRoutes);
      await api.register(alertsRoutes);
    },
    { prefix: '/api/v1' },
  );

  // A relative KEFU_WEB_DIR means relative to where the server was started (@fastify/static wants absolute).
  await serveWebApp(app, config.KEFU_WEB_DIR ? resolvePath(config.KEFU_WEB_DIR) : DEFAULT_WEB_DIR);
  return app;
}

/**
 * Helmet's headers, computed once: with no nonces they are the same for every answer, and
 * running its dozen middlewares per request cost about a tenth of an authenticated GET's time
 * (bench/me). Helmet removes `X-Powered-By`, which Fastify never sets.
 */
function staticSecurityHeaders(): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => void headers.set(name, String(value)),
    removeHeader: (name: string) => void headers.delete(name),
  };
  let failed: unknown;
  helmet({
    contentSecurityPolicy: {
      directives: {
        // Ant Design injects its CSS-in-JS styles at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
      },
    },
  })({} as never, res as never, (err?: unknown) => void (failed = err));
  if (failed) throw failed as Error;
  return [...headers];
}

/** Serves the built SPA; unknown non-API GETs get index.html so client routes deep-link. */
/** Hashed build assets are immutable for a year; index.html and the rest are revalidated. */
export function cacheControlOf(path: string): string {
  return /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\.br|\.gz)?$/.test(path)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

async function serveWebApp(app: FastifyInstance, dir: string) {
  if (!existsSync(`${dir}/index.html`)) {
    app.log.warn({ dir }, 'web app not built: run `npm run build`');
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    // An array: with preCompressed, @fastify/static looks the index up only in an array.
    index: ['index.html'],
    // The build writes .br and .gz beside each asset (web/vite.config.ts): sent when accepted.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      // Vite names everything under assets/ by content hash: a changed file is a new name.
      res.setHeader('cache-control', cacheControlOf(path));
      res.setHeader('vary', 'accept-encoding');
    },
  });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/')) {
      throw new HttpProblem({
        status: 404,
        code: 'route_not_found',
        detail: `No route GET ${path}.`,
      });
    }
    // Files built after start-up (a rebuild's new hashes) are still served; `send` refuses
    // paths that climb out of the root. Anything else is a client-side route.
    return /\.[a-z0-9]+$/i.test(path)
      ? reply.sendFile(path.slice(1))
      : reply.sendFile('index.html');
  });
}
