import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf } from '../../../lib/http.js';
import { decideConfirmation, lookupTicket, viewConfirmation } from '../portal.js';
import { portalEventSchema } from '../../portal/schemas.js';
import { statusSchema } from '../schemas.js';

const tokenParams = z.object({
  token: z
    .string()
    .min(20)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'a confirmation token'),
});

const confirmationSummary = z
  .object({
    number: z.string(),
    subject: z.string(),
    status: statusSchema,
    resolvedAt: z.iso.datetime().nullable(),
    state: z.enum(['open', 'used', 'expired', 'revoked']),
    decision: z.enum(['confirm', 'reject']).nullable(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'ConfirmationSummary' });

const lookupResult = z
  .object({
    number: z.string(),
    subject: z.string(),
    status: statusSchema,
    category: z.string(),
    channel: z.string(),
    receivedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    timeline: z.array(portalEventSchema).describe('The public timeline, as the portal shows it'),
  })
  .meta({ id: 'TicketLookup' });

/** The customer side: public, rate-limited like sign-in. */
export async function portalRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock, config } = app.deps;
  const tags = ['portal'];
  const rateLimit = { max: config.KEFU_PUBLIC_RATE_PER_MINUTE, timeWindow: '1 minute' };

  r.get('/portal/confirmations/:token', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'What a confirmation link is about (a spent link still shows the ticket)',
      params: tokenParams,
      response: { 200: dataOf(confirmationSummary) },
      security: [],
    },
    handler: async (req) => ({ data: await viewConfirmation(db, req.params.token, clock.now()) }),
  });

  r.post('/portal/confirmations/:token', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Confirm (closes) or reject (reopens, with reason) a resolution — once',
      params: tokenParams,
      body: z.strictObject({
        decision: z.enum(['confirm', 'reject']),
        reason: z.string().trim().max(2000).optional(),
      }),
      response: { 200: dataOf(confirmationSummary) },
      security: [],
    },
    handler: async (req) => {
      const ctx = { ...req.auditContext(), actorName: 'customer:portal' };
      return { data: await decideConfirmation(db, ctx, req.params.token, req.body) };
    },
  });

  r.post('/portal/lookup', {
    config: { public: true, rateLimit },
    schema: {
      tags,
      summary: 'Guest look-up: ticket number + phone or email → status and public timeline',
      body: z.strictObject({
        number: z.string().trim().min(1).max(30),
        contact: z.string().trim().min(1).max(254),
      }),
      response: { 200: dataOf(lookupResult) },
      security: [],
    },
    handler: async (req) => {
      const { ticketId, view } = await lookupTicket(db, req.body);
      await req.auditRead('ticket', ticketId);
      return { data: view };
    },
  });
}
