import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { HttpProblem } from '../../lib/problem.js';
import { idParams } from '../users/schemas.js';
import { dial } from './dial.js';
import { ingestEvent } from './ingest.js';
import type { Sender } from './simulator.js';
import { callsPolicy } from './policy.js';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './rules/signature.js';
import {
  attemptBody,
  dialBody,
  callbackSchema,
  callSchema,
  ctiEventBody,
  ingestResultSchema,
  listCallbacksQuery,
  listCallsQuery,
  providerParams,
  registerTicketBody,
  registeredSchema,
  screenPopSchema,
  settingsPatch,
  settingsSchema,
  statsQuery,
  statsSchema,
} from './schemas.js';
import {
  callStats,
  completeCallback,
  getCall,
  listCallbacks,
  listCalls,
  registerCallTicket,
  ringingFor,
  screenPop,
} from './service.js';
import { getCallSettings, presentSettings, updateCallSettings } from './settings.js';

const DAY = 86_400_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as sent (the CTI webhook's signature covers these bytes). */
    rawBody?: string;
  }
}

const unsigned = (detail: string) =>
  new HttpProblem({ status: 401, code: 'bad_signature', detail });

/** The signed CTI webhook, in its own scope: its JSON parser keeps the raw body. */
async function ctiWebhook(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock, config } = app.deps;
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    req.rawBody = text;
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpProblem({ status: 400, code: 'invalid_json', detail: 'The body is not JSON.' }));
    }
  });

  /** Before the body is validated: an unsigned request learns nothing about the schema. */
  const verify = async (req: FastifyRequest) => {
    const { provider } = req.params as { provider?: string };
    const settings = await getCallSettings(db);
    const p = settings.providers.find((x) => x.key === provider);
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const check = p
      ? checkSignature({
          secret: p.secret,
          timestamp: header(TIMESTAMP_HEADER),
          signature: header(SIGNATURE_HEADER),
          body: req.rawBody ?? '',
          nowMs: clock.now().getTime(),
          windowSeconds: settings.replayWindowSeconds,
        })
      : 'bad_signature';
    if (check === 'stale') throw unsigned('The timestamp is outside the replay window.');
    if (check !== 'ok') throw unsigned('Missing or wrong signature for this provider.');
  };

  r.post('/cti/:provider/events', {
    config: {
      public: true,
      rateLimit: { max: config.KEFU_PUBLIC_RATE_PER_MINUTE * 20, timeWindow: '1 minute' },
    },
    preValidation: verify,
    schema: {
      tags: ['calls'],
      summary:
        'CTI webhook: one call event, signed (x-kefu-timestamp, x-kefu-signature: sha256=HMAC(secret, `${timestamp}.${body}`))',
      params: providerParams,
      body: ctiEventBody,
      response: { 200: dataOf(ingestResultSchema) },
      security: [],
    },
    handler: async (req) => {
      const ctx = { ...req.auditContext(), actorName: `cti:${req.params.provider}` };
      return { data: await ingestEvent(db, ctx, req.params.provider, req.body) };
    },
  });
}

export async function callsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['calls'];
  await app.register(ctiWebhook);

  r.get('/calls', {
    config: { permission: callsPolicy.read },
    schema: {
      tags,
      summary: 'The call log, newest first (filters: state, agent, customer, ticket, time)',
      querystring: listCallsQuery,
      response: { 200: pageOf(callSchema) },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const { limit, cursor, mine, ...f } = req.query;
      const rows = await listCalls(
        db,
        actor,
        { ...f, mine: mine === 'true' },
        limit,
        decodeCursor(cursor),
      );
      const page = toPage(rows, limit, (c) => ({ at: c.ringAt, id: c.id }));
      await req.auditRead('call', null, { count: page.data.length });
      return page;
    },
  });

  r.get('/calls/ringing', {
    config: { permission: callsPolicy.read },
    schema: {
      tags,
      summary: 'Calls ringing at you now (the screen pop)',
      response: { 200: dataOf(callSchema.array()) },
    },
    handler: async (req) => ({ data: await ringingFor(db, requireActor(req.actor), clock.now()) }),
  });

  r.get('/calls/stats', {
    config: { permission: callsPolicy.read },
    schema: {
      tags,
      summary: 'Connection rate (接通率) overall, at peak and per peak window; mean answer time',
      querystring: statsQuery,
      response: { 200: dataOf(statsSchema) },
    },
    handler: async (req) => {
      const now = clock.now();
      const to = req.query.to ? new Date(req.query.to) : now;
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * DAY);
      if (from >= to)
        throw new HttpProblem({
          status: 422,
          code: 'validation_failed',
          detail: 'from must be before to.',
          errors: [{ path: 'from', message: 'must be before to' }],
        });
      return { data: await callStats(db, { from, to, agentId: req.query.agentId }) };
    },
  });

  r.get('/calls/:id', {
    config: { permission: callsPolicy.read },
    schema: { tags, summary: 'One call', params: idParams, response: { 200: dataOf(callSchema) } },
    handler: async (req) => {
      const data = await getCall(db, requireActor(req.actor), req.params.id);
      await req.auditRead('call', data.id);
      return { data };
    },
  });

  r.get('/calls/:id/screen-pop', {
    config: { permission: callsPolicy.read },
    schema: {
      tags,
      summary: "The screen pop: the call, the caller's customer record(s) and open tickets",
      params: idParams,
      response: { 200: dataOf(screenPopSchema) },
    },
    handler: async (req) => {
      const data = await screenPop(db, requireActor(req.actor), req.params.id);
      for (const c of data.customers) await req.auditRead('customer', c.id);
      return { data };
    },
  });

  r.post('/calls/:id/ticket', {
    config: { permission: callsPolicy.register },
    schema: {
      tags,
      summary: 'Register the call as a ticket (channel phone, received at the ring time)',
      params: idParams,
      body: registerTicketBody,
      response: { 201: dataOf(registeredSchema) },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const t = await registerCallTicket(db, req.auditContext(), actor, req.params.id, req.body);
      return reply.code(201).send({ data: { id: t.id, number: t.number } });
    },
  });

  /** The simulator dial provider posts its events to our own signed webhook, in process. */
  const selfSend: Sender = async (path, headers, body) => {
    const res = await app.inject({ method: 'POST', url: path, headers, payload: body });
    return { status: res.statusCode, body: res.body };
  };

  r.post('/calls/dial', {
    config: { permission: callsPolicy.dial },
    schema: {
      tags,
      summary:
        "Click-to-call: dial the number of a call-back task, a ticket's customer or a customer through the CTI provider",
      body: dialBody,
      response: { 201: dataOf(callSchema) },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const id = await dial(db, req.auditContext(), actor, req.body, selfSend, () => clock.now());
      return reply.code(201).send({ data: await getCall(db, actor, id) });
    },
  });

  r.get('/call-callbacks', {
    config: { permission: callsPolicy.callbacks },
    schema: {
      tags,
      summary: 'Call-back tasks for missed calls, due soonest first (default: open ones)',
      querystring: listCallbacksQuery,
      response: { 200: pageOf(callbackSchema) },
    },
    handler: async (req) => {
      const actor = requireActor(req.actor);
      const { limit, cursor, status, mine } = req.query;
      const rows = await listCallbacks(
        db,
        actor,
        { status: status?.length ? status : ['open'], mine: mine === 'true' },
        limit,
        clock.now(),
        decodeCursor(cursor),
      );
      return toPage(rows, limit, (c) => ({ at: c.dueAt, id: c.id }));
    },
  });

  r.post('/call-callbacks/:id/attempt', {
    config: { permission: callsPolicy.callbacks },
    schema: {
      tags,
      summary: 'Record the outbound call-back attempt; completes the task',
      params: idParams,
      body: attemptBody,
      response: { 200: dataOf(callbackSchema) },
    },
    handler: async (req) => ({
      data: await completeCallback(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });

  r.get('/call-settings', {
    config: { permission: callsPolicy.settingsRead },
    schema: {
      tags,
      summary: 'Phone settings (providers without their secrets, peak windows, call-back due)',
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async () => ({ data: presentSettings(await getCallSettings(db)) }),
  });

  r.patch('/call-settings', {
    config: { permission: callsPolicy.settingsManage },
    schema: {
      tags,
      summary: 'Change phone settings (a provider without `secret` keeps its secret)',
      body: settingsPatch,
      response: { 200: dataOf(settingsSchema) },
    },
    handler: async (req) => ({
      data: await db.transaction((tx) => updateCallSettings(tx, req.auditContext(), req.body)),
    }),
  });
}
